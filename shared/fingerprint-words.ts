// A fingerprint a relative can read out over the phone: digit groups (shown today), or 6 words of the BIP39
// English list (11 bits each, 66 bits), taken from a hash of the publisher's identity.
import { wordlist } from '@scure/bip39/wordlists/english.js';

export const FINGERPRINT_WORDS = 6;

export function fingerprintWords(digest: Uint8Array, count = FINGERPRINT_WORDS): string[] {
  if (digest.length * 8 < count * 11) throw new Error('digest too short for the fingerprint');
  const words: string[] = [];
  let acc = 0;
  let bits = 0;
  let i = 0;
  while (words.length < count) {
    acc = ((acc << 8) | digest[i++]!) & 0xffffff;
    bits += 8;
    if (bits >= 11) {
      bits -= 11;
      words.push(wordlist[(acc >> bits) & 0x7ff]!);
    }
  }
  return words;
}

export const FINGERPRINT_GROUPS = 5;

/**
 * The same fingerprint as five groups of four digits ("4821 0937 5512 8830 1264", 66 bits):
 * digits read aloud alike in Kazakh, Russian and English, so the CLI and the UI show these.
 * The English words above stay for what already stored or printed them.
 */
export function fingerprintDigits(digest: Uint8Array, groups = FINGERPRINT_GROUPS): string[] {
  if (digest.length < 9) throw new Error('digest too short for the fingerprint');
  let n = 0n;
  for (const b of digest.subarray(0, 9)) n = (n << 8n) | BigInt(b);
  const digits = (n % 10n ** BigInt(groups * 4)).toString().padStart(groups * 4, '0');
  const out: string[] = [];
  for (let i = 0; i < groups; i++) out.push(digits.slice(i * 4, i * 4 + 4));
  return out;
}
