// The real Runner: node:child_process, never through a shell.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { DetachedProcess, ExitInfo, RunOptions, RunResult, Runner, SpawnOptions } from './runner.ts';

export interface NodeRunnerOptions {
  /** Base environment for every child (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Default timeout for run() (default 30 s). */
  timeoutMs?: number;
}

export function createNodeRunner(options: NodeRunnerOptions = {}): Runner {
  const baseEnv = options.env ?? process.env;
  const merge = (extra?: Record<string, string | undefined>): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...baseEnv };
    for (const [k, v] of Object.entries(extra ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  };

  return {
    run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
      return new Promise((resolve) => {
        execFile(
          cmd,
          [...args],
          {
            env: merge(opts.env),
            cwd: opts.cwd,
            timeout: opts.timeoutMs ?? options.timeoutMs ?? 30_000,
            maxBuffer: 16 * 1024 * 1024,
            windowsHide: true,
            encoding: 'utf8',
          },
          (error, stdout, stderr) => {
            if (!error) return resolve({ code: 0, stdout, stderr });
            const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            if (e.code === 'ENOENT') return resolve({ code: 127, stdout, stderr: stderr || `${cmd}: not found` });
            const code = typeof e.code === 'number' ? e.code : -1;
            resolve({ code, stdout, stderr: stderr || e.message });
          },
        );
      });
    },

    async spawnDetached(cmd: string, args: readonly string[], opts: SpawnOptions = {}): Promise<DetachedProcess> {
      const child = spawn(cmd, [...args], {
        env: merge(opts.env),
        cwd: opts.cwd,
        detached: true,
        stdio: 'ignore',
        windowsHide: false,
      });
      const exited = new Promise<ExitInfo>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.once('error', () => resolve({ code: null, signal: null }));
      });
      await once(child, 'spawn'); // rejects with the spawn error (e.g. ENOENT)
      child.unref();
      return { pid: child.pid, exited };
    },
  };
}
