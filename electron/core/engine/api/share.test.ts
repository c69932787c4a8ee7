import { describe, expect, it } from 'vitest';
import { parseProxyLink } from '../../../../shared/proxy-link.ts';
import { generateKey } from '../../crypto/ed25519.ts';
import { bareKeyChain } from '../../lists/roots.ts';
import { readCode, verifyCode } from '../../codes/codes.ts';
import { shareBatch, shareCode } from './share.ts';

const key = generateKey();
const links = [1, 2, 3, 4, 5].map((i) => parseProxyLink(`socks5://u:p@198.51.100.${i}:1080#Node-${i}`));

describe('sharing from the app', () => {
  it('one code: full and short forms, each with its SMS count, both verifying', async () => {
    const r = await shareCode(key, links.slice(0, 1));
    expect(r.code.length).toBeGreaterThan(r.short!.code.length);
    expect(r.sms).toBe(r.code.length <= 160 ? 1 : Math.ceil(r.code.length / 153));
    expect(verifyCode(readCode(r.short!.code)!, [bareKeyChain(key.publicKey)], new Date()).trusted).toBe(true);
  });

  it('a batch: different sets, spread evenly, real codes, a CSV', () => {
    const r = shareBatch(key, links, { count: 10, perCode: 2 });
    expect(r.codes).toHaveLength(10);
    expect(new Set(r.codes.map((c) => c.servers.join())).size).toBe(10);
    expect(r.uses).toEqual({ min: 4, max: 4 });
    for (const c of r.codes) expect(readCode(c.code)!.content.servers.map((s) => s.label)).toEqual(c.servers);
    expect(r.csv.split('\r\n')[0]).toBe('number,code,servers,expires');
    expect(() => shareBatch(key, links, { count: 11, perCode: 4 })).toThrow(expect.objectContaining({ name: 'PortholeError', code: 'bad-batch' }));
  });
});
