import { describe, expect, it } from 'vitest';
import { endToEnd, parseAuthority, requestHeaders } from './http-headers.ts';

describe('forwarded headers', () => {
  it('drops hop-by-hop headers, the ones Connection names, and proxy credentials', () => {
    const raw = ['Host', 'a.test', 'Connection', 'keep-alive, X-Secret', 'X-Secret', '1', 'Proxy-Authorization', 'Basic eA==', 'Keep-Alive', 'timeout=5', 'TE', 'trailers', 'Accept', '*/*', 'Proxy-Connection', 'keep-alive'];
    expect(endToEnd(raw)).toEqual(['Host', 'a.test', 'Accept', '*/*']);
  });

  it('adds a Host header when the client sent none, and keeps chunked bodies chunked', () => {
    expect(requestHeaders(['Transfer-Encoding', 'chunked'], { host: '::1', port: 8080 })).toEqual(['Host', '[::1]:8080', 'Transfer-Encoding', 'chunked']);
    expect(requestHeaders([], { host: 'a.test', port: 80 })).toEqual(['Host', 'a.test']);
  });

  it('parses CONNECT authorities', () => {
    expect(parseAuthority('example.org:443')).toEqual({ host: 'example.org', port: 443 });
    expect(parseAuthority('[2001:db8::1]:8443')).toEqual({ host: '2001:db8::1', port: 8443 });
    for (const bad of ['example.org', 'example.org:0', 'example.org:70000', '::1:443', 'a b:1', 'user@host:1', '']) expect(parseAuthority(bad)).toBeNull();
  });
});
