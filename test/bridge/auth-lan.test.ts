// LAN sharing as the LAN sees it: the bridge listens on every address; a client on this machine
// (loopback) needs no credentials, a client from the LAN must give exactly the share's username
// AND password — a right password under a wrong name is refused, over SOCKS5 and HTTP. The LAN
// client is real: connections from a non-loopback address of this machine, and curl inside a
// network namespace on the other end of a veth (test/helpers/lan.ts).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthPolicy, isLoopback } from '../../electron/core/bridge/auth.ts';
import { startBridge, type Bridge } from '../../electron/core/bridge/index.ts';
import { HELLO_BODY, startHttpTarget, type HttpTarget } from '../peers/index.ts';
import { startLan, type Lan } from '../helpers/lan.ts';
import { connectTo, directUpstream, httpExchange, readAll, socks5, waitClosed } from './helpers.ts';

const USER = 'porthole-4f2a';
const PASS = 'correct horse battery';
let lan: Lan;
let web: HttpTarget;
let bridge: Bridge;

beforeAll(async () => {
  lan = await startLan();
  web = await startHttpTarget();
  bridge = await startBridge({ host: '0.0.0.0', port: 0, candidates: () => [directUpstream()], share: { username: USER, password: PASS } });
});
afterAll(async () => {
  await bridge?.close();
  await web?.close();
  await lan?.close();
});

const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const dest = () => ({ host: '127.0.0.1', port: web.port });

/** SOCKS5 from a LAN address: the reply to the method offer and, with credentials, to the login. */
async function lanSocks(auth?: { user: string; pass: string }) {
  return socks5(bridge.port, dest(), { host: lan.hostAddress, from: lan.hostAddress, ...(auth ? { auth } : {}) });
}

async function lanHttp(auth?: string): Promise<number> {
  const socket = await connectTo(bridge.port, lan.hostAddress, lan.hostAddress);
  try {
    const r = await httpExchange(socket, `GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: x\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
    return r.status;
  } finally {
    socket.destroy();
  }
}

function curlInLan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', lan.ns, 'curl', '-q', '--silent', '--show-error', '--noproxy', '', '--max-time', '15', ...args],
      { timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
  });
}

describe('a LAN client (not loopback) must log in', () => {
  it('the bridge really sees the LAN address, not loopback', async () => {
    const socket = await connectTo(bridge.port, lan.hostAddress, lan.hostAddress);
    expect(isLoopback(socket.localAddress)).toBe(false);
    socket.destroy();
  });

  it('SOCKS5 without credentials is refused (no acceptable method)', async () => {
    const { socket, rep, reply } = await lanSocks();
    expect(rep).toBe(0xff);
    expect([...reply]).toEqual([0x05, 0xff]);
    await waitClosed(socket);
  });

  it('SOCKS5 with a wrong username and the right password is refused', async () => {
    const { socket, rep, reply } = await lanSocks({ user: 'admin', pass: PASS });
    expect(rep).toBe(-1);
    expect([...reply]).toEqual([0x01, 0x01]);
    await waitClosed(socket);
  });

  it('SOCKS5 with the right username and a wrong password is refused', async () => {
    const { rep } = await lanSocks({ user: USER, pass: `${PASS}!` });
    expect(rep).toBe(-1);
  });

  it('SOCKS5 with the share credentials gets through', async () => {
    const { socket, rep } = await lanSocks({ user: USER, pass: PASS });
    expect(rep).toBe(0);
    socket.write('GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await readAll(socket)).toString()).toContain(HELLO_BODY);
  });

  it('HTTP: 407 without credentials, with a wrong username, or with a wrong password; 200 with the share credentials', async () => {
    expect(await lanHttp()).toBe(407);
    expect(await lanHttp(basic('admin', PASS))).toBe(407);
    expect(await lanHttp(basic(USER, 'nope'))).toBe(407);
    expect(await lanHttp(basic(USER, PASS))).toBe(200);
  });

  it('curl on another host of the LAN: refused without credentials and with a wrong name, served with the right ones', async () => {
    const url = `http://127.0.0.1:${web.port}/hello`; // the bridge host's own web server, as the LAN client names it through the proxy
    const proxy = `socks5h://${lan.hostAddress}:${bridge.port}`;
    const none = await curlInLan(['-x', proxy, url]);
    expect(none.code).not.toBe(0);
    expect(none.stdout).toBe('');
    const wrongName = await curlInLan(['-x', proxy, '--proxy-user', `someone:${PASS}`, url]);
    expect(wrongName.code).not.toBe(0);
    expect(wrongName.stdout).toBe('');
    const httpWrongName = await curlInLan(['-x', `http://${lan.hostAddress}:${bridge.port}`, '--proxy-user', `someone:${PASS}`, '-o', '/dev/null', '-w', '%{http_code}', url]);
    expect(httpWrongName.stdout).toBe('407');
    const ok = await curlInLan(['-x', proxy, '--proxy-user', `${USER}:${PASS}`, url]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(HELLO_BODY);
  });
});

