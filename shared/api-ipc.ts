// Electron IPC channel names for the Api: one per method, one for events.
import type { MethodName } from './api.ts';

export const IPC_PREFIX = 'porthole:call:';
export const EVENT_CHANNEL = 'porthole:event';

export function callChannel(method: MethodName): string {
  return `${IPC_PREFIX}${method}`;
}
