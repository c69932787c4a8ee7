// A publisher's fingerprint as words to read out over the phone.
import { utf8 } from '../../../shared/base64url.ts';
import { fingerprintWords } from '../../../shared/fingerprint-words.ts';
import { sha256 } from './ed25519.ts';

export function publisherWords(publisher: string): string[] {
  return fingerprintWords(sha256(utf8(`porthole-fingerprint-v1\n${publisher}`)));
}
