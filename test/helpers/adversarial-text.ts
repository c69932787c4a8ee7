// Adversarial untrusted text for the linear-scan tests and the scanner benchmark: inputs that
// made the old backtracking patterns run for seconds to hours, each built to a given size.
import { extractArmored } from '../../shared/armor.ts';
import { findCode } from '../../shared/code-format.ts';
import { parseProxyLink } from '../../shared/proxy-link.ts';
import { htmlToText, looksLikeHtml } from '../../shared/text-normalize.ts';

export const MiB = 1024 * 1024;

/** `unit` repeated to exactly `size` characters. */
export const fill = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

export const ADVERSARIAL_TEXT: Record<string, (size: number) => string> = {
  'a BEGIN line and dashes': (n) => `-----BEGIN PORTHOLE LIST-----\n${fill('-', n - 30)}`,
  'dashes only': (n) => fill('-', n),
  'BEGIN lines without END': (n) => fill('-- BEGIN PORTHOLE LIST --\n', n),
  'END words without BEGIN': (n) => fill('-- END PORTHOLE LIST --', n),
  'BEGIN then END of the other kind': (n) => `--BEGIN PORTHOLE LIST--${fill('--END PORTHOLE KEY--', n - 23)}`,
  'spaces after BEGIN': (n) => fill(`--BEGIN${' '.repeat(4096)}`, n),
  '<a without >': (n) => fill('<a', n),
  '< only, then one >': (n) => `${fill('<', n - 1)}>`,
  '<script> without a close': (n) => `${fill('<script>x', n - 1)}>`,
  'tags and text': (n) => fill('<b>x', n),
  '<br without >': (n) => `${fill('<br', n - 1)}>`,
  'entities without ;': (n) => fill('&#x0', n),
  'named entities': (n) => fill('&amp;lt;', n),
  'NFKC expanding characters': (n) => fill('\uFDFA', n),
  'lookalikes and invisible characters': (n) => fill('Р\u200bН1：—', n),
  'PH1: prefixes': (n) => fill('PH1:', n),
  'PH1: and long bodies': (n) => fill(`PH1:${'A'.repeat(2500)} `, n),
  'porthole links': (n) => fill('porthole://import/%', n),
  "'=' run in an ss:// link": (n) => `${fill('=', n - 1)}x`,
  'quote marks in a body': (n) => `-----BEGIN PORTHOLE LIST-----\n${fill('> \n', n - 60)}\n-----END PORTHOLE LIST-----`,
};

/** Every untrusted-text entry point, each allowed to refuse the text with its own error. */
export const SCANNERS: Record<string, (text: string) => void> = {
  'armored blocks': (text) => void extractArmored(text),
  'HTML to text': (text) => void htmlToText(text),
  'looks like HTML': (text) => void looksLikeHtml(text),
  'code in a paste': (text) => {
    try { findCode(text); } catch { /* a damaged code is an answer */ }
  },
  'ss:// link': (text) => {
    try { parseProxyLink(`ss://${text}@1.2.3.4:80`); } catch { /* not a link */ }
  },
};

export function scanAll(text: string): void {
  for (const scan of Object.values(SCANNERS)) scan(text);
}
