// The armored text form of a signed list or publisher key, made to survive being
// pasted into a Telegram post, an email, a forum or a web page:
//
//   -----BEGIN PORTHOLE LIST-----
//   <base64url body, wrapped at 64 characters>
//   -----END PORTHOLE LIST-----
//
// Finding blocks reads untrusted text (pages, posts, links, pastes, the clipboard), so it is
// a hand-written scanner that looks at each character a bounded number of times (a regex
// with a lazy body between two dash runs backtracks cubically on a run of dashes).
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';
import { htmlToText, isSpaceCode, looksLikeHtml, normalizePasted } from './text-normalize.ts';

export const ARMOR_KINDS = ['LIST', 'KEY'] as const;
export type ArmorKind = (typeof ARMOR_KINDS)[number];
const LINE = 64;
/** Text beyond this many characters is not searched (every caller caps its input lower). */
export const MAX_ARMOR_SCAN = 16 * 1024 * 1024;
/** Blocks beyond this many are ignored: no real post carries more. */
export const MAX_ARMOR_BLOCKS = 64;

export function armor(kind: ArmorKind, bytes: Uint8Array): string {
  const body = encodeBase64Url(bytes);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += LINE) lines.push(body.slice(i, i + LINE));
  return `-----BEGIN PORTHOLE ${kind}-----\n${lines.join('\n')}\n-----END PORTHOLE ${kind}-----\n`;
}

export type ArmoredBlock =
  | { kind: ArmorKind; ok: true; bytes: Uint8Array }
  | { kind: ArmorKind; ok: false; error: string };

/**
 * Finds every armored block inside arbitrary text or HTML and ignores the rest.
 * Copes with HTML-escaped text, tags inside the block, quoting ("> ") and re-wrapped lines.
 * Dashes may have become em/en dashes and been collapsed by a messenger: 2 or more count.
 */
export function extractArmored(input: string): ArmoredBlock[] {
  const capped = input.length > MAX_ARMOR_SCAN ? input.slice(0, MAX_ARMOR_SCAN) : input;
  const text = normalizePasted(looksLikeHtml(capped) ? htmlToText(capped) : capped);
  return findBlocks(text).map(({ kind, body }) => {
    const clean = stripQuotingAndSpace(body);
    const bytes = clean.length > 0 ? decodeBase64Url(clean) : null;
    return bytes
      ? { kind, ok: true as const, bytes }
      : { kind, ok: false as const, error: `the ${kind.toLowerCase()} block is damaged (its body is not valid base64url)` };
  });
}

interface RawBlock { kind: ArmorKind; body: string }

/**
 * The blocks `-{2,}\s*BEGIN\s+PORTHOLE\s+(LIST|KEY)\s*-{2,} body -{2,}\s*END\s+PORTHOLE\s+<same>\s*-{2,}`,
 * leftmost first, each body ending at the first END line of its kind. Linear: a BEGIN or END
 * word is checked by looking at the spaces and dashes around it only; a search for an END
 * line that fails is remembered per kind (a later search would fail too).
 */
function findBlocks(text: string): RawBlock[] {
  const out: RawBlock[] = [];
  const noEndFrom: Record<ArmorKind, number> = { LIST: Infinity, KEY: Infinity };
  const endFrom = (from: number, kind: ArmorKind): { bodyEnd: number; end: number } | null => {
    if (from >= noEndFrom[kind]) return null;
    const end = findEnd(text, from, kind);
    if (!end) noEndFrom[kind] = from;
    return end;
  };
  let pos = 0;
  while (out.length < MAX_ARMOR_BLOCKS) {
    const b = text.indexOf('BEGIN', pos);
    if (b < 0) break;
    const header = dashesBefore(text, b, pos) >= 2 ? lineAfter(text, b + 5) : null;
    if (!header) {
      pos = b + 5;
      continue;
    }
    // The first END after all of the BEGIN line's dashes; failing that, one whose dashes are the tail
    // of that run (an empty body: the BEGIN line keeps two dashes). Each failed search is remembered.
    const end = endFrom(header.end, header.kind) ?? endFrom(header.dashStart + 2, header.kind);
    if (!end) {
      pos = b + 5;
      continue;
    }
    out.push({ kind: header.kind, body: text.slice(header.end, Math.max(header.end, end.bodyEnd)) });
    pos = end.end;
  }
  return out;
}

/** The first `-{2,}\s*END\s+PORTHOLE\s+<kind>\s*-{2,}` at or after `from`. */
function findEnd(text: string, from: number, kind: ArmorKind): { bodyEnd: number; end: number } | null {
  for (let e = text.indexOf('END', from); e >= 0; e = text.indexOf('END', e + 3)) {
    const j = skipBack(text, e, from, isSpaceCode);
    const d = skipBack(text, j, from, isDash);
    if (j - d < 2) continue;
    const tail = lineAfter(text, e + 3);
    if (tail && tail.kind === kind) return { bodyEnd: d, end: tail.end };
  }
  return null;
}

/** After BEGIN/END: `\s+PORTHOLE\s+(LIST|KEY)\s*-{2,}`, returning the kind, where the dashes start and the index after them all. */
function lineAfter(text: string, at: number): { kind: ArmorKind; dashStart: number; end: number } | null {
  let k = skip(text, at, isSpaceCode);
  if (k === at || !text.startsWith('PORTHOLE', k)) return null;
  const afterWord = k + 8;
  k = skip(text, afterWord, isSpaceCode);
  if (k === afterWord) return null;
  const kind = ARMOR_KINDS.find((name) => text.startsWith(name, k));
  if (!kind) return null;
  k = skip(text, k + kind.length, isSpaceCode);
  const dashes = k;
  k = skip(text, k, isDash);
  return k - dashes >= 2 ? { kind, dashStart: dashes, end: k } : null;
}

/** How many dashes come before `at` once the spaces just before it are skipped (not looking before `floor`). */
function dashesBefore(text: string, at: number, floor: number): number {
  const j = skipBack(text, at, floor, isSpaceCode);
  return j - skipBack(text, j, floor, isDash);
}

function isDash(c: number): boolean {
  return c === 0x2d;
}

function skip(text: string, at: number, ok: (c: number) => boolean): number {
  let k = at;
  while (k < text.length && ok(text.charCodeAt(k))) k++;
  return k;
}

function skipBack(text: string, at: number, floor: number, ok: (c: number) => boolean): number {
  let k = at;
  while (k > floor && ok(text.charCodeAt(k - 1))) k--;
  return k;
}

/** Drops email quoting ("> > ") at the start of each line and every space and line break. */
function stripQuotingAndSpace(body: string): string {
  const out: string[] = [];
  let lineStart = true;
  let from = -1;
  const flush = (to: number): void => {
    if (from >= 0) out.push(body.slice(from, to));
    from = -1;
  };
  for (let k = 0; k < body.length; k++) {
    const c = body.charCodeAt(k);
    const newline = c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
    if (newline || isSpaceCode(c) || (lineStart && c === 0x3e /* > */)) {
      flush(k);
      if (newline) lineStart = true;
      continue;
    }
    lineStart = false;
    if (from < 0) from = k;
  }
  flush(body.length);
  return out.join('');
}
