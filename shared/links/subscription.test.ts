import { describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.ts';
import type { FailureCode } from '../failures.ts';
import { parseSubscription } from './subscription.ts';

const UUID = 'b831381d-6324-4d53-ad4f-8cda48b30811';

/** `fn` throws a PortholeError with `code` and a message matching `message`. */
function expectFailure(fn: () => unknown, code: FailureCode, message: RegExp): void {
  expect(fn).toThrow(message);
  try {
    fn();
  } catch (err) {
    expect(isPortholeError(err, code), String(err)).toBe(true);
  }
}

describe('subscriptions', () => {
  it('reads a plain list, reports each bad line by number, and imports the rest', () => {
    const text = [
      '# my servers',
      `vless://${UUID}@a.example:443?security=tls&type=ws&path=/a#A server with spaces`,
      'trojan://@b.example:443',
      '',
      'hysteria2://x@c.example:443#Hy',
      'ssconf://keys.example.org/k1#Outline',
      'vles://typo@d.example:1',
      'ss://YWVzLTI1Ni1nY206cHc@e.example:8388#E',
    ].join('\r\n');
    const sub = parseSubscription(text)!;
    expect(sub.format).toBe('links');
    expect(sub.entries.map((e) => e.protocol)).toEqual(['vless', 'unsupported', 'shadowsocks']);
    expect(sub.entries[0]!.label).toBe('A server with spaces');
    expect(sub.problems).toEqual([
      { line: 3, message: expect.stringMatching(/^line 3 .*no password/) },
      { line: 7, message: expect.stringMatching(/^line 7 .*unknown kind of link "vles:"/) },
    ]);
    expect(sub.dynamicKeys).toEqual([{ line: 6, url: 'https://keys.example.org/k1#Outline' }]);
  });

  it('reads a base64 subscription and links inside a pasted message', () => {
    const links = `trojan://pw@t.example:443#T\nvmess://${Buffer.from(JSON.stringify({ add: 'v.example', port: 443, id: UUID, aid: 0 })).toString('base64')}\n`;
    const sub = parseSubscription(Buffer.from(links).toString('base64').replace(/(.{60})/g, '$1\n'))!;
    expect(sub.format).toBe('base64');
    expect(sub.entries.map((e) => e.protocol)).toEqual(['trojan', 'vmess']);
    const post = `New servers today 🔥\nTry this: trojan://pw@t.example:443#T and join https://t.me/ourchannel\nMTProto: https://t.me/proxy?server=1.2.3.4&port=443&secret=dd0123456789abcdef0123456789abcdef`;
    const fromPost = parseSubscription(post)!;
    expect(fromPost.entries.map((e) => e.protocol)).toEqual(['trojan', 'mtproto']);
    expect(fromPost.problems).toEqual([]);
    expect(parseSubscription('just a message, no servers here')).toBeNull();
  });

  it('reads Clash/mihomo YAML proxies with line numbers for bad items', () => {
    const yaml = `port: 7890
proxies:
  - name: "vmess ws"
    type: vmess
    server: vm.example
    port: 443
    uuid: ${UUID}
    alterId: 0
    cipher: auto
    tls: true
    servername: front.example
    network: ws
    ws-opts:
      path: /vm
      headers:
        Host: front.example
  - {name: tr, type: trojan, server: t.example, port: 443, password: pw, sni: t.example, skip-cert-verify: true}
  - {name: hy, type: hysteria2, server: h.example, port: 443, password: pw}
  - {name: broken, type: vless, server: v.example, port: 443, uuid: nope}
  - {name: ss, type: ss, server: s.example, port: 8388, cipher: aes-256-gcm, password: pw}
  - {name: r, type: vless, server: r.example, port: 443, uuid: ${UUID}, reality-opts: {public-key: x}}
proxy-groups: []
`;
    const sub = parseSubscription(yaml)!;
    expect(sub.format).toBe('clash');
    expect(sub.entries).toEqual([
      { protocol: 'vmess', host: 'vm.example', ports: [443], uuid: UUID, label: 'vmess ws', transport: { type: 'ws', path: '/vm', host: 'front.example' }, tls: { sni: 'front.example' } },
      { protocol: 'trojan', host: 't.example', ports: [443], password: 'pw', tls: { sni: 't.example', insecure: true }, label: 'tr' },
      expect.objectContaining({ protocol: 'unsupported', scheme: 'hysteria2', host: 'h.example', label: 'hy' }),
      { protocol: 'shadowsocks', host: 's.example', ports: [8388], method: 'aes-256-gcm', password: 'pw', label: 'ss' },
      expect.objectContaining({ protocol: 'unsupported', scheme: 'vless+reality' }),
    ]);
    expect(sub.problems).toEqual([{ line: 19, message: expect.stringMatching(/^line 19 \(proxy "broken"\): .*not a UUID/) }]);
  });

  it('reads sing-box outbounds and passes over routing outbounds', () => {
    const json = JSON.stringify({
      outbounds: [
        { type: 'selector', tag: 'select', outbounds: ['a'] },
        { type: 'vless', tag: 'a', server: 'v.example', server_port: 443, uuid: UUID, tls: { enabled: true, server_name: 'front.example', alpn: ['h2'] }, transport: { type: 'ws', path: '/p', headers: { Host: 'front.example' } } },
        { type: 'shadowsocks', tag: 'b', server: '192.0.2.1', server_port: 8388, method: 'chacha20-ietf-poly1305', password: 'pw' },
        { type: 'tuic', tag: 'c', server: 'tu.example', server_port: 443 },
        { type: 'trojan', tag: 'd', server: 'tr.example' },
        { type: 'direct', tag: 'direct' },
      ],
    });
    const sub = parseSubscription(json)!;
    expect(sub.format).toBe('sing-box');
    expect(sub.entries).toEqual([
      { protocol: 'vless', host: 'v.example', ports: [443], uuid: UUID, label: 'a', transport: { type: 'ws', path: '/p', host: 'front.example' }, tls: { sni: 'front.example', alpn: ['h2'] } },
      { protocol: 'shadowsocks', host: '192.0.2.1', ports: [8388], method: 'chacha20-ietf-poly1305', password: 'pw', label: 'b' },
      expect.objectContaining({ protocol: 'unsupported', scheme: 'tuic' }),
    ]);
    expect(sub.problems).toEqual([{ line: null, message: expect.stringMatching(/^outbound 5 \("d"\): .*no port/) }]);
  });

  it('reads Outline configs: YAML transport with websocket and prefix, legacy JSON, and the error message', () => {
    const ws = parseSubscription(`transport:
  $type: tcpudp
  tcp:
    $type: shadowsocks
    endpoint:
      $type: websocket
      url: wss://cdn.example.com/SECRET/tcp
    cipher: chacha20-ietf-poly1305
    secret: SS_SECRET
  udp:
    $type: shadowsocks
    endpoint: 192.0.2.9:443
    cipher: chacha20-ietf-poly1305
    secret: SS_SECRET
`)!;
    expect(ws.entries).toEqual([{ protocol: 'shadowsocks', host: 'cdn.example.com', ports: [443], method: 'chacha20-ietf-poly1305', password: 'SS_SECRET', transport: { type: 'ws', path: '/SECRET/tcp' }, tls: {} }]);
    const prefixed = parseSubscription('transport:\n  $type: tcpudp\n  tcp:\n    $type: shadowsocks\n    endpoint: 192.0.2.9:443\n    cipher: aes-256-gcm\n    secret: pw\n    prefix: "POST "\n')!;
    expect(prefixed.entries[0]).toMatchObject({ host: '192.0.2.9', prefix: Buffer.from('POST ').toString('base64url') });
    const legacy = parseSubscription(JSON.stringify({ server: '192.0.2.3', server_port: 8000, password: 'pw', method: 'aes-128-gcm', prefix: '\u0016\u0003\u0001' }))!;
    expect(legacy.entries[0]).toMatchObject({ protocol: 'shadowsocks', host: '192.0.2.3', prefix: 'FgMB' });
    expectFailure(() => parseSubscription(JSON.stringify({ error: { message: 'This key has been revoked' } })), 'provider-message', /^the key's provider says: This key has been revoked$/);
  });

  it('refuses giant or deeply nested YAML/JSON with a clear message', () => {
    expectFailure(() => parseSubscription(`{"outbounds":${'['.repeat(100_000)}`), 'bad-config', /nested too deeply/);
    expect(() => parseSubscription(`proxies:\n  - ${'['.repeat(1000)}`)).toThrow(/nested too deeply/);
    expect(() => parseSubscription(`proxies:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 2)}- a:`).join('\n')}`)).toThrow(/nested too deeply/);
    expectFailure(() => parseSubscription('x'.repeat(5 * 1024 * 1024)), 'bad-config', /too large/);
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nproxies:\n  - [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`;
    const sub = parseSubscription(bomb)!;
    expect(sub.entries).toEqual([]);
    expect(sub.problems[0]!.message).toMatch(/line 7/);
    expectFailure(() => parseSubscription('proxies:\n  - {name: a\n'), 'bad-config', /YAML is broken at line/);
  });

  it('reads 5,000 links quickly and caps the count', () => {
    const lines = Array.from({ length: 5001 }, (_, i) => `vless://${UUID}@s${i}.example:443?security=tls&type=ws&path=/p${i}#Server ${i}`);
    const t0 = performance.now();
    const sub = parseSubscription(lines.join('\n'))!;
    const ms = performance.now() - t0;
    console.log(`parsed ${lines.length} links in ${ms.toFixed(0)} ms`);
    expect(sub.entries).toHaveLength(5000);
    expect(sub.problems).toEqual([{ line: 5001, message: 'only the first 5000 servers were read' }]);
  });
});
