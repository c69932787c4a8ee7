// A Runner that records every command and answers from a handler instead of starting programs.
import type { DetachedProcess, RunResult, Runner } from '../../../electron/core/browsers/runner.ts';

export interface Call {
  cmd: string;
  args: string[];
  detached: boolean;
}

export type Handler = (cmd: string, args: string[]) => Partial<RunResult> | undefined | Promise<Partial<RunResult> | undefined>;

export interface FakeRunner extends Runner {
  calls: Call[];
  /** Calls rendered as `cmd arg arg` for compact assertions. */
  lines(): string[];
}

export function fakeRunner(handler: Handler = () => undefined): FakeRunner {
  const calls: Call[] = [];
  return {
    calls,
    lines: () => calls.map((c) => [c.cmd, ...c.args].join(' ')),
    async run(cmd, args) {
      calls.push({ cmd, args: [...args], detached: false });
      const r = await handler(cmd, [...args]);
      if (r === undefined) return { code: 127, stdout: '', stderr: `${cmd}: not found (fake)` };
      return { code: r.code ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    async spawnDetached(cmd, args): Promise<DetachedProcess> {
      calls.push({ cmd, args: [...args], detached: true });
      return { pid: 4242, exited: new Promise(() => undefined) };
    },
  };
}
