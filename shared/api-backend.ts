// What the Electron shell (electron/main) and `porthole up --ui` need from the core engine beyond
// the Api contract: lifecycle, a cheap "is this text importable" check, and the host services the
// shell provides to it (where to keep data, how to seal secrets).
import type { Api } from './api.ts';

/** Encrypts small secrets (LAN password, private keys) with the OS keychain (Electron safeStorage). */
export interface SecretBox {
  /** False when the OS offers no keychain; the engine should then not persist secrets. */
  readonly available: boolean;
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface EngineHost {
  /** Per-user data directory (Electron: app.getPath('userData')). */
  dataDir: string;
  secrets: SecretBox;
}

export interface ApiBackend extends Api {
  /** Loads state, starts fetching sources; connects if the user left it connected. */
  start(): Promise<void>;
  /** Stops the bridge and probes and restores the system proxy. Idempotent; must finish quickly. */
  stop(): Promise<void>;
  /** Cheap, side-effect free: could this text (clipboard, file) contain a code, link or block? */
  isImportable(text: string): boolean;
}
