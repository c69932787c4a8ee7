// One-time codes carry the 2026 kinds (Trojan, VLESS, VMess, MTProto, Shadowsocks with an Outline
// prefix or over WebSocket/TLS); a code for one such server on an IP address fits one SMS in the
// key-id form. A kind Porthole cannot speak is refused with a clear message.
import { describe, expect, it } from 'vitest';
import { findCode } from '../../../shared/code-format.ts';
import { parseProxyLink } from '../../../shared/proxy-link.ts';
import { createCode } from './codes.ts';
import { generateKey } from '../crypto/ed25519.ts';

const UUID = 'b831381d-6324-4d53-ad4f-8cda48b30811';
const key = generateKey();
const expires = new Date(Date.now() + 3 * 86400_000);

describe('codes for the new server kinds', () => {
  const links = [
    'trojan://p%40ss@cdn.example.com:443?security=tls&sni=front.example.net&type=ws&host=real.example.org&path=%2Fws&alpn=h2,http/1.1&allowInsecure=1#Trojan',
    'trojan://c2VjcmV0c2VjcmV0MTI@203.0.113.5:443',
    `vless://${UUID}@v.example:443?security=tls&sni=v.example&type=ws&path=/v&pinSha256=${'q'.repeat(43)}#V`,
    `vless://${UUID}@203.0.113.6:80?type=tcp`,
    `vmess://${Buffer.from(JSON.stringify({ add: 'vm.example', port: 8443, id: UUID, aid: 0, scy: 'chacha20-poly1305', net: 'ws', path: '/vm', host: 'front.example', tls: 'tls', ps: 'VM' })).toString('base64')}`,
    'tg://proxy?server=mt.example&port=443&secret=ee0123456789abcdef0123456789abcdef7777772e676f6f676c652e636f6d',
    'ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzZWNyZXQ@198.51.100.4:443/?outline=1&prefix=%16%03%01%00%C2%A8%01%01#Outline',
    'ss://YWVzLTI1Ni1nY206cHc@h.example:443/?plugin=v2ray-plugin%3Bmode%3Dwebsocket%3Btls%3Bhost%3Dcdn.example%3Bpath%3D%2Fss',
  ];

  it('every kind survives a code round trip', () => {
    const servers = links.map((l) => parseProxyLink(l));
    const code = createCode({ key, servers, expires });
    const decoded = findCode(code)!;
    expect(decoded.content.servers).toEqual(servers);
  });

  it('one server on an IP address fits one SMS in the key-id form', () => {
    const lengths: Record<string, number> = {};
    for (const link of [links[1]!, links[3]!, `tg://proxy?server=203.0.113.7&port=443&secret=dd0123456789abcdef0123456789abcdef`]) {
      const server = parseProxyLink(link);
      const short = createCode({ key, servers: [server], expires, short: true });
      lengths[server.protocol] = short.length;
      expect(short.length, link).toBeLessThanOrEqual(160);
      expect(findCode(short)!.content.servers).toEqual([server]);
    }
    console.log('one-server key-id codes (characters):', lengths, 'full form VLESS:', createCode({ key, servers: [parseProxyLink(links[3]!)], expires }).length);
  });

  it('refuses a server Porthole cannot speak, and a code whose extension is damaged', () => {
    expect(() => createCode({ key, servers: [parseProxyLink('hysteria2://x@h.example:443')], expires })).toThrow(/cannot carry this unsupported server/);
    const code = createCode({ key, servers: [parseProxyLink(links[3]!)], expires });
    // Flip the kind byte to an unknown kind: the signature breaks too, but the structure is refused first or after.
    const bytes = Buffer.from(code.slice(4), 'base64url');
    // The server starts after header, length, key (32), expiry (2): a, b, then host (4), port (2), then the kind byte.
    const b = 2 + 32 + 2 + 1;
    expect(bytes[b]! & 0x80).toBe(0x80);
    bytes[b + 1 + 4 + 2] = 7;
    expect(() => findCode(`PH1:${bytes.toString('base64url')}`)).toThrow(/damaged/);
  });
});
