// How a failure is told to the client: SOCKS5 reply codes (RFC 1928 §6) and HTTP statuses.
import { encodeAddress } from '../net/socks5-address.ts';
import type { DialFailureKind } from './dial.ts';

export const REP = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  ttlExpired: 0x06,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

function causeCode(cause: unknown): string | undefined {
  let c = cause as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; c && depth < 4; depth++, c = c.cause as typeof c) {
    if (typeof c.code === 'string') return c.code;
  }
  return undefined;
}

/** The SOCKS5 reply code for a failed dial. */
export function socksReplyFor(kind: DialFailureKind, cause?: unknown): number {
  switch (kind) {
    case 'refused': return REP.connectionRefused;
    case 'timeout': return REP.ttlExpired;
    case 'unreachable': {
      const code = causeCode(cause);
      const text = cause instanceof Error ? cause.message : '';
      return code === 'ENETUNREACH' || /network unreachable/i.test(text) ? REP.networkUnreachable : REP.hostUnreachable;
    }
    case 'dns': return REP.hostUnreachable;
    case 'no-upstream': return REP.networkUnreachable;
    case 'unsupported': return REP.commandNotSupported;
    default: return REP.generalFailure;
  }
}

/** The HTTP status for a failed dial. */
export function httpStatusFor(kind: DialFailureKind): number {
  switch (kind) {
    case 'timeout': return 504;
    case 'no-upstream': return 503;
    case 'unsupported': return 501;
    default: return 502;
  }
}

const ZERO_ADDR = encodeAddress({ host: '0.0.0.0', port: 0 });

/** A SOCKS5 reply: VER REP RSV ATYP BND.ADDR BND.PORT. */
export function socksReply(rep: number, bound: Buffer = ZERO_ADDR): Buffer {
  return Buffer.concat([Buffer.from([0x05, rep, 0x00]), bound]);
}
