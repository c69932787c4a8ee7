// The sandboxed preload: exposes the typed Api as window.porthole, nothing else. Bundled into one
// CommonJS file (dist/preload/preload.cjs) because sandboxed preloads cannot load modules.
import '../../shared/zod-jitless.ts'; // first: before any schema is built
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './bridge.ts';

contextBridge.exposeInMainWorld('porthole', buildPreloadApi(ipcRenderer));
