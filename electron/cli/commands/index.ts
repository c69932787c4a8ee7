// Every `porthole` command, in the order `porthole --help` lists them. Each module is loaded
// only when its command runs, so a quick command does not pay for the engine's start-up.
import type { Command } from '../command.ts';

export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

const entry = (name: string, load: () => Promise<Command>): CommandEntry => ({ name, load });

export const commands: CommandEntry[] = [
  // client side
  entry('up', async () => (await import('./up.ts')).up),
  entry('bridge', async () => (await import('./bridge.ts')).bridge),
  entry('fetch', async () => (await import('./fetch.ts')).fetchCmd),
  entry('import', async () => (await import('./import.ts')).importCmd),
  entry('lists', async () => (await import('./lists.ts')).lists),
  entry('trust', async () => (await import('./trust.ts')).trust),
  entry('probe', async () => (await import('./probe.ts')).probe),
  entry('open', async () => (await import('./open.ts')).open),
  entry('firefox-profile', async () => (await import('./firefox-profile.ts')).firefoxProfile),
  entry('system-proxy', async () => (await import('./system-proxy.ts')).systemProxy),
  // publisher side
  entry('keygen', async () => (await import('./keygen.ts')).keygen),
  entry('root', async () => (await import('./root.ts')).root),
  entry('sign', async () => (await import('./sign.ts')).sign),
  entry('verify', async () => (await import('./verify.ts')).verify),
  entry('armor', async () => (await import('./armor.ts')).armor),
  entry('publish', async () => (await import('./publish.ts')).publish),
  entry('code', async () => (await import('./code.ts')).code),
  entry('demo', async () => (await import('./demo.ts')).demo),
];
