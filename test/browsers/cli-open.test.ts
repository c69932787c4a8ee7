// `porthole open`: listing the browsers of this machine, and the one-line errors.
import { PortholeError } from '../../shared/errors.ts';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../electron/cli/command.ts';
import { open } from '../../electron/cli/commands/open.ts';

function ctx(env: NodeJS.ProcessEnv = process.env) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const c: CommandContext = { stdout: out, stderr: new PassThrough(), env, signal: new AbortController().signal, readStdin: async () => Buffer.alloc(0) };
  return { c, text: () => text };
}

describe('porthole open', () => {
  it('--list --json shows the browsers installed here (Debian firefox-esr and chromium)', async () => {
    const { c, text } = ctx();
    await open.run({ list: true, json: true }, [], c);
    const found = JSON.parse(text()) as { id: string; command: string }[];
    expect(found.map((b) => b.id)).toEqual(expect.arrayContaining(['firefox-esr', 'chromium']));
    expect(found.find((b) => b.id === 'chromium')?.command).toBe('/usr/bin/chromium');
  });

  it('rejects unknown targets and bad ports with usage errors', async () => {
    await expect(open.run({}, ['netscape'], ctx().c)).rejects.toThrow(/unknown browser "netscape": expected one of firefox, chrome, telegram/);
    await expect(open.run({}, [], ctx().c)).rejects.toMatchObject({ name: 'PortholeError', code: 'usage' });
    await expect(open.run({ port: '70000' }, ['firefox'], ctx().c)).rejects.toThrow('--port must be 1-65535, not "70000"');
  });

  it('says which browser is missing and where it looked', async () => {
    const { c } = ctx({ PATH: '/nonexistent', HOME: '/nonexistent-home', XDG_DATA_DIRS: '/nonexistent-share' });
    const err = await open.run({ port: '1080', 'data-dir': '/nonexistent-data' }, ['edge'], c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortholeError);
    expect(err).toMatchObject({ code: 'other' });
    expect((err as Error).message).toMatch(/^Microsoft Edge is not installed: looked in PATH, \/usr\/lib, \/opt, \/snap\/bin and the \.desktop files in \/nonexistent-home\/\.local\/share\/applications/);
  });
});
