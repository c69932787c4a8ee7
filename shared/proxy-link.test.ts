import { describe, expect, it } from 'vitest';
import { entryIdFor, formatProxyLink, parseProxyLink } from './proxy-link.ts';

describe('proxy links', () => {
  it('parses the forms power users paste', () => {
    expect(parseProxyLink('socks5://user:p%40ss@127.0.0.1:1080#Frankfurt-1')).toEqual({ protocol: 'socks5', host: '127.0.0.1', ports: [1080], username: 'user', password: 'p@ss', label: 'Frankfurt-1' });
    expect(parseProxyLink('socks5h://[2001:db8::1]:9050')).toEqual({ protocol: 'socks5', host: '2001:db8::1', ports: [9050] });
    expect(parseProxyLink('http://proxy.Example.org:3128')).toEqual({ protocol: 'http', host: 'proxy.example.org', ports: [3128] });
    expect(parseProxyLink('https://u:p@proxy.example.org')).toEqual({ protocol: 'https', host: 'proxy.example.org', ports: [443], username: 'u', password: 'p' });
    // SIP002 / Outline access key
    expect(parseProxyLink('ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzZWNyZXQ@198.51.100.4:8388/?outline=1#Almaty%20%231')).toEqual({ protocol: 'shadowsocks', host: '198.51.100.4', ports: [8388], method: 'chacha20-ietf-poly1305', password: 'secret', label: 'Almaty #1' });
    // padded standard base64 and percent-encoded plain userinfo
    expect(parseProxyLink('ss://YWVzLTI1Ni1nY206cGFzcw==@h.example:1')).toMatchObject({ method: 'aes-256-gcm', password: 'pass' });
    expect(parseProxyLink('ss://aes-128-gcm:pa%3Ass@h.example:2')).toMatchObject({ method: 'aes-128-gcm', password: 'pa:ss' });
    // legacy: everything base64
    const legacy = Buffer.from('aes-256-gcm:pw@10.0.0.1:8388').toString('base64');
    expect(parseProxyLink(`ss://${legacy}#Old`)).toEqual({ protocol: 'shadowsocks', host: '10.0.0.1', ports: [8388], method: 'aes-256-gcm', password: 'pw', label: 'Old' });
    expect(parseProxyLink('tg://socks?server=1.2.3.4&port=1080&user=a&pass=b')).toEqual({ protocol: 'socks5', host: '1.2.3.4', ports: [1080], username: 'a', password: 'b' });
    expect(parseProxyLink('https://t.me/socks?server=proxy.example&port=443')).toEqual({ protocol: 'socks5', host: 'proxy.example', ports: [443] });
  });

  it('names what is wrong in a bad link', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['1.2.3.4:1080', /no scheme/],
      ['socks5://1.2.3.4:99999', /port 99999 is out of range/],
      ['socks5://1.2.3.4:abc', /port "abc" is not a number/],
      ['socks5://bad_host!:1', /not a valid host/],
      ['ss://cmM0LW1kNTpwdw@h.example:1', /cipher "rc4-md5" is not supported/],
      ['ss://!!!@h:1', /not base64/],
      ['tg://proxy?server=1.2.3.4&port=443&secret=ee', /MTProto secret/],
      ['tg://socks?port=1', /no server=/],
      ['vmess://abc', /not base64|JSON/],
      ['ftp://x', /unknown kind of link "ftp:"/],
      ['socks5://h.example:1/path', /has no path/],
    ];
    for (const [link, error] of cases) expect(() => parseProxyLink(link), link).toThrow(error);
  });

  it('formats links back and derives stable ids', () => {
    const ss = parseProxyLink('ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzZWNyZXQ@198.51.100.4:8388#Almaty');
    expect(parseProxyLink(formatProxyLink(ss))).toEqual(ss);
    const v6 = parseProxyLink('socks5://u:p@[::1]:1080');
    expect(parseProxyLink(formatProxyLink(v6))).toEqual(v6);
    expect(formatProxyLink(v6, { withCredentials: false })).toBe('socks5://[::1]:1080');
    expect(entryIdFor(v6)).toBe(entryIdFor({ ...v6, password: 'other', label: 'x' }));
    expect(entryIdFor(v6)).not.toBe(entryIdFor({ ...v6, ports: [1081] }));
    expect(entryIdFor(v6)).toMatch(/^socks5-[0-9a-f]{12}$/);
  });
});
