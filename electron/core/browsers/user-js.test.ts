// Porthole's user.js block: added with markers, removed leaving every other byte identical.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUserPref, prefNameOfLine, proxyPrefs, renderUserJs } from './firefox-prefs.ts';
import { BLOCK_BEGIN, BLOCK_END, hasBlock, insertBlock, removeBlock } from './user-js-block.ts';

const body = renderUserJs(proxyPrefs('127.0.0.1', 1080));

describe('user.js block', () => {
  it('appends a marked block with the proxy prefs', () => {
    const out = insertBlock('user_pref("a.b", 1);\n', body);
    const lines = out.split('\n');
    expect(lines[0]).toBe('user_pref("a.b", 1);');
    expect(lines[1]).toBe(BLOCK_BEGIN);
    expect(lines).toContain('user_pref("network.proxy.type", 1);');
    expect(lines).toContain('user_pref("network.proxy.socks", "127.0.0.1");');
    expect(lines).toContain('user_pref("network.proxy.socks_port", 1080);');
    expect(lines).toContain('user_pref("network.proxy.socks_version", 5);');
    expect(lines).toContain('user_pref("network.proxy.socks_remote_dns", true);');
    expect(lines).toContain('user_pref("network.trr.mode", 5);');
    expect(lines).toContain('user_pref("media.peerconnection.ice.proxy_only", true);');
    expect(lines.at(-2)).toBe(BLOCK_END);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('removes exactly the block: files with and without a final line break, CRLF, empty', () => {
    for (const original of ['', 'user_pref("a", 1);\n', 'user_pref("a", 1);', '// x\r\nuser_pref("b", "c");\r\n', '\n\n', 'x\r\ny']) {
      const withBlock = insertBlock(original, body);
      expect(hasBlock(withBlock)).toBe(true);
      expect(removeBlock(withBlock)).toBe(original);
    }
  });

  it('replaces an earlier block instead of adding a second one (new port)', () => {
    const once = insertBlock('a\n', body);
    const twice = insertBlock(once, renderUserJs(proxyPrefs('127.0.0.1', 2000)));
    expect(twice.split(BLOCK_BEGIN).length).toBe(2);
    expect(twice).toContain('"network.proxy.socks_port", 2000');
    expect(twice).not.toContain('1080');
    expect(removeBlock(twice)).toBe('a\n');
  });

  it('keeps lines the user added after the block', () => {
    const withBlock = `${insertBlock('a\n', body)}user_pref("later", true);\n`;
    expect(removeBlock(withBlock)).toBe('a\nuser_pref("later", true);\n');
  });

  it('leaves a file without a block alone, even when a marker appears mid-line', () => {
    const text = `// see ${BLOCK_BEGIN}\n${BLOCK_END}\n`;
    expect(hasBlock(text)).toBe(false);
    expect(removeBlock(text)).toBe(text);
  });

  it('round-trips any text byte-identically (property)', () => {
    const lineArb = fc.oneof(fc.string(), fc.constant('user_pref("x", 1);'), fc.constant(''));
    const textArb = fc.tuple(fc.array(lineArb, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([lines, eol, final]) => {
      const t = lines.filter((l) => !l.includes('Porthole') && !/[\r\n]/.test(l)).join(eol);
      return final && t !== '' ? t + eol : t;
    });
    fc.assert(fc.property(textArb, (t) => removeBlock(insertBlock(t, body)) === t));
  });

  it('formats and recognises user_pref lines', () => {
    expect(formatUserPref('x.y', 'a"b')).toBe('user_pref("x.y", "a\\"b");');
    expect(prefNameOfLine('  user_pref("network.proxy.type", 1);')).toBe('network.proxy.type');
    expect(prefNameOfLine('// user_pref("x", 1);')).toBeUndefined();
  });
});
