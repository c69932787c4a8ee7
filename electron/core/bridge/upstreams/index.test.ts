import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../../shared/entry.ts';
import { DirectUpstream, HttpConnectUpstream, ShadowsocksUpstream, Socks5Upstream, TrojanUpstream, upstreamFor, upstreamId, VlessUpstream, VmessUpstream } from './index.ts';

const base = { host: 'proxy.example', ports: [1080, 8443] };

describe('upstreamFor', () => {
  it('picks the connector for each protocol, with a stable id and a description without credentials', () => {
    const cases: [Entry, unknown, string][] = [
      [{ ...base, id: 's5', protocol: 'socks5', username: 'alice', password: 'hunter2' }, Socks5Upstream, 'socks5 proxy.example:8443'],
      [{ ...base, id: 'h', protocol: 'http', username: 'alice', password: 'hunter2' }, HttpConnectUpstream, 'http proxy.example:8443'],
      [{ ...base, id: 'hs', protocol: 'https', password: 'hunter2' }, HttpConnectUpstream, 'https proxy.example:8443'],
      [{ ...base, id: 'ss', protocol: 'shadowsocks', method: 'aes-128-gcm', password: 'hunter2' }, ShadowsocksUpstream, 'shadowsocks proxy.example:8443'],
      [{ ...base, id: 'tj', protocol: 'trojan', password: 'hunter2' }, TrojanUpstream, 'trojan+tls proxy.example:8443'],
      [{ ...base, id: 'tjw', protocol: 'trojan', password: 'hunter2', transport: { type: 'ws', path: '/alice' } }, TrojanUpstream, 'trojan+ws+tls proxy.example:8443'],
      [{ ...base, id: 'vl', protocol: 'vless', uuid: '6f1c7e3a-2b4d-4c5e-9a8b-1d2e3f405162' }, VlessUpstream, 'vless proxy.example:8443'],
      [{ ...base, id: 'vm', protocol: 'vmess', uuid: '6f1c7e3a-2b4d-4c5e-9a8b-1d2e3f405162', security: 'chacha20-poly1305', tls: {} }, VmessUpstream, 'vmess+tls proxy.example:8443'],
      [{ ...base, id: 'vlw', protocol: 'vless', uuid: '6f1c7e3a-2b4d-4c5e-9a8b-1d2e3f405162', transport: { type: 'ws' }, tls: { sni: 'front.example' } }, VlessUpstream, 'vless+ws+tls proxy.example:8443'],
    ];
    for (const [entry, type, describe] of cases) {
      const upstream = upstreamFor(entry, 8443);
      expect(upstream).toBeInstanceOf(type);
      expect(upstream.id).toBe(`${entry.id}:8443`);
      expect(upstream.id).toBe(upstreamId(entry, 8443));
      expect(upstream.describe).toBe(describe);
      expect(upstream.describe).not.toMatch(/alice|hunter2/);
    }
  });

  it('offers UDP only where it exists (SOCKS5)', () => {
    expect(upstreamFor({ ...base, id: 'a', protocol: 'socks5' }, 1080).associateUdp).toBeTypeOf('function');
    expect(upstreamFor({ ...base, id: 'b', protocol: 'http' }, 1080).associateUdp).toBeUndefined();
  });

  it('describes IPv6 proxies with brackets', () => {
    expect(upstreamFor({ id: 'v6', protocol: 'socks5', host: '2001:db8::1', ports: [1080] }, 1080).describe).toBe('socks5 [2001:db8::1]:1080');
  });

  it('never bridges mtproto or unsupported entries', () => {
    expect(() => upstreamFor({ ...base, id: 'm', protocol: 'mtproto', secret: '0123456789abcdef0123456789abcdef' }, 1080)).toThrow(/never bridged/);
    expect(() => upstreamFor({ ...base, id: 'u', protocol: 'unsupported', link: 'hysteria2://x@y:1', scheme: 'hysteria2' }, 1080)).toThrow(/never bridged/);
  });

  it('refuses a port the entry does not have, and shadowsocks without method', () => {
    expect(() => upstreamFor({ ...base, id: 'a', protocol: 'socks5' }, 9)).toThrow(/not one of/);
    expect(() => upstreamFor({ ...base, id: 'a', protocol: 'shadowsocks', password: 'x' }, 1080)).toThrow(/method/);
  });

  it('has a direct connector', () => {
    expect(new DirectUpstream().describe).toBe('direct');
  });
});
