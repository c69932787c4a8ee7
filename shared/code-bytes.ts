// Byte-level helpers of the one-time code record (shared/code-format.ts): a writer, a bounded
// reader, and the error every malformed code raises: a PortholeError whose code is the problem
// (CODE_PROBLEMS), with what went wrong, for the person.
// The IPv6 address form the record stores is shared/ip.ts.

import { failure, type Failure } from './errors.ts';
import type { CODE_PROBLEMS } from './failures.ts';

/** Why a pasted code cannot be read, each with its own plain message. */
export type CodeProblem = (typeof CODE_PROBLEMS)[number];

const MESSAGES: Record<CodeProblem, string> = {
  'damaged': 'this code is damaged: a character is wrong — check it letter by letter, or ask the sender to send it again',
  'cut-off': 'this code is cut off: its end is missing — paste the whole message (a long code can arrive as several SMS), or ask for it again',
  'wrong-case': 'the capital and small letters of this code were changed (a phone or app may do that): copy it exactly as it was sent',
  'newer-version': 'this code was made by a newer version of Porthole: update Porthole, then paste the code again',
};

/** The error of a code that cannot be read: its code is the problem, its message the problem's
 * plain message (+ the detail). Caught with isPortholeError(err, ...CODE_PROBLEMS). */
export function codeFailure<P extends CodeProblem>(problem: P, detail?: string): Failure<P> {
  return failure(problem, detail ? `${MESSAGES[problem]} (${detail})` : MESSAGES[problem]);
}

export class Writer {
  private bytes: number[] = [];
  get length(): number { return this.bytes.length; }
  u8(v: number): void { this.bytes.push(v & 0xff); }
  u16(v: number): void { this.bytes.push((v >> 8) & 0xff, v & 0xff); }
  u32(v: number): void { this.bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff); }
  raw(b: Uint8Array): void { for (const x of b) this.bytes.push(x); }
  str(b: Uint8Array, what: string): void {
    if (b.length > 255) throw new Error(`${what} is longer than 255 bytes`);
    this.u8(b.length);
    this.raw(b);
  }
  done(): Uint8Array { return Uint8Array.from(this.bytes); }
}

/**
 * Reads a record. `available` is how many bytes really arrived; reading past it (into the
 * zero padding a caller may add to walk a cut-off record) sets `overran` instead of failing.
 */
export class Reader {
  private o = 0;
  private readonly b: Uint8Array;
  private readonly available: number;
  overran = false;
  constructor(b: Uint8Array, available = b.length) {
    this.b = b;
    this.available = available;
  }
  get offset(): number { return this.o; }
  need(n: number): void {
    if (this.o + n > this.b.length) throw codeFailure('cut-off');
    if (this.o + n > this.available) this.overran = true;
  }
  u8(): number { this.need(1); return this.b[this.o++]!; }
  u16(): number { return (this.u8() << 8) | this.u8(); }
  u32(): number { return ((this.u8() << 24) >>> 0) + (this.u8() << 16) + (this.u8() << 8) + this.u8(); }
  raw(n: number): Uint8Array { this.need(n); const out = this.b.slice(this.o, this.o + n); this.o += n; return out; }
  str(): Uint8Array { return this.raw(this.u8()); }
}

export function decodeHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** How many SMS a text takes: GSM-7 160 alone or 153 per part; otherwise UCS-2 70 / 67. */
export function smsCount(text: string, gsm7: boolean): number {
  const [single, part] = gsm7 ? [160, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / part);
}