describe('this machine (loopback) needs no credentials while sharing', () => {
  it('SOCKS5 and HTTP from 127.0.0.1 go through without logging in', async () => {
    const { socket, rep } = await socks5(bridge.port, dest());
    expect(rep).toBe(0);
    socket.destroy();
    const c = await connectTo(bridge.port);
    expect((await httpExchange(c, `GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: x\r\n\r\n`)).status).toBe(200);
    c.destroy();
  });
});

describe('who counts as loopback, and the credential check', () => {
  it('only 127.0.0.0/8 and ::1 (also IPv4-mapped) are loopback', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '127.255.255.255', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of [undefined, '', lan.hostAddress, '10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1', '1127.0.0.1', '127.0.0.1.5', 'x127.0.0.1', '127.0.0', '::2', '0.0.0.0', 'localhost', '::ffff:']) {
      expect(isLoopback(a), String(a)).toBe(false);
    }
  });

  it('with sharing on, loopback is exempt unless told otherwise; with sharing off, nobody logs in', () => {
    const share = { username: USER, password: PASS };
    const lanPeer = { remoteAddress: lan.hostAddress };
    expect(new AuthPolicy(share).requiredFor(lanPeer)).toBe(true);
    expect(new AuthPolicy(share).requiredFor({ remoteAddress: '127.0.0.1' })).toBe(false);
    expect(new AuthPolicy(share).requiredFor({})).toBe(true);
    expect(new AuthPolicy(share, false).requiredFor({ remoteAddress: '127.0.0.1' })).toBe(true);
    expect(new AuthPolicy(null).requiredFor(lanPeer)).toBe(false);
  });

  it('accepts only the exact username and password', () => {
    const p = new AuthPolicy({ username: USER, password: PASS });
    expect(p.check(USER, PASS)).toBe(true);
    expect(p.check(Buffer.from(USER), Buffer.from(PASS))).toBe(true);
    expect(p.check('admin', PASS)).toBe(false);
    expect(p.check(USER, 'x')).toBe(false);
    expect(p.check(PASS, USER)).toBe(false);
    expect(p.check('', '')).toBe(false);
    expect(new AuthPolicy(null).check('anyone', 'anything')).toBe(true);
  });

  it('reads Proxy-Authorization: Basic, in any case, with a colon allowed in the password', () => {
    const p = new AuthPolicy({ username: 'u', password: 'a:b' });
    expect(p.checkBasic(basic('u', 'a:b'))).toBe(true);
    expect(p.checkBasic(`  bAsIc   ${Buffer.from('u:a:b').toString('base64')}  `)).toBe(true);
    expect(p.checkBasic(basic('x', 'a:b'))).toBe(false);
    expect(p.checkBasic(`Basic ${Buffer.from('ua:b').toString('base64')}`)).toBe(false);
    expect(p.checkBasic(`Basic ${Buffer.from('no colon').toString('base64')}`)).toBe(false);
    expect(p.checkBasic(`Bearer ${Buffer.from('u:a:b').toString('base64')}`)).toBe(false);
    expect(p.checkBasic(`x Basic ${Buffer.from('u:a:b').toString('base64')}`)).toBe(false);
    expect(p.checkBasic(`Basic ${Buffer.from('u:a:b').toString('base64')} x`)).toBe(false);
    expect(p.checkBasic(undefined)).toBe(false);
    expect(p.checkBasic('')).toBe(false);
    expect(new AuthPolicy(null).checkBasic(undefined)).toBe(true);
  });
});
