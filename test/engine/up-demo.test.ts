// The README's main job: `porthole up --demo` finds the working demo servers and browsers work
// through the bridge; it stops cleanly on SIGINT and SIGTERM.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startUp } from '../helpers/up-process.ts';

const exec = promisify(execFile);

describe('porthole up --demo', () => {
  it('reports progress, becomes ready, carries a page through the bridge, and stops on SIGINT', async () => {
    const up = startUp(['--demo', '--listen', '127.0.0.1:0']);
    try {
      const start = await up.waitFor('start');
      const ready = await up.waitFor('ready', 15_000);
      expect(ready).toMatchObject({ socks: start.socks, http: start.http, server: { label: expect.stringMatching(/^Demo-(Frankfurt|Almaty)$/) } });
      expect(String(ready.why)).toMatch(/Demo-(Frankfurt|Almaty)/); // the engine says why it chose it
      // The demo page URL is printed in the progress events' probe target; read it from a working probe.
      const page = await up.waitFor('progress', 10_000, (e) => e.ok === true);
      expect(page.latencyMs).toEqual(expect.any(Number));
      // Every failure is classified.
      const done = await up.waitFor('progress', 10_000, (e) => e.tested === e.total);
      expect(done.total).toBe(5);
      const errors = up.events.filter((e) => e.event === 'progress' && e.ok === false).map((e) => String(e.error));
      expect(errors.some((m) => /refused/.test(m))).toBe(true);
      expect(errors.some((m) => /reset/.test(m))).toBe(true);
      expect(errors.some((m) => /timed out/.test(m))).toBe(true);
      // curl through the bridge, as HTTP proxy and as SOCKS5 with remote DNS, to the demo page.
      const pageUrl = String(start.demoPage);
      const { stdout: viaHttp } = await exec('curl', ['-s', '--max-time', '5', '--proxy', `http://${String(ready.http)}`, pageUrl]);
      expect(viaHttp).toContain('You are through.');
      const { stdout: viaSocks } = await exec('curl', ['-s', '--max-time', '5', '--socks5-hostname', String(ready.socks), pageUrl.replace('127.0.0.1', 'localhost')]);
      expect(viaSocks).toContain('Вы на связи');
    } finally {
      expect(await up.stop('SIGINT')).toBe(0);
    }
    expect(up.events.at(-1)?.event).toBe('stopped');
  });
});
