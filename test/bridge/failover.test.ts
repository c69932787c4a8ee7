// Per-connection failover: next candidate while no payload has moved; never after.
import { PortholeError } from '../../shared/errors.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duplex } from 'node:stream';
import type { UpstreamFailure } from '../../electron/core/bridge/index.ts';
import type { Upstream } from '../../electron/core/bridge/upstreams/types.ts';
import { startHttpTarget, startTcpTarget, HELLO_BODY, type HttpTarget, type TcpServerHandle } from '../peers/index.ts';
import { bridgeWith, connectTo, directUpstream, failingUpstream, httpExchange, readAll, readN, socks5, until } from './helpers.ts';

let target: TcpServerHandle;
let web: HttpTarget;
beforeAll(async () => { [target, web] = await Promise.all([startTcpTarget(), startHttpTarget()]); });
afterAll(async () => { await Promise.all([target.close(), web.close()]); });

/** Connects "successfully", then its stream dies: at once, or on the first payload byte. */
function flakyUpstream(id: string, when: 'at-once' | 'on-first-write'): Upstream & { attempts: number } {
  const u = {
    id,
    describe: `flaky ${id}`,
    attempts: 0,
    connect: async (): Promise<Duplex> => {
      u.attempts++;
      const d: Duplex = new Duplex({
        read() {},
        write(_chunk, _enc, cb) { cb(); if (when === 'on-first-write') d.destroy(Object.assign(new Error('reset by peer'), { code: 'ECONNRESET' })); },
      });
      if (when === 'at-once') setTimeout(() => d.destroy(Object.assign(new Error('reset by peer'), { code: 'ECONNRESET' })), 5);
      return d;
    },
  };
  return u;
}

describe('failover', () => {
  it('tries the next candidate when connect fails, and reports the failure', async () => {
    const bad = failingUpstream('bad', 'refused', 'connection refused by 127.0.0.1:9');
    const b = await bridgeWith([bad, directUpstream('good')]);
    const failures: UpstreamFailure[] = [];
    b.on('upstream-failure', (f) => failures.push(f));
    try {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      socket.write('hi');
      expect((await readN(socket, 2)).toString()).toBe('hi');
      socket.destroy();
      expect(failures).toEqual([{ upstreamId: 'bad', describe: 'test failing bad', kind: 'refused', message: 'connection refused by 127.0.0.1:9' }]);
      const stats = b.stats().upstreams;
      expect(stats.find((s) => s.id === 'bad')?.failures).toBe(1);
      expect(stats.find((s) => s.id === 'good')?.connections).toBe(1);
    } finally {
      await b.close();
    }
  });

  it('fails over for HTTP absolute-URI requests too', async () => {
    const b = await bridgeWith([failingUpstream('bad', 'timeout'), directUpstream('good')]);
    try {
      const socket = await connectTo(b.port);
      const r = await httpExchange(socket, `GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(r.body).toBe(HELLO_BODY);
      socket.destroy();
    } finally {
      await b.close();
    }
  });

  it('uses the candidate list as it is now (selection can change it live)', async () => {
    const list: Upstream[] = [failingUpstream('a', 'refused')];
    const b = await bridgeWith(() => list);
    try {
      expect((await socks5(b.port, { host: '127.0.0.1', port: target.port })).rep).toBe(0x05);
      list.unshift(directUpstream('b'));
      const ok = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(ok.rep).toBe(0);
      ok.socket.destroy();
      b.setCandidates(() => []);
      expect((await socks5(b.port, { host: '127.0.0.1', port: target.port })).rep).toBe(0x03);
    } finally {
      await b.close();
    }
  });

  it('does not fail over or blame the upstream when the destination is what failed', async () => {
    const destFail: Upstream & { attempts: number } = {
      id: 'p', describe: 'proxy ok, destination refused', attempts: 0,
      connect: () => { destFail.attempts++; return Promise.reject(new PortholeError('refused', 'destination refused', { upstream: 'p', hop: 'destination' })); },
    };
    const other = failingUpstream('other', 'refused');
    const b = await bridgeWith([destFail, other]);
    const failures: UpstreamFailure[] = [];
    b.on('upstream-failure', (f) => failures.push(f));
    try {
      expect((await socks5(b.port, { host: '127.0.0.1', port: 9 })).rep).toBe(0x05);
      expect([destFail.attempts, other.attempts, failures.length]).toEqual([1, 0, 0]);
    } finally {
      await b.close();
    }
  });

  it('gives up after maxAttempts candidates', async () => {
    const bad = Array.from({ length: 5 }, (_, i) => failingUpstream(`bad${i}`, 'refused'));
    const b = await bridgeWith(bad, { limits: { maxAttempts: 2 } });
    try {
      expect((await socks5(b.port, { host: '127.0.0.1', port: target.port })).rep).toBe(0x05);
      expect(bad.map((u) => u.attempts)).toEqual([1, 1, 0, 0, 0]);
    } finally {
      await b.close();
    }
  });

  it('swaps in the next candidate when a stream dies before any payload byte moved', async () => {
    const flaky = flakyUpstream('flaky', 'at-once');
    const b = await bridgeWith([flaky, directUpstream('good')]);
    const failures: UpstreamFailure[] = [];
    b.on('upstream-failure', (f) => failures.push(f));
    try {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      await until(() => failures.length > 0, 15_000); // the first stream died: the next candidate is in
      socket.write('after swap');
      expect((await readN(socket, 10)).toString()).toBe('after swap');
      socket.destroy();
      expect(failures.map((f) => [f.upstreamId, f.kind])).toEqual([['flaky', 'reset']]);
    } finally {
      await b.close();
    }
  });

  it('never re-sends: a stream that dies after payload moved closes the client, no other candidate is tried', async () => {
    const flaky = flakyUpstream('flaky', 'on-first-write');
    const second = failingUpstream('second', 'refused');
    const b = await bridgeWith([flaky, second]);
    try {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      socket.write('payload');
      await readAll(socket);
      expect(flaky.attempts).toBe(1);
      expect(second.attempts).toBe(0);
    } finally {
      await b.close();
    }
  });
});
