import { describe, expect, it } from 'vitest';
import { armor } from './armor.ts';
import { listInFile, looksImportable, looksLikeJson } from './sniff.ts';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('sniffing an input (one place)', () => {
  it('takes a JSON document after a BOM and blanks, as bytes or as text', () => {
    expect(looksLikeJson(enc('{"a":1}'))).toBe(true);
    expect(looksLikeJson(Uint8Array.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a, 0x20, 0x09, 0x7b]))).toBe(true);
    expect(looksLikeJson(enc('\ufeff \n{}'))).toBe(true);
    expect(looksLikeJson(enc('x{'))).toBe(false);
    expect(looksLikeJson(new Uint8Array(0))).toBe(false);
    expect(looksLikeJson(' \n\t{')).toBe(true);
    expect(looksLikeJson('[1]')).toBe(false);
  });

  it('finds the list in a file: raw as it is, else the first armored LIST block', () => {
    const raw = enc('  {"signed":"x"}');
    expect(listInFile(raw)).toEqual({ ok: true, bytes: raw });
    const body = Uint8Array.from([1, 2, 3, 4]);
    const page = enc(`<p>hello</p>\n${armor('KEY', Uint8Array.from([9]))}\n${armor('LIST', body)}`);
    expect(listInFile(page)).toEqual({ ok: true, bytes: body });
    expect(listInFile(enc('nothing here'))).toEqual({ ok: false, problem: 'none' });
    expect(listInFile(Uint8Array.from([0xff, 0xfe, 0x00]))).toEqual({ ok: false, problem: 'not-text' });
    const damaged = listInFile(enc('-----BEGIN PORTHOLE LIST-----\n!!!\n-----END PORTHOLE LIST-----'));
    expect(damaged).toMatchObject({ ok: false, problem: 'damaged' });
    expect((damaged as { error?: string }).error).toBeTruthy();
  });

  it('offers an armored block or a code for import, nothing else', () => {
    expect(looksImportable(armor('LIST', Uint8Array.from([1])))).toBe(true);
    expect(looksImportable('hello')).toBe(false);
    expect(looksImportable('')).toBe(false);
  });
});
