// `porthole bridge` (the command object; the lead's dispatcher registers it).
import { PortholeError } from '../../shared/errors.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { bridge, parseListen } from '../../electron/cli/commands/bridge.ts';
import { type CommandContext } from '../../electron/cli/command.ts';
import { freePort, HELLO_BODY, startHttpTarget, startMicrosocks, type HttpTarget, type MicrosocksPeer } from '../peers/index.ts';
import { connectTo, curl } from './helpers.ts';

let web: HttpTarget;
let micro: MicrosocksPeer;
beforeAll(async () => { [web, micro] = await Promise.all([startHttpTarget(), startMicrosocks()]); });
afterAll(async () => { await Promise.all([web.close(), micro.stop()]); });

function context(): { ctx: CommandContext; out: () => string; abort: () => void } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => { text += c.toString(); });
  stderr.resume();
  const ac = new AbortController();
  return {
    ctx: { stdout, stderr, env: {}, signal: ac.signal, readStdin: async () => Buffer.alloc(0) },
    out: () => text,
    abort: () => ac.abort(),
  };
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('porthole bridge', () => {
  it('listens, prints its address, carries traffic through the upstream, and stops on abort', async () => {
    const port = await freePort();
    const { ctx, out, abort } = context();
    const running = bridge.run({ listen: `127.0.0.1:${port}`, upstream: [`socks5://127.0.0.1:${micro.port}`] }, [], ctx);
    await waitFor(() => out().includes('listening on'));
    expect(out()).toContain(`listening on 127.0.0.1:${port} (SOCKS5 + HTTP)\n`);
    expect(out()).toContain(`PAC: http://127.0.0.1:${port}/proxy.pac`);
    const r = await curl(['--socks5-hostname', `127.0.0.1:${port}`, `http://127.0.0.1:${web.port}/hello`]);
    expect(r.stdout).toBe(HELLO_BODY);
    abort();
    expect(await running).toBe(0);
    await expect(connectTo(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('moves to the next free port and reports it', async () => {
    const { ctx: c1, out: o1, abort: a1 } = context();
    const first = bridge.run({ listen: '127.0.0.1:0', upstream: ['direct'] }, [], c1);
    await waitFor(() => o1().includes('listening on'));
    const taken = Number(/127\.0\.0\.1:(\d+)/.exec(o1())?.[1]);
    const { ctx: c2, out: o2, abort: a2 } = context();
    const second = bridge.run({ listen: `127.0.0.1:${taken}`, upstream: ['direct'] }, [], c2);
    await waitFor(() => o2().includes('listening on'));
    expect(Number(/127\.0\.0\.1:(\d+)/.exec(o2())?.[1])).toBeGreaterThan(taken);
    a1();
    a2();
    await Promise.all([first, second]);
  });

  it('prints generated sharing credentials', async () => {
    const { ctx, out, abort } = context();
    const running = bridge.run({ listen: '127.0.0.1:0', upstream: ['direct'], share: true }, [], ctx);
    await waitFor(() => out().includes('LAN sharing on'));
    expect(out()).toMatch(/LAN sharing on: user porthole-[0-9a-f]{6} password \S{16}/);
    abort();
    await running;
  });

  it('rejects bad input with a usage error', async () => {
    const { ctx } = context();
    const cases: Record<string, string | string[] | boolean>[] = [
      {},
      { upstream: ['nonsense://x'] },
      { upstream: ['socks4://127.0.0.1:1080'] },
      { upstream: ['direct'], 'share-user': 'u' },
      { upstream: ['direct'], listen: 'nowhere' },
      { upstream: ['direct'], listen: '127.0.0.1:70000' },
    ];
    for (const values of cases) await expect(bridge.run(values, [], ctx)).rejects.toSatisfy((e) => e instanceof PortholeError && e.code === 'usage');
  });

  it('parses listen addresses', () => {
    expect(parseListen('127.0.0.1:1080')).toEqual({ host: '127.0.0.1', port: 1080 });
    expect(parseListen('[::1]:1081')).toEqual({ host: '::1', port: 1081 });
    expect(parseListen('1082')).toEqual({ host: '127.0.0.1', port: 1082 });
  });
});
