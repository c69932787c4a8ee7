// A publisher's fingerprint to read out over the phone: digit groups (what the CLI and the UI
// show, the same in every language), and the older English words (kept for what stored them).
import { utf8 } from '../../../shared/base64url.ts';
import { fingerprintDigits, fingerprintWords } from '../../../shared/fingerprint-words.ts';
import { sha256 } from './ed25519.ts';

function digest(publisher: string): Uint8Array {
  return sha256(utf8(`porthole-fingerprint-v1\n${publisher}`));
}

/** "4821 0937 5512 8830 1264" as five groups. */
export function publisherCheck(publisher: string): string[] {
  return fingerprintDigits(digest(publisher));
}

/** The old form: six English words. */
export function publisherWords(publisher: string): string[] {
  return fingerprintWords(digest(publisher));
}
