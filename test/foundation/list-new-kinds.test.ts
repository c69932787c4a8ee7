// Signed lists carry the 2026 entry kinds (trojan, vless, vmess, MTProto, kept-unsupported ones), and
// stay readable by this client when a newer publisher adds kinds it does not know yet: those entries
// become 'unsupported' ones ("needs a newer Porthole"), and the rest of the list still works.
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/base64url.ts';
import { DOMAIN } from '../../shared/list-format.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import { signDocument } from '../../electron/core/lists/signed.ts';
import { verifyList } from '../../electron/core/lists/verify.ts';
import { makePublisher } from '../helpers/publishers.ts';

const UUID = 'b831381d-6324-4d53-ad4f-8cda48b30811';

describe('signed lists with the new entry kinds', () => {
  it('sign takes every link kind, and verify reads them back', () => {
    const p = makePublisher();
    const now = new Date();
    const input = {
      entries: [
        { url: `vless://${UUID}@v.example:443?security=tls&sni=front.example&type=ws&path=/ws#V`, country: 'DE' },
        { url: 'trojan://pw@t.example:443?allowInsecure=1' },
        { url: `vmess://${Buffer.from(JSON.stringify({ add: 'm.example', port: 443, id: UUID, aid: 0, net: 'ws', tls: 'tls' })).toString('base64')}` },
        { url: 'tg://proxy?server=mt.example&port=443&secret=dd0123456789abcdef0123456789abcdef', tags: ['telegram-only'] },
        { url: 'hysteria2://auth@h.example:443#H' },
        { url: 'ss://YWVzLTI1Ni1nY206cHc@s.example:443/?outline=1&prefix=%16%03%01' },
      ],
    };
    const payload = buildPayload(JSON.stringify(input), { publisher: p.chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 86400_000) });
    const v = verifyList(signList(payload, p.listKey, p.chain), { trusted: [p.chain], now });
    expect(v.payload.entries.map((e) => e.protocol)).toEqual(['vless', 'trojan', 'vmess', 'mtproto', 'unsupported', 'shadowsocks']);
    expect(v.payload.entries[0]).toMatchObject({ transport: { type: 'ws', path: '/ws' }, tls: { sni: 'front.example' }, country: 'DE' });
    expect(v.payload.entries[4]).toMatchObject({ scheme: 'hysteria2', link: 'hysteria2://auth@h.example:443#H' });
    expect(v.payload.entries[5]).toMatchObject({ prefix: 'FgMB' });
  });

  it('reads entries of kinds a newer publisher added as unsupported, keeping the rest of the list', () => {
    const p = makePublisher();
    const now = new Date();
    const payload = {
      type: 'porthole-list', publisher: p.chain.publisher, version: 3, issuedAt: now.toISOString(), expires: new Date(now.getTime() + 86400_000).toISOString(),
      entries: [
        { id: 'ok-1', protocol: 'socks5', host: '203.0.113.1', ports: [1080] },
        { id: 'future-1', protocol: 'hysteria3', host: 'h.example', ports: [443, 8443], label: 'Future', obfs: { type: 'x' } },
        { id: 'future-2', protocol: 'vless', host: 'v.example', ports: [443], uuid: UUID, flowControl: 'new' },
      ],
      channels: [],
    };
    const envelope = { format: 'porthole-list/1', roots: p.chain.chain, list: signDocument(utf8(JSON.stringify(payload)), DOMAIN.list, [p.listKey]) };
    const v = verifyList(utf8(JSON.stringify(envelope)), { trusted: [p.chain], now });
    expect(v.payload.entries).toEqual([
      { id: 'ok-1', protocol: 'socks5', host: '203.0.113.1', ports: [1080] },
      { id: 'future-1', protocol: 'unsupported', host: 'h.example', ports: [443, 8443], label: 'Future', scheme: 'hysteria3', link: 'hysteria3://h.example:443' },
      { id: 'future-2', protocol: 'unsupported', host: 'v.example', ports: [443], scheme: 'vless+flowControl', link: 'vless+flowControl://v.example:443' },
    ]);
  });

  it('still refuses an entry that is broken rather than new', () => {
    const p = makePublisher();
    const now = new Date();
    const payload = {
      type: 'porthole-list', publisher: p.chain.publisher, version: 1, issuedAt: now.toISOString(), expires: new Date(now.getTime() + 86400_000).toISOString(),
      entries: [{ id: 'bad', protocol: 'vless', host: 'v.example', ports: [443], uuid: 'not-a-uuid' }],
      channels: [],
    };
    const envelope = { format: 'porthole-list/1', roots: p.chain.chain, list: signDocument(utf8(JSON.stringify(payload)), DOMAIN.list, [p.listKey]) };
    expect(() => verifyList(utf8(JSON.stringify(envelope)), { trusted: [p.chain], now })).toThrow(/malformed at .*entries\.0\.uuid/);
  });
});
