// What the Electron shell loads: the engine behind the Api contract.
import type { CreateEngine } from '../../../shared/api-backend.ts';
import { ApiService } from './api/service.ts';

export const createEngine: CreateEngine = (host) => new ApiService(host);
export { ApiService };
