import { describe, expect, it } from 'vitest';
import { PortholeError } from '../errors.ts';
import { entryIdFor, formatProxyLink, isLinkError, parseProxyLink, unsupportedReason } from '../proxy-link.ts';

const UUID = 'b831381d-6324-4d53-ad4f-8cda48b30811';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** What `fn` throws (it must throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

describe('2026 share links', () => {
  it('reads trojan:// with TLS and WebSocket settings', () => {
    expect(parseProxyLink('trojan://p%40ss@cdn.example.com:443?security=tls&sni=front.example.net&type=ws&host=real.example.org&path=%2Fws%3Fed%3D2048&alpn=h2,http/1.1#Trojan%20WS')).toEqual({
      protocol: 'trojan', host: 'cdn.example.com', ports: [443], password: 'p@ss', label: 'Trojan WS',
      tls: { sni: 'front.example.net', alpn: ['h2', 'http/1.1'] },
      transport: { type: 'ws', path: '/ws?ed=2048', host: 'real.example.org' },
    });
    expect(parseProxyLink('trojan://secret@198.51.100.7:8443?allowInsecure=1')).toEqual({ protocol: 'trojan', host: '198.51.100.7', ports: [8443], password: 'secret', tls: { insecure: true } });
    expect(parseProxyLink('trojan://s@h.example:443?peer=sni.example&pcs=' + 'ab'.repeat(32))).toMatchObject({ tls: { sni: 'sni.example', pinSha256: 'q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s' } });
  });

  it('reads vless:// over tcp, ws and TLS; Reality and flow are kept as unsupported', () => {
    expect(parseProxyLink(`vless://${UUID}@[2001:db8::5]:8080?encryption=none&type=ws&path=/v#V`)).toEqual({
      protocol: 'vless', host: '2001:db8::5', ports: [8080], uuid: UUID, label: 'V', transport: { type: 'ws', path: '/v' },
    });
    expect(parseProxyLink(`vless://${UUID.toUpperCase()}@v.example:443?security=tls&sni=v.example&type=tcp`)).toEqual({ protocol: 'vless', host: 'v.example', ports: [443], uuid: UUID, tls: { sni: 'v.example' } });
    const reality = `vless://${UUID}@r.example:443?security=reality&pbk=abc&sid=1&sni=www.microsoft.com&flow=xtls-rprx-vision#R`;
    expect(parseProxyLink(reality)).toEqual({ protocol: 'unsupported', host: 'r.example', ports: [443], link: reality, scheme: 'vless+reality', label: 'R' });
    expect(parseProxyLink(`vless://${UUID}@f.example:443?security=tls&flow=xtls-rprx-vision`)).toMatchObject({ protocol: 'unsupported', scheme: 'vless+flow' });
    expect(parseProxyLink(`vless://${UUID}@g.example:443?security=tls&type=grpc&serviceName=x`)).toMatchObject({ protocol: 'unsupported', scheme: 'vless+grpc' });
    expect(unsupportedReason('vless+reality')).toMatch(/Reality/);
  });

  it('reads vmess:// (v2rayN base64 JSON); alterId above 0 is unsupported with the reason', () => {
    const json = { v: '2', ps: 'Tehran 1', add: 'vm.example', port: '443', id: UUID, aid: '0', scy: 'aes-128-gcm', net: 'ws', type: 'none', host: 'front.example', path: '/vm', tls: 'tls', sni: 'front.example' };
    expect(parseProxyLink(`vmess://${b64(JSON.stringify(json))}`)).toEqual({
      protocol: 'vmess', host: 'vm.example', ports: [443], uuid: UUID, security: 'aes-128-gcm', label: 'Tehran 1',
      transport: { type: 'ws', path: '/vm', host: 'front.example' }, tls: { sni: 'front.example' },
    });
    const plain = { add: '203.0.113.9', port: 10086, id: UUID, aid: 0, net: 'tcp' };
    expect(parseProxyLink(`vmess://${Buffer.from(JSON.stringify(plain)).toString('base64url')}`)).toEqual({ protocol: 'vmess', host: '203.0.113.9', ports: [10086], uuid: UUID });
    const legacy = `vmess://${b64(JSON.stringify({ ...plain, aid: '64' }))}`;
    const e = parseProxyLink(legacy);
    expect(e).toMatchObject({ protocol: 'unsupported', scheme: 'vmess+alterid', host: '203.0.113.9', ports: [10086] });
    expect(unsupportedReason(e.scheme)).toMatch(/alterId/);
  });

  it('reads Outline keys with a prefix and v2ray-plugin websocket; other plugins are unsupported', () => {
    const key = 'ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzZWNyZXQ@198.51.100.4:443/?outline=1&prefix=%16%03%01%00%C2%A8%01%01#Key';
    const e = parseProxyLink(key);
    expect(e).toMatchObject({ protocol: 'shadowsocks', prefix: Buffer.from([0x16, 3, 1, 0, 0xa8, 1, 1]).toString('base64url'), label: 'Key' });
    expect(parseProxyLink(formatProxyLink(e))).toEqual(e);
    expect(parseProxyLink('ss://YWVzLTI1Ni1nY206cHc@h.example:443/?plugin=v2ray-plugin%3Bmode%3Dwebsocket%3Btls%3Bhost%3Dcdn.example%3Bpath%3D%2Fss')).toMatchObject({
      protocol: 'shadowsocks', transport: { type: 'ws', path: '/ss', host: 'cdn.example' }, tls: { sni: 'cdn.example' },
    });
    expect(parseProxyLink('ss://YWVzLTI1Ni1nY206cHc@h.example:8388/?plugin=obfs-local%3Bobfs%3Dhttp')).toMatchObject({ protocol: 'unsupported', scheme: 'ss+obfs-local' });
  });

  it('reads MTProto, socks:// in v2rayN form, and keeps the kinds Porthole cannot speak', () => {
    const secret = 'ee' + '0123456789abcdef0123456789abcdef' + Buffer.from('www.google.com').toString('hex');
    expect(parseProxyLink(`tg://proxy?server=mt.example&port=443&secret=${secret}`)).toEqual({ protocol: 'mtproto', host: 'mt.example', ports: [443], secret });
    const b64secret = Buffer.from(secret, 'hex').toString('base64url');
    expect(parseProxyLink(`https://t.me/proxy?server=1.2.3.4&port=8443&secret=${b64secret}`)).toEqual({ protocol: 'mtproto', host: '1.2.3.4', ports: [8443], secret });
    expect(parseProxyLink(`socks://${b64('user:pa:ss')}@10.1.1.1:1080#S`)).toEqual({ protocol: 'socks5', host: '10.1.1.1', ports: [1080], username: 'user', password: 'pa:ss', label: 'S' });
    for (const [link, scheme] of [
      ['hysteria2://auth@hy.example:443?sni=x#H', 'hysteria2'],
      ['hy2://auth@hy.example:8443', 'hysteria2'],
      ['tuic://uuid:pw@t.example:443', 'tuic'],
      ['wireguard://key@wg.example:51820', 'wireguard'],
      ['ssr://abc@ssr.example:1', 'shadowsocksr'],
    ] as const) {
      expect(parseProxyLink(link), link).toMatchObject({ protocol: 'unsupported', scheme, link });
    }
    const dynamic = thrown(() => parseProxyLink('ssconf://keys.example.org/abc#x'));
    expect(dynamic).toBeInstanceOf(PortholeError);
    expect(dynamic).toMatchObject({ code: 'dynamic-key', url: 'https://keys.example.org/abc#x', message: expect.stringMatching(/Outline dynamic key/) });
    expect(isLinkError(dynamic)).toBe(true);
  });

  it('isLinkError catches every kind of link, config and Outline key error, and nothing else', () => {
    for (const code of ['bad-link', 'dynamic-key', 'bad-config', 'provider-message'] as const) expect(isLinkError(new PortholeError(code)), code).toBe(true);
    for (const err of [new PortholeError('malformed'), new PortholeError('damaged'), new Error('the link is empty'), 'bad-link']) expect(isLinkError(err), String(err)).toBe(false);
  });

  it('names what is wrong in a bad link', () => {
    const cases: [string, RegExp][] = [
      ['vless://not-a-uuid@h.example:443', /not a UUID/],
      ['vless://@h.example:443', /no user id/],
      ['trojan://h.example:443', /no password/],
      ['vmess://abc', /not base64|does not hold JSON/],
      [`vmess://${b64('{"add":"h.example","port":1,"id":"' + UUID + '","scy":"rc4"}')}`, /cipher "rc4"/],
      ['trojan://p@h.example:443?type=ws&host=bad_host!', /WebSocket Host/],
      ['tg://proxy?server=1.2.3.4&port=443&secret=ee', /wrong length/],
      ['tg://proxy?server=1.2.3.4&port=443', /no secret/],
      ['hysteria2://auth@:443', /no readable server address/],
      ['trojan://p@h.example:443?pcs=1234', /certificate pin/],
    ];
    for (const [link, error] of cases) {
      const err = thrown(() => parseProxyLink(link));
      expect(err, link).toBeInstanceOf(PortholeError);
      expect(err, link).toMatchObject({ code: 'bad-link', message: expect.stringMatching(error) });
    }
  });

  it('formats every kind back to a link that reads the same', () => {
    const links = [
      'trojan://p%40ss@cdn.example.com:443?security=tls&sni=front.example.net&type=ws&host=real.example.org&path=%2Fws&allowInsecure=1#T',
      `vless://${UUID}@v.example:443?security=tls&sni=v.example&alpn=h2&type=ws&path=/x`,
      `vless://${UUID}@v.example:80?type=tcp`,
      `vmess://${b64(JSON.stringify({ add: 'vm.example', port: '443', id: UUID, aid: '0', net: 'ws', path: '/vm', tls: 'tls', ps: 'Name' }))}`,
      'tg://proxy?server=mt.example&port=443&secret=dd0123456789abcdef0123456789abcdef',
      'hysteria2://auth@hy.example:443#H',
    ];
    for (const link of links) {
      const e = parseProxyLink(link);
      expect(parseProxyLink(formatProxyLink(e)), link).toEqual(e.protocol === 'unsupported' ? e : e);
    }
    const v = parseProxyLink(links[1]!);
    expect(formatProxyLink(v, { withCredentials: false })).not.toContain(UUID);
    expect(entryIdFor(v)).toMatch(/^vless-[0-9a-f]{12}$/);
    expect(entryIdFor(v)).not.toBe(entryIdFor({ ...v, transport: { type: 'ws', path: '/other' } }));
    expect(entryIdFor(parseProxyLink(links[5]!))).toMatch(/^x-[0-9a-f]{12}$/);
  });
});
