// What a received, opened or pasted input is, decided in one place: a raw JSON document (a signed
// list, a publisher file, a list input), text holding armored blocks, or a one-time code.
// Every check is linear and bounded by the input's size (the callers cap that).
import { MAX_IMPORT_TEXT } from './api.ts';
import { extractArmored } from './armor.ts';
import { fromUtf8 } from './base64url.ts';
import { findCode } from './code-format.ts';

const BOM = [0xef, 0xbb, 0xbf];

function isBlankByte(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * True when the input is a raw JSON document: its first non-blank character is "{". Bytes may start
 * with a UTF-8 BOM and blanks (space, tab, CR, LF); text may start with any whitespace (a BOM too).
 */
export function looksLikeJson(input: Uint8Array | string): boolean {
  if (typeof input === 'string') return input.trimStart().startsWith('{');
  let i = input[0] === BOM[0] && input[1] === BOM[1] && input[2] === BOM[2] ? 3 : 0;
  while (i < input.length && isBlankByte(input[i])) i++;
  return input[i] === 0x7b;
}

export type ListInFile =
  | { ok: true; bytes: Uint8Array }
  /** not-text: neither JSON nor UTF-8; none: no armored LIST block; damaged: the block's body is broken (error says how). */
  | { ok: false; problem: 'not-text' | 'none' | 'damaged'; error?: string };

/** The signed list in a file: the raw list as it is, or else the first armored LIST block of its text. */
export function listInFile(raw: Uint8Array): ListInFile {
  if (looksLikeJson(raw)) return { ok: true, bytes: raw };
  let text: string;
  try {
    text = fromUtf8(raw);
  } catch {
    return { ok: false, problem: 'not-text' };
  }
  const block = extractArmored(text).find((b) => b.kind === 'LIST');
  if (!block) return { ok: false, problem: 'none' };
  if (!block.ok) return { ok: false, problem: 'damaged', error: block.error };
  return { ok: true, bytes: block.bytes };
}

/**
 * "Could this text be something to import?", cheap and synchronous (the clipboard check on focus):
 * a one-time code (even a damaged one) or an armored block, in a text no longer than an import takes.
 */
export function looksImportable(text: string): boolean {
  if (text.length === 0 || text.length > MAX_IMPORT_TEXT) return false;
  try {
    if (findCode(text)) return true;
  } catch {
    return true; // a damaged code is still worth offering: the import outcome says it is damaged
  }
  return extractArmored(text).length > 0;
}
