// The armored text form of a signed list or publisher key, made to survive being
// pasted into a Telegram post, an email, a forum or a web page:
//
//   -----BEGIN PORTHOLE LIST-----
//   <base64url body, wrapped at 64 characters>
//   -----END PORTHOLE LIST-----
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';
import { htmlToText, normalizePasted } from './text-normalize.ts';

export const ARMOR_KINDS = ['LIST', 'KEY'] as const;
export type ArmorKind = (typeof ARMOR_KINDS)[number];
const LINE = 64;

export function armor(kind: ArmorKind, bytes: Uint8Array): string {
  const body = encodeBase64Url(bytes);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += LINE) lines.push(body.slice(i, i + LINE));
  return `-----BEGIN PORTHOLE ${kind}-----\n${lines.join('\n')}\n-----END PORTHOLE ${kind}-----\n`;
}

export type ArmoredBlock =
  | { kind: ArmorKind; ok: true; bytes: Uint8Array }
  | { kind: ArmorKind; ok: false; error: string };

// Dashes may have become em/en dashes and been collapsed by a messenger: accept 2+.
const BLOCK_RE = /-{2,}\s*BEGIN\s+PORTHOLE\s+(LIST|KEY)\s*-{2,}([\s\S]*?)-{2,}\s*END\s+PORTHOLE\s+\1\s*-{2,}/g;

/**
 * Finds every armored block inside arbitrary text or HTML and ignores the rest.
 * Copes with HTML-escaped text, tags inside the block, quoting ("> ") and re-wrapped lines.
 */
export function extractArmored(input: string): ArmoredBlock[] {
  const text = normalizePasted(looksLikeHtml(input) ? htmlToText(input) : input);
  const blocks: ArmoredBlock[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    const kind = m[1] as ArmorKind;
    const body = (m[2] ?? '').replace(/^[ \t]*(>[ \t]*)+/gm, '').replace(/\s+/g, '');
    const bytes = body.length > 0 ? decodeBase64Url(body) : null;
    if (bytes) blocks.push({ kind, ok: true, bytes });
    else blocks.push({ kind, ok: false, error: `the ${kind.toLowerCase()} block is damaged (its body is not valid base64url)` });
  }
  return blocks;
}

function looksLikeHtml(text: string): boolean {
  return /<[a-zA-Z/!][^>]*>|&(lt|gt|amp|#\d+|#x[0-9a-f]+|nbsp);/i.test(text);
}
