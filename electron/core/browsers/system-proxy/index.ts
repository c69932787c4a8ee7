// Public API of the system-proxy feature: what the engine and the CLI use of it.
export { createSystemProxy } from './manager.ts';
