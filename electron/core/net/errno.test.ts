// The one errno table: each system code means the same failure kind to the prober, the bridge and
// the channels; TLS codes are a bad reply; local resource codes are this computer's trouble.
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../../shared/errors.ts';
import { errnoFailure, errnoOf, isAbort, isInterferenceCode, isLocalError, isTimeoutCode, systemCodeOf, transientCodes } from './errno.ts';

const coded = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('errno table', () => {
  it('maps socket, DNS and TLS codes to failure kinds', () => {
    const table: Record<string, string | undefined> = {
      ECONNREFUSED: 'refused', ETIMEDOUT: 'timeout', UND_ERR_CONNECT_TIMEOUT: 'timeout', ECONNRESET: 'reset', EPIPE: 'reset',
      ERR_STREAM_PREMATURE_CLOSE: 'reset', EHOSTUNREACH: 'unreachable', ENETDOWN: 'unreachable', ENOTFOUND: 'dns',
      EAI_AGAIN: 'dns', EAI_NODATA: 'dns', EMFILE: 'local', EADDRNOTAVAIL: 'local', ABORT_ERR: 'aborted',
      CERT_HAS_EXPIRED: 'bad-reply', ERR_TLS_CERT_ALTNAME_INVALID: 'bad-reply', DEPTH_ZERO_SELF_SIGNED_CERT: 'bad-reply',
      EPROTO: undefined, ESOMETHING: undefined,
    };
    expect(Object.fromEntries(Object.keys(table).map((c) => [c, errnoFailure(c)]))).toEqual(table);
    expect(errnoFailure(42)).toBeUndefined();
  });

  it('says which codes are timeouts and which mean someone in the path interfered', () => {
    expect(['ETIMEDOUT', 'ETIMEOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT'].every(isTimeoutCode)).toBe(true);
    expect(isTimeoutCode('ECONNREFUSED')).toBe(false);
    expect(['ECONNRESET', 'EPROTO', 'EREFUSED', 'CERT_HAS_EXPIRED'].every(isInterferenceCode)).toBe(true);
    expect(isInterferenceCode('ECONNREFUSED')).toBe(false);
  });

  it('says which codes are worth a retry: dropped, refused or briefly unreachable, never a timeout, a missing name or TLS', () => {
    expect(new Set(transientCodes())).toEqual(new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN']));
    // Each is a row of the one table, as a kind the server may get over.
    expect(new Set(transientCodes().map(errnoFailure))).toEqual(new Set(['reset', 'refused', 'unreachable', 'dns']));
    for (const code of ['ETIMEDOUT', 'ENOTFOUND', 'CERT_HAS_EXPIRED', 'EMFILE']) expect(transientCodes()).not.toContain(code);
    transientCodes().pop();
    expect(transientCodes()).toHaveLength(6); // a copy: got may keep it
  });

  it('finds the system code in a cause chain, past the one error class', () => {
    const wrapped = new PortholeError('other', 'x', { cause: new Error('y', { cause: coded('EMFILE') }) });
    expect(errnoOf(wrapped)).toBe('EMFILE');
    expect(isLocalError(wrapped)).toBe(true);
    expect(systemCodeOf(wrapped)).toBe('EMFILE');
    expect(systemCodeOf(Object.assign(new Error('got'), { code: 'ERR_GOT_REQUEST_ERROR', cause: coded('ECONNRESET') }), ['ERR_GOT_REQUEST_ERROR'])).toBe('ECONNRESET');
    expect(systemCodeOf(new PortholeError('timeout'))).toBeUndefined();
  });
});

describe('reading codes off errors', () => {
  it('any TLS or SSL code of Node is a bad reply, not only the ones listed', () => {
    expect(errnoFailure('ERR_TLS_INVALID_PROTOCOL_VERSION')).toBe('bad-reply');
    expect(errnoFailure('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC')).toBe('bad-reply');
    expect(errnoFailure('MY_ERR_TLS_')).toBeUndefined();
  });

  it('the system code is looked for at most `depth` causes deep, and never in what is not an error object', () => {
    const chain = (levels: number, code: string): unknown => {
      let e: unknown = coded(code);
      for (let i = 0; i < levels; i++) e = new Error(`wrapper ${i}`, { cause: e });
      return e;
    };
    expect(systemCodeOf(chain(4, 'ECONNRESET'))).toBe('ECONNRESET'); // the fifth link
    expect(systemCodeOf(chain(5, 'ECONNRESET'))).toBeUndefined(); // the sixth is too deep
    expect(systemCodeOf(chain(2, 'ECONNRESET'), [], 2)).toBeUndefined();
    expect(systemCodeOf(chain(1, 'ECONNRESET'), [], 2)).toBe('ECONNRESET');
    for (const nothing of [null, undefined, 'ECONNRESET', 42]) expect(systemCodeOf(nothing)).toBeUndefined();
    const loop = new Error('loop') as Error & { cause?: unknown };
    loop.cause = loop; // a cause chain that points back at itself ends too
    expect(systemCodeOf(loop)).toBeUndefined();
  });

  it('a cancelled operation: an AbortError by name or ABORT_ERR by code, nothing else', () => {
    expect(isAbort(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(true);
    expect(isAbort(coded('ABORT_ERR'))).toBe(true);
    expect(isAbort(coded('ECONNRESET'))).toBe(false);
    expect(isAbort(new Error('AbortError'))).toBe(false);
    expect(isAbort(null)).toBe(false);
    expect(isAbort(undefined)).toBe(false);
  });
});
