// The PAC script runs in a sandbox with the PAC helper functions; isInNet throws on a name, which
// is how a browser would leak it to DNS.
import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { pacScript } from './pac.ts';

function findProxy(script: string): (url: string, host: string) => string {
  const ipv4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
  const toNum = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const sandbox = {
    isPlainHostName: (h: string) => !h.includes('.') && !h.includes(':'),
    shExpMatch: (s: string, glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(s),
    isInNet: (h: string, net: string, mask: string) => {
      if (!ipv4.test(h)) throw new Error(`isInNet on a name would resolve it: ${h}`);
      return ((toNum(h) & toNum(mask)) >>> 0) === ((toNum(net) & toNum(mask)) >>> 0);
    },
    FindProxyForURL: undefined as unknown,
  };
  vm.runInNewContext(script, sandbox);
  return sandbox.FindProxyForURL as (url: string, host: string) => string;
}

describe('PAC', () => {
  const find = findProxy(pacScript('127.0.0.1', 1080));
  it('sends public hosts through the bridge without resolving names', () => {
    for (const host of ['example.org', 'www.example.org', '8.8.8.8', '2001:db8::1', 'a.b.c.d.example']) {
      expect(find(`http://${host}/`, host)).toBe('PROXY 127.0.0.1:1080');
    }
  });

  it('goes DIRECT for localhost, local names and private, loopback and link-local literals', () => {
    for (const host of ['localhost', 'printer', 'nas.local', 'app.localhost', '127.0.0.1', '10.0.0.8', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.1.1', '100.64.0.1', '::1', '[::1]', 'fe80::1', 'fd00::1']) {
      expect(find(`http://${host}/`, host)).toBe('DIRECT');
    }
    expect(find('http://172.32.0.1/', '172.32.0.1')).toBe('PROXY 127.0.0.1:1080');
  });

  it('brackets an IPv6 bridge address', () => {
    expect(findProxy(pacScript('::1', 1081))('http://example.org/', 'example.org')).toBe('PROXY [::1]:1081');
  });
});
