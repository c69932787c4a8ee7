// Undoes what messengers, phones and web pages do to pasted codes: full-width forms,
// Cyrillic/Greek lookalike letters, typographic dashes, invisible characters; and turns
// HTML into text. Everything here reads untrusted text (pages, posts, pastes, the
// clipboard), so every scan is a single forward pass: hand-written scanners, or regexes
// made of one character class (no nesting, no alternation, no backtracking).

// Lookalikes that NFKC does not fold, mapped to the Latin letter they imitate.
const LOOKALIKES: Record<string, string> = {
  // Cyrillic capitals
  'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X',
  'У': 'Y', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'Ԛ': 'Q', 'Ԝ': 'W', 'З': '3',
  // Cyrillic small
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd',
  'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l',
  // Greek
  'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P',
  'Τ': 'T', 'Υ': 'Y', 'Χ': 'X', 'ο': 'o', 'ν': 'v', 'κ': 'k', 'ι': 'i', 'α': 'a',
  // Dashes and underscores
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-', '﹘': '-', '＿': '_', '‗': '_',
};
const LOOKALIKE_CODES = new Map(Object.entries(LOOKALIKES).map(([from, to]) => [from.charCodeAt(0), to.charCodeAt(0)]));
const isInvisible = (c: number): boolean => c === 0xad || c === 0x180e || (c >= 0x200b && c <= 0x200f)
  || (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2064) || c === 0xfeff;

// Code points whose NFKD or NFKC form is longer than 3 UTF-16 units (ﷺ becomes 18, squared
// katakana words, parenthesized numbers, some ligatures; listed from Unicode 16). None can be
// part of a code or a block, so they become a space first: normalizing then grows text at most 3×.
const EXPANDING_RANGES: [number, number][] = [[0x1f82, 0x1f87], [0x1f8a, 0x1f8f], [0x1f92, 0x1f97], [0x1f9a, 0x1f9f], [0x1fa2, 0x1fa7], [0x1faa, 0x1faf], [0x2057, 0x2057], [0x2152, 0x2152], [0x2167, 0x2167], [0x2177, 0x2177], [0x247d, 0x2487], [0x2a0c, 0x2a0c], [0x320e, 0x321e], [0x327c, 0x327d], [0x3300, 0x3302], [0x3304, 0x3304], [0x3307, 0x3308], [0x330c, 0x3313], [0x3315, 0x331b], [0x331e, 0x3321], [0x3324, 0x3324], [0x332b, 0x332f], [0x3332, 0x3334], [0x3336, 0x3336], [0x3338, 0x3338], [0x333a, 0x333e], [0x3340, 0x3340], [0x3343, 0x3343], [0x3347, 0x3348], [0x334a, 0x334a], [0x334c, 0x334e], [0x3351, 0x3351], [0x3353, 0x3354], [0x3356, 0x3356], [0x337f, 0x337f], [0x3389, 0x3389], [0x33a8, 0x33a8], [0x33ae, 0x33af], [0x33c2, 0x33c2], [0x33c6, 0x33c6], [0x33d8, 0x33d8], [0xfdf2, 0xfdf8], [0xfdfa, 0xfdfc], [0x1109a, 0x1109a], [0x1109c, 0x1109c], [0x110ab, 0x110ab], [0x1112e, 0x1112f], [0x1134b, 0x1134c], [0x11383, 0x11383], [0x11385, 0x11385], [0x1138e, 0x1138e], [0x11391, 0x11391], [0x113c5, 0x113c5], [0x113c7, 0x113c8], [0x114bb, 0x114bc], [0x114be, 0x114be], [0x115ba, 0x115bb], [0x11938, 0x11938], [0x16121, 0x16128], [0x16d68, 0x16d6a], [0x1d15e, 0x1d164], [0x1d1bb, 0x1d1c0]];
// eslint-disable-next-line no-control-regex -- a plain ASCII check, one class
const NON_ASCII = /[^\x00-\x7f]/;

