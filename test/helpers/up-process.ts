// Runs `porthole up --json` as a child process and follows its events.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI } from './cli.ts';

export interface UpEvent {
  event: string;
  [key: string]: unknown;
}

export interface UpProcess {
  child: ChildProcess;
  events: UpEvent[];
  stderr(): string;
  waitFor(event: string, timeoutMs?: number, match?: (e: UpEvent) => boolean): Promise<UpEvent>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has ended (by itself or by a signal sent elsewhere). */
  exited: Promise<number | null>;
}

/** `detached`: in a process group of its own, so a test can send Ctrl-C to the group as a terminal does. */
export function startUp(args: string[], env: NodeJS.ProcessEnv = {}, command: string[] = [process.execPath], options: { detached?: boolean } = {}): UpProcess {
  const [cmd, ...pre] = command;
  const child = spawn(cmd!, [...pre, ...(cmd === process.execPath ? ['--disable-warning=ExperimentalWarning', CLI] : []), 'up', '--json', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const events: UpEvent[] = [];
  const waiters: (() => void)[] = [];
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as UpEvent);
    } catch {
      events.push({ event: 'non-json', line });
    }
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    for (const w of waiters.splice(0)) w();
    resolve(code);
  }));
  return {
    child,
    events,
    exited,
    stderr: () => err,
    async waitFor(event, timeoutMs = 20_000, match = () => true) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.event === event && match(e));
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`porthole up exited (${child.exitCode}) before "${event}": ${err}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${event}" event within ${timeoutMs} ms; events: ${events.map((e) => e.event).join(', ')}; stderr: ${err}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null) child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
