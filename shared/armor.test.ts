import { describe, expect, it } from 'vitest';
import { armor, extractArmored } from './armor.ts';

const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);
const block = armor('LIST', bytes);

describe('armor', () => {
  it('round trips and wraps at 64 characters', () => {
    expect(block.split('\n').slice(1, -2).every((l) => l.length <= 64)).toBe(true);
    expect(extractArmored(block)).toEqual([{ kind: 'LIST', ok: true, bytes }]);
  });

  it('finds every block in noisy HTML, escaped text, quoted email and re-wrapped lines', () => {
    const body = block.split('\n').slice(1, -2).join('');
    const html = `<p>a</p><pre>${block.replace(/\n/g, '<br>')}</pre><div>&lt;b&gt;</div>`;
    const escaped = `&lt;p&gt;${block.replace(/\n/g, '&#10;')}&lt;/p&gt;`;
    const quoted = block.split('\n').map((l) => `> > ${l}`).join('\n');
    const rewrapped = `-----BEGIN PORTHOLE LIST-----\n${body.match(/.{1,23}/g)!.join('\n ')}\n-----END PORTHOLE LIST-----`;
    const tagsInside = `—— BEGIN PORTHOLE LIST ——<br/><span>${body.slice(0, 100)}</span><wbr/><a href="#">${body.slice(100)}</a>&nbsp;<br>—— END PORTHOLE LIST ——`;
    for (const text of [html, escaped, quoted, rewrapped, tagsInside]) {
      expect(extractArmored(`junk before ${text} junk after`)).toEqual([{ kind: 'LIST', ok: true, bytes }]);
    }
    expect(extractArmored(`${html}\n${armor('KEY', bytes.slice(0, 10))}`).map((b) => b.kind)).toEqual(['LIST', 'KEY']);
  });

  it('reports a damaged body and ignores text without blocks', () => {
    expect(extractArmored('no blocks here')).toEqual([]);
    const damaged = block.replace(/\n([A-Za-z0-9_-]{10})/, '\n$1%');
    expect(extractArmored(damaged)).toEqual([{ kind: 'LIST', ok: false, error: 'the list block is damaged (its body is not valid base64url)' }]);
  });
});
