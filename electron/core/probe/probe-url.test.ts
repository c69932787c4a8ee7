import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry.ts';
import { DEFAULT_PROBE_URLS, parseProbeUrl, probeUrlsFor } from './probe-url.ts';

const entry = (probeUrls?: string[]): Entry => ({ id: 'e', protocol: 'socks5', host: '127.0.0.1', ports: [1080], ...(probeUrls ? { probeUrls } : {}) });

describe('probe URLs', () => {
  it('the defaults come from several operators, over plain HTTP and HTTPS, each with a known answer', () => {
    const hosts = new Set(DEFAULT_PROBE_URLS.map((u) => new URL(u).hostname.split('.').slice(-2).join('.')));
    expect(hosts.size).toBeGreaterThanOrEqual(4);
    expect(DEFAULT_PROBE_URLS.some((u) => u.startsWith('http://'))).toBe(true);
    expect(DEFAULT_PROBE_URLS.some((u) => u.startsWith('https://'))).toBe(true);
    for (const u of DEFAULT_PROBE_URLS) {
      const t = parseProbeUrl(u);
      expect(t.expectStatus !== null || t.expectBody !== null).toBe(true);
    }
    expect(parseProbeUrl('http://detectportal.firefox.com/success.txt').expectBody).toBe('success');
  });

  it('the entry\'s URLs, then the list\'s, then at least two defaults', () => {
    const own = ['http://a.example/1', 'http://a.example/2', 'http://a.example/3'];
    const list = ['http://l.example/1', 'http://l.example/2'];
    const urls = probeUrlsFor(entry(own), list);
    expect(urls).toEqual([...own, DEFAULT_PROBE_URLS[0], DEFAULT_PROBE_URLS[1]]);
    expect(probeUrlsFor(entry(), list)).toEqual([...list, ...DEFAULT_PROBE_URLS.slice(0, 3)]);
    expect(probeUrlsFor(entry())).toEqual(DEFAULT_PROBE_URLS.slice(0, 5));
    expect(probeUrlsFor(entry(['http://x.example/']), [], [])).toEqual(['http://x.example/']);
  });

  it('parses each URL once: the same frozen answer again, the same refusal again, and the memo stays bounded', () => {
    const a = parseProbeUrl('http://memo.example:8080/generate_204?x=1');
    expect(parseProbeUrl('http://memo.example:8080/generate_204?x=1')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toMatchObject({ host: 'memo.example', port: 8080, path: '/generate_204?x=1', hostHeader: 'memo.example:8080', expectStatus: 204 });
    expect(() => parseProbeUrl('ftp://memo.example/')).toThrow(/not http/);
    expect(() => parseProbeUrl('ftp://memo.example/')).toThrow(/not http/);
    for (let i = 0; i < 1000; i++) parseProbeUrl(`http://many.example/${i}`);
    expect(parseProbeUrl('http://memo.example:8080/generate_204?x=1')).toEqual(a); // still right after the memo was cleared
  });
});
