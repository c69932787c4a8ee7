// The one seam through which Porthole's browser and system-proxy code starts processes.
// Production uses createNodeRunner(); tests pass a fake that records the commands.

export interface RunResult {
  /** Exit code; 127 when the program could not be started (not installed), -1 when killed by a signal or timeout. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment variables, merged over the runner's base environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** A started program that lives on without Porthole (a browser). */
export interface DetachedProcess {
  pid: number | undefined;
  /** Settles when the program exits (only while this process is alive to see it). */
  exited: Promise<ExitInfo>;
}

export interface Runner {
  /** Runs a program to completion and collects its output. Never throws for a failing program. */
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Starts a program detached from Porthole; rejects when it cannot be started at all. */
  spawnDetached(cmd: string, args: readonly string[], opts?: SpawnOptions): Promise<DetachedProcess>;
}

/** A one-line rendering of a command for messages and logs. */
export function formatCommand(cmd: string, args: readonly string[]): string {
  const q = (s: string): string => (/^[\w@%+=:,./\\-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  return [cmd, ...args].map(q).join(' ');
}
