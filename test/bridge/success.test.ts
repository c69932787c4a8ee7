// Real traffic teaches selection: the bridge reports a tunnel that carried bytes both ways as a
// success of its upstream (once per connection), and nothing for a tunnel where only one side spoke.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamFailure, UpstreamSuccess } from '../../electron/core/bridge/index.ts';
import { startHttpTarget, startTcpTarget, HELLO_BODY, type HttpTarget, type TcpServerHandle } from '../peers/index.ts';
import { bridgeWith, connectTo, directUpstream, failingUpstream, httpExchange, readN, socks5, until } from './helpers.ts';

let target: TcpServerHandle;
let web: HttpTarget;
beforeAll(async () => { [target, web] = await Promise.all([startTcpTarget(), startHttpTarget()]); });
afterAll(async () => { await Promise.all([target.close(), web.close()]); });

describe('upstream success reports', () => {
  it('a SOCKS5 tunnel that carried bytes both ways is one success of the upstream that carried it', async () => {
    const b = await bridgeWith([failingUpstream('bad', 'refused'), directUpstream('good')]);
    const ok: UpstreamSuccess[] = [];
    const failed: UpstreamFailure[] = [];
    b.on('upstream-success', (s) => ok.push(s));
    b.on('upstream-failure', (f) => failed.push(f));
    try {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      expect(ok).toEqual([]); // connected, but nothing moved yet
      socket.write('ping');
      expect((await readN(socket, 4)).toString()).toBe('ping');
      socket.write('again');
      await readN(socket, 5);
      socket.destroy();
      await until(() => ok.length > 0);
      expect(ok).toEqual([{ upstreamId: 'good', describe: expect.any(String) }]);
      expect(failed.map((f) => f.upstreamId)).toEqual(['bad']);
    } finally {
      await b.close();
    }
  });

  it('an HTTP proxy request through the bridge reports a success too', async () => {
    const b = await bridgeWith([directUpstream('web')]);
    const ok: UpstreamSuccess[] = [];
    b.on('upstream-success', (s) => ok.push(s));
    try {
      const socket = await connectTo(b.port);
      const r = await httpExchange(socket, `GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(r.body).toBe(HELLO_BODY);
      socket.destroy();
      await until(() => ok.length > 0);
      expect(ok[0]?.upstreamId).toBe('web');
    } finally {
      await b.close();
    }
  });
});
