// What the Electron shell loads: the engine behind the Api contract.
import type { CreateEngine } from '../../../shared/api-engine.ts';
import { ApiEngine } from './api-engine.ts';

export const createEngine: CreateEngine = (host) => new ApiEngine(host);
export { ApiEngine };
