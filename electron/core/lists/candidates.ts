// The first step from a channel's bytes to a server: the bytes become candidate blobs, the raw
// signed-list file as it is, or the bytes of every LIST armored block found in a text or a page.
// List format only (nothing verified here); the channels call it on what they fetched.
import { createHash } from 'node:crypto';
import { extractArmored } from '../../../shared/armor.ts';
import { looksLikeJson } from '../../../shared/sniff.ts';

export interface Candidates {
  blobs: Uint8Array[];
  /** Armored LIST blocks found but damaged (body not base64url). */
  damaged: number;
}

/** The bytes of every armored LIST block in `text` (plain text or HTML), in order, without duplicates. */
export function candidatesFromText(text: string): Candidates {
  const blobs: Uint8Array[] = [];
  let damaged = 0;
  for (const block of extractArmored(text)) {
    if (block.kind !== 'LIST') continue;
    if (block.ok) blobs.push(block.bytes);
    else damaged++;
  }
  return { blobs: dedupe(blobs), damaged };
}

/**
 * Candidates in a body: a raw list comes back whole (as received, byte for byte);
 * any other body is read as UTF-8 text and searched for armored blocks.
 */
export function candidatesFromBytes(bytes: Uint8Array): Candidates {
  if (looksLikeJson(bytes)) return { blobs: [bytes], damaged: 0 };
  return candidatesFromText(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
}

export function dedupe(blobs: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const b of blobs) {
    const h = createHash('sha256').update(b).digest('hex');
    if (seen.has(h)) continue;
    seen.add(h);
    out.push(b);
  }
  return out;
}

/** The detail of an 'ok' result: why it carried nothing, or what was damaged. */
export function candidatesDetail(c: Candidates): string | undefined {
  const damaged = c.damaged > 0 ? `${c.damaged} damaged armored block${c.damaged > 1 ? 's' : ''}` : undefined;
  if (c.blobs.length > 0) return damaged;
  return damaged ?? 'no signed list or armored block found';
}