function isExpanding(cp: number): boolean {
  if (cp < 0x1f82) return false;
  let lo = 0;
  let hi = EXPANDING_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = EXPANDING_RANGES[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Folds pasted text to what it means: NFKC, invisible characters dropped, lookalikes to Latin.
 * Loops over code units rather than String.replace: a megabyte of lookalikes would be a
 * million replacements, each far slower than a copy.
 */
export function normalizePasted(text: string): string {
  if (!NON_ASCII.test(text)) return text; // nothing to fold
  const folded = spaceOutExpanding(text).normalize('NFKC');
  const out = new CodeUnits(folded.length);
  for (let k = 0; k < folded.length; k++) {
    const c = folded.charCodeAt(k);
    if (c < 0x80) out.unit(c);
    else if (!isInvisible(c)) out.unit(LOOKALIKE_CODES.get(c) ?? c);
  }
  return out.toString();
}

function spaceOutExpanding(text: string): string {
  const out = new CodeUnits(text.length);
  let found = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    const pair = c >= 0xd800 && c <= 0xdbff && k + 1 < text.length ? text.codePointAt(k)! : c;
    const units = pair > 0xffff ? 2 : 1;
    if (isExpanding(pair)) {
      out.unit(0x20);
      found = true;
    } else {
      out.unit(c);
      if (units === 2) out.unit(text.charCodeAt(k + 1));
    }
    k += units - 1;
  }
  return found ? out.toString() : text;
}

/** True for the characters JavaScript's `\s` matches (a UTF-16 code unit). */
export function isSpaceCode(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// A Map, not an object: "&constructor;" must not find Object.prototype.constructor.
const ENTITIES = new Map(Object.entries({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', shy: '' }));

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isWord = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 0x5f;

const MAX_REFERENCE = 32; // no reference we know is longer: a longer run is text

/** The character reference at text[at] === '&' (`&#x41;`, `&#65;`, `&lt;`): its `;` index and its name, or null. */
function referenceAt(text: string, at: number): { end: number; ref: string } | null {
  let k = at + 1;
  const limit = Math.min(text.length, at + 1 + MAX_REFERENCE);
  let ok: (c: number) => boolean = isAlpha;
  if (text.charCodeAt(k) === 0x23 /* # */) {
    k++;
    const x = text.charCodeAt(k);
    if (x === 0x78 || x === 0x58) { k++; ok = isHexDigit; } else ok = isDigit;
  }
  const start = k;
  while (k < limit && ok(text.charCodeAt(k))) k++;
  if (k === start || text.charCodeAt(k) !== 0x3b /* ; */) return null;
  return { end: k, ref: text.slice(at + 1, k) };
}

/** Decodes HTML character references (named basics, decimal, hex). One pass, a bounded look at each '&'. */
export function decodeHtmlEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  const out = new CodeUnits(text.length); // a reference is never shorter than what it stands for
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x26) {
      const e = referenceAt(text, k);
      const value = e ? entityValue(e.ref) : null;
      if (e && value !== null) {
        out.text(value);
        k = e.end;
        continue;
      }
    }
    out.unit(c);
  }
  return out.toString();
}

/** A string built one UTF-16 code unit at a time (much faster than joining many small pieces). */
class CodeUnits {
  private readonly buf: Uint16Array;
  private n = 0;
  constructor(capacity: number) { this.buf = new Uint16Array(capacity); }
  unit(c: number): void { this.buf[this.n++] = c; }
  text(s: string): void { for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i); }
  toString(): string {
    const chunks: string[] = [];
    // apply, not a spread: a spread of a typed array is an order of magnitude slower.
    for (let i = 0; i < this.n; i += 8192) chunks.push(String.fromCharCode.apply(null, this.buf.subarray(i, Math.min(this.n, i + 8192)) as unknown as number[]));
    return chunks.join('');
  }
}

function entityValue(ref: string): string | null {
  if (ref[0] === '#') {
    const hex = ref[1] === 'x' || ref[1] === 'X';
    const cp = hex ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : null;
  }
  return ENTITIES.get(ref) ?? ENTITIES.get(ref.toLowerCase()) ?? null;
}

// Both linear: a fixed two characters; and, after each '&', one run of a single class that
// the ';' after it cannot belong to (a failed run is given back one character at a time, once).
const TAG_OPEN = /<[a-zA-Z/!]/;
const COMMON_REF = /&(?:lt|gt|amp|nbsp|#\d+|#x[0-9a-f]+);/i;

/** True when the text has a tag (`<a…>`, `</…>`, `<!…>`) or one of the common references. */
export function looksLikeHtml(text: string): boolean {
  const open = TAG_OPEN.exec(text);
  // The first '<' that opens a tag decides: a later one has no '>' after it either.
  if (open && text.indexOf('>', open.index + 2) >= 0) return true;
  return COMMON_REF.test(text);
}

type TagKind = 'script' | 'style' | 'break' | null;

function opensTag(c: number): boolean {
  return isAlpha(c) || c === 0x2f || c === 0x21 || c === 0x3f;
}

/** Whether text[k…] spells `word` (lower-case ASCII letters), ignoring case. */
function spells(text: string, k: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if ((text.charCodeAt(k + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * What the tag opened at text[lt] === '<' is to us: <script>/<style> (dropped with their
 * content), a line break (<br>, </p>, </div>, </li>, </tr>, </hN>), or any other tag.
 */
function tagKind(text: string, lt: number): TagKind {
  let k = lt + 1;
  const closing = text.charCodeAt(k) === 0x2f;
  if (closing) k++;
  let e = k;
  while (e < text.length && e - k <= 6 && isWord(text.charCodeAt(e))) e++;
  const len = e - k;
  if (!closing) {
    if (len === 2 && spells(text, k, 'br')) return 'break';
    if (len === 6 && spells(text, k, 'script')) return 'script';
    if (len === 5 && spells(text, k, 'style')) return 'style';
    return null;
  }
  if ((len === 1 && spells(text, k, 'p')) || (len === 3 && spells(text, k, 'div'))) return 'break';
  if (len === 2 && (spells(text, k, 'li') || spells(text, k, 'tr') || (spells(text, k, 'h') && isDigit(text.charCodeAt(k + 1))))) return 'break';
  return null;
}

/**
 * Turns HTML (or text that may contain HTML) into plain text: script and style elements
 * dropped, line-breaking tags become newlines, other tags dropped, entities decoded.
 * One forward pass. As in a browser, '<' opens a tag only before a letter, '/', '!' or '?'
 * ("a < b" is text), and a tag runs to the next '>' (a '<' with no '>' after it is text).
 */
export function htmlToText(text: string): string {
  const lastGt = text.lastIndexOf('>');
  if (lastGt < 0 || text.indexOf('<') < 0) return decodeHtmlEntities(decodeHtmlEntities(text));
  const out = new CodeUnits(text.length); // a tag is never shorter than the newline it may become
  // Where a search for a closing </script> or </style> found none: later searches cannot either.
  const noCloseFrom: Record<'script' | 'style', number> = { script: Infinity, style: Infinity };
  let k = 0;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c !== 0x3c || k >= lastGt || !opensTag(text.charCodeAt(k + 1))) {
      out.unit(c);
      k++;
      continue;
    }
    const kind = tagKind(text, k);
    k++;
    while (text.charCodeAt(k) !== 0x3e) k++; // stops at lastGt at the latest
    k++;
    if (kind === 'break') out.unit(0x0a);
    else if ((kind === 'script' || kind === 'style') && noCloseFrom[kind] > k) {
      const end = closingTagEnd(text, k, kind);
      if (end >= 0) k = end;
      else noCloseFrom[kind] = k;
    }
  }
  // Entities may be double-escaped (&amp;lt;): decode twice.
  return decodeHtmlEntities(decodeHtmlEntities(out.toString()));
}

/** The index just after `</name\s*>` at or after `from`, or -1. */
function closingTagEnd(text: string, from: number, name: string): number {
  for (let k = text.indexOf('</', from); k >= 0; k = text.indexOf('</', k + 2)) {
    if (!spells(text, k + 2, name)) continue;
    let j = k + 2 + name.length;
    while (j < text.length && isSpaceCode(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) === 0x3e) return j + 1;
  }
  return -1;
}
