// A fingerprint as words a relative can read out over the phone: 6 words of the BIP39
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
