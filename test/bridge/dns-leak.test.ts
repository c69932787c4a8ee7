// No DNS leaks: the bridge never resolves a proxied name; names reach the upstream as names.
// dns.lookup (what net.connect uses) and the resolver functions are spied on; a positive control
// shows the spy would see a lookup if one happened.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import dns from 'node:dns';
import net from 'node:net';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import type { Destination } from '../../electron/core/bridge/upstreams/types.ts';
import { startHttpTarget, HELLO_BODY, type HttpTarget } from '../peers/index.ts';
import { bridgeWith, connectTo, curl, httpExchange, mappedUpstream, readAll, readN, socks5 } from './helpers.ts';

const NAME = 'no-such-host.porthole-leak.invalid';
let web: HttpTarget;
let bridge: Bridge;
let seen: Destination[];
let spies: ReturnType<typeof vi.spyOn>[];

beforeEach(async () => {
  web = await startHttpTarget();
  seen = [];
  bridge = await bridgeWith([mappedUpstream('m', web, seen)]);
  spies = [
    vi.spyOn(dns, 'lookup'),
    vi.spyOn(dns.promises, 'lookup'),
    vi.spyOn(dns, 'resolve'),
    vi.spyOn(dns, 'resolve4'),
    vi.spyOn(dns, 'resolve6'),
    vi.spyOn(dns.promises, 'resolve'),
  ];
});
afterEach(async () => {
  for (const s of spies) s.mockRestore();
  await bridge.close();
  await web.close();
});

const lookups = (): number => spies.reduce((n, s) => n + s.mock.calls.length, 0);

describe('no DNS leaks', () => {
  it('positive control: a local connect by name is seen by the spy', async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect({ host: 'localhost', port: web.port }, () => { s.destroy(); resolve(); });
      s.on('error', () => resolve());
    });
    expect(lookups()).toBeGreaterThan(0);
  });

  it('SOCKS5 (raw client, ATYP domain): the name goes to the upstream, nothing is resolved', async () => {
    const { socket, rep } = await socks5(bridge.port, { host: NAME, port: 80 });
    expect(rep).toBe(0);
    socket.write(`GET /hello HTTP/1.1\r\nHost: ${NAME}\r\nConnection: close\r\n\r\n`);
    expect((await readAll(socket)).toString()).toContain(HELLO_BODY);
    expect(seen).toEqual([{ host: NAME, port: 80 }]);
    expect(lookups()).toBe(0);
  });

  it('curl --socks5-hostname and -x socks5h:// fetch an unresolvable name', async () => {
    const a = await curl(['--socks5-hostname', `127.0.0.1:${bridge.port}`, `http://${NAME}/hello`]);
    expect(a.stdout).toBe(HELLO_BODY);
    const b = await curl(['-x', `socks5h://127.0.0.1:${bridge.port}`, `http://${NAME}:8080/hello`]);
    expect(b.stdout).toBe(HELLO_BODY);
    expect(seen).toEqual([{ host: NAME, port: 80 }, { host: NAME, port: 8080 }]);
    expect(lookups()).toBe(0);
  });

  it('HTTP absolute-URI and CONNECT: the name goes to the upstream, nothing is resolved', async () => {
    const socket = await connectTo(bridge.port);
    const r = await httpExchange(socket, `GET http://${NAME}/hello HTTP/1.1\r\nHost: ${NAME}\r\n\r\n`);
    expect(r.body).toBe(HELLO_BODY);
    socket.destroy();
    const c = await connectTo(bridge.port);
    c.write(`CONNECT ${NAME}:443 HTTP/1.1\r\nHost: ${NAME}:443\r\n\r\n`);
    expect((await readN(c, 12)).toString()).toBe('HTTP/1.1 200');
    c.destroy();
    expect(seen).toEqual([{ host: NAME, port: 80 }, { host: NAME, port: 443 }]);
    expect(lookups()).toBe(0);
  });
});
