// Why a server failed, against a real far host in a network namespace (test/helpers/lan.ts): a port
// that drops SYNs is "timeout" (a censor's silent drop), a port that answers with a reset is
// "refused", and a probe round reports them so at the connect stage.
import { getEventListeners } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.ts';
import { failureKind } from '../../electron/core/probe/classify.ts';
import { startProbe } from '../../electron/core/probe/index.ts';
import { tcpCheck } from '../../electron/core/probe/tcp-check.ts';
import { startLan, type Lan } from '../helpers/lan.ts';

const DROPPED = 4455;
const CLOSED = 4456;
let lan: Lan;
let open: net.Server;
let openPort: number;

beforeAll(async () => {
  lan = await startLan();
  await lan.dropSyn(DROPPED);
  open = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => open.listen(0, '127.0.0.1', resolve));
  openPort = (open.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => open?.close(r));
  await lan?.close();
});

/** What a check's rejection is, as a failure kind plus the error. */
async function failureOf(p: Promise<unknown>): Promise<{ kind: string; err: unknown }> {
  try {
    await p;
  } catch (err) {
    return { kind: failureKind(err), err };
  }
  throw new Error('the check succeeded');
}

describe('the TCP pre-check against a real far host', () => {
  it('a port that drops the SYN is "timeout", and only after the whole connect timeout', async () => {
    const t0 = performance.now();
    const { kind, err } = await failureOf(tcpCheck(lan.farAddress, DROPPED, { signal: new AbortController().signal, timeoutMs: 400 }));
    expect(kind).toBe('timeout');
    expect((err as Error).message).toBe(`no TCP answer from ${lan.farAddress}:${DROPPED} within 400 ms`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
  });

  it('a port that answers with a reset is "refused", at once rather than at the timeout', async () => {
    const t0 = performance.now();
    const { kind } = await failureOf(tcpCheck(lan.farAddress, CLOSED, { signal: new AbortController().signal, timeoutMs: 20_000 }));
    expect(kind).toBe('refused');
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('an open port answers with the connect time', async () => {
    const ms = await tcpCheck('127.0.0.1', openPort, { signal: new AbortController().signal, timeoutMs: 20_000 });
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(20_000);
  });

  it('a cancelled check is "aborted", before it starts and while it waits on a silent port', async () => {
    const before = new AbortController();
    before.abort();
    expect((await failureOf(tcpCheck(lan.farAddress, DROPPED, { signal: before.signal, timeoutMs: 20_000 }))).kind).toBe('aborted');

    const during = new AbortController();
    const t0 = performance.now();
    const p = failureOf(tcpCheck(lan.farAddress, DROPPED, { signal: during.signal, timeoutMs: 20_000 }));
    setTimeout(() => during.abort(), 100);
    const { kind, err } = await p;
    expect(kind).toBe('aborted');
    expect((err as Error).message).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('a bad port is an error from the check, not a hang', async () => {
    const signal = new AbortController().signal;
    await expect(tcpCheck('127.0.0.1', 70_000, { signal, timeoutMs: 20_000 })).rejects.toThrow(/port/i);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('connects and closes at once: the server sees the connection end, and nothing is left listening on the signal', async () => {
    const closed = new Promise<void>((resolve) => {
      const watcher = net.createServer((sock) => {
        sock.on('close', () => {
          watcher.close();
          resolve();
        });
        sock.resume();
      });
      watcher.listen(0, '127.0.0.1', async () => {
        const signal = new AbortController().signal;
        await tcpCheck('127.0.0.1', (watcher.address() as net.AddressInfo).port, { signal, timeoutMs: 20_000 });
        expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      });
    });
    await closed; // a check that left its socket open never gets here (the test times out)
  });

  it('leaves no listener on the caller\'s signal after a refusal, a timeout or a cancel', async () => {
    for (const [port, timeoutMs] of [[CLOSED, 20_000], [DROPPED, 300]] as const) {
      const signal = new AbortController().signal;
      await tcpCheck(lan.farAddress, port, { signal, timeoutMs }).catch(() => undefined);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    }
    const before = new AbortController();
    before.abort();
    await expect(tcpCheck(lan.farAddress, DROPPED, { signal: before.signal, timeoutMs: 20_000 })).rejects.toThrow(/^cancelled$/);
  });

  it('leaves nothing pending that would keep the process alive: no timer, no socket, after a success, a refusal, a cancel or a bad port', async () => {
    // What is pending in this process, by kind (`porthole probe` exits only when nothing is).
    const pending = (): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) if (r === 'Timeout' || r === 'TCPSocketWrap') out[r] = (out[r] ?? 0) + 1;
      return out;
    };
    const before = pending();
    const signal = new AbortController().signal;
    await tcpCheck('127.0.0.1', openPort, { signal, timeoutMs: 60_000 });
    await tcpCheck(lan.farAddress, CLOSED, { signal, timeoutMs: 60_000 }).catch(() => undefined);
    await tcpCheck('127.0.0.1', 70_000, { signal, timeoutMs: 60_000 }).catch(() => undefined);
    const during = new AbortController();
    const cancelled = tcpCheck(lan.farAddress, DROPPED, { signal: during.signal, timeoutMs: 60_000 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    during.abort();
    await cancelled;
    await new Promise((r) => setTimeout(r, 50)); // let the destroyed sockets' handles close
    // Other tests' timers and sockets may end meanwhile, never more may be pending: each check
    // here would leave a 60-second timer (and the cancelled one its socket) if it forgot one.
    const after = pending();
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.TCPSocketWrap ?? 0);
  });

  it('a probe round reports the dropped server as "timeout" and the resetting one as "refused", at the connect stage', async () => {
    const entries: Entry[] = [
      { id: 'dropped', protocol: 'socks5', host: lan.farAddress, ports: [DROPPED] },
      { id: 'closed', protocol: 'socks5', host: lan.farAddress, ports: [CLOSED] },
      { id: 'both', protocol: 'socks5', host: lan.farAddress, ports: [CLOSED, DROPPED] },
    ];
    const results = await startProbe(entries, { defaultProbeUrls: ['http://127.0.0.1:9/'], adaptiveTimeouts: false, timeouts: { connectMs: 500, handshakeMs: 500, requestMs: 500 } }).done;
    const byId = Object.fromEntries(results.map((r) => [r.id, r.error && { kind: r.error.kind, stage: r.error.stage }]));
    // With one port refused and one dropped, the report names the more telling failure: the drop.
    expect(byId).toEqual({
      dropped: { kind: 'timeout', stage: 'connect' },
      closed: { kind: 'refused', stage: 'connect' },
      both: { kind: 'timeout', stage: 'connect' },
    });
    expect(results.find((r) => r.id === 'both')!.port).toBe(DROPPED);
  });
});

