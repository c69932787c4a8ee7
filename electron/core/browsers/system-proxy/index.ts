// Public API of the system-proxy feature.
export type { ItemState, ProxyBackend, ProxyTarget, SettingValue } from './types.ts';
export { SystemProxyError } from './types.ts';
export { isPortholePacUrl, pacUrlFor, proxyTarget, WINDOWS_BYPASS } from './pac.ts';
export type { Phase, PhaseEvent } from './state-machine.ts';
export { IllegalTransitionError, PHASES, transition } from './state-machine.ts';
export type { Journal, JournalItem, JournalStore } from './journal.ts';
export { fileJournal, journalPath } from './journal.ts';
export type { ItemStatus, RepairResult, RestoreResult, SystemProxy, SystemProxyOptions, SystemProxyStatus } from './manager.ts';
export { createSystemProxy, fieldsToRestore } from './manager.ts';
export { selectBackends } from './select.ts';
export { windowsBackend, INTERNET_SETTINGS, refreshCommand } from './windows.ts';
export { macosBackend, parseAutoProxy, parseServices } from './macos.ts';
export { gnomeBackend, GNOME_SCHEMA, gvariantString, parseGvariantString } from './gnome.ts';
export { kdeBackend } from './kde.ts';
