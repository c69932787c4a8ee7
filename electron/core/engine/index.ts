// The engine behind the Api contract, as the engine process (engine-host/child.ts) loads it.
export { ApiService } from './api/service.ts';
