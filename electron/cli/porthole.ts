#!/usr/bin/env node
// The `porthole` CLI: dispatches to one module per command (electron/cli/commands/).
// Exit 0 on success; otherwise one clear line on stderr (a stack trace only with --debug).
import { PortholeError } from '../../shared/errors.ts';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { type Command, type CommandContext } from './command.ts';
import { commands } from './commands/index.ts';
import { describeError } from './errors.ts';
import { userCwd } from './user-cwd.ts';

const GLOBAL_HELP = (all: Command[]): string => `porthole — gets people online during internet shutdowns

Usage: porthole <command> [options]      porthole <command> --help

Commands:
${all.map((c) => `  ${c.name.padEnd(15)} ${c.summary}`).join('\n')}

Global options: --help, --debug (stack traces on errors), --version
Client-side commands take --data-dir DIR (or PORTHOLE_DATA_DIR).
`;

export async function runCli(argv: string[], ctx: CommandContext): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  try {
    if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
      const topic = args[0] === 'help' ? commands.find((c) => c.name === args[1]) : undefined;
      ctx.stdout.write(topic ? helpOf(await topic.load(), []) : GLOBAL_HELP(await Promise.all(commands.map((c) => c.load()))));
      return args.length === 0 ? 2 : 0;
    }
    if (args[0] === '--version') {
      ctx.stdout.write('porthole 0.1.0\n');
      return 0;
    }
    const found = commands.find((c) => c.name === args[0]);
    if (!found) throw new PortholeError('usage', `unknown command "${args[0]}": run \`porthole --help\` for the list`);
    const top = await found.load();
    let cmd = top;
    let rest = args.slice(1);
    const path = [top.name];
    while (cmd.subcommands) {
      const subName = rest[0];
      if (subName === undefined || subName === '--help' || subName === '-h') {
        ctx.stdout.write(helpOf(cmd, path.slice(0, -1)));
        return subName === undefined ? 2 : 0;
      }
      const sub = cmd.subcommands.find((s) => s.name === subName);
      if (!sub) throw new PortholeError('usage', `unknown subcommand "${path.join(' ')} ${subName}": expected ${cmd.subcommands.map((s) => s.name).join(', ')}`);
      cmd = sub;
      path.push(sub.name);
      rest = rest.slice(1);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      ctx.stdout.write(helpOf(cmd, path.slice(0, -1)));
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: joinDashValues(rest, cmd), options: cmd.options, allowPositionals: cmd.positionals ?? false, strict: true });
    } catch (err) {
      throw new PortholeError('usage', `${path.join(' ')}: ${(err as Error).message.split('\n')[0]}`);
    }
    const code = await cmd.run(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals, ctx);
    return code ?? 0;
  } catch (err) {
    const { message, code } = describeError(err);
    ctx.stderr.write(`porthole: ${message}\n`);
    if (debug && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
    return code;
  }
}

/** `--expires -1d` → `--expires=-1d`, so a negative value reaches the command and gets a plain reason. */
function joinDashValues(args: string[], cmd: Command): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.startsWith('--') ? a.slice(2) : '';
    const next = args[i + 1];
    if (name && cmd.options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function helpOf(cmd: Command, parents: string[]): string {
  const name = [...parents, cmd.name].join(' ');
  const subs = cmd.subcommands ? `\nSubcommands:\n${cmd.subcommands.map((s) => `  ${s.name.padEnd(10)} ${s.summary}`).join('\n')}\n` : '';
  return `porthole ${name} — ${cmd.summary}\n\n${cmd.help.trim()}\n${subs}`;
}

function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain || process.env.PORTHOLE_CLI_MAIN === '1') {
  // Relative paths mean the folder the person ran the command in, also under `npm run cli`.
  const here = userCwd(process.env, process.cwd());
  if (here !== process.cwd()) process.chdir(here);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    signals += 1;
    if (signals > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
    readStdin,
  });
  process.exitCode = code;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
