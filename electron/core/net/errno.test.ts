// The one errno table: each system code means the same failure kind to the prober, the bridge and
// the channels; TLS codes are a bad reply; local resource codes are this computer's trouble.
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../../shared/errors.ts';
import { errnoFailure, errnoOf, isInterferenceCode, isLocalError, isTimeoutCode, systemCodeOf } from './errno.ts';

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

  it('finds the system code in a cause chain, past the one error class', () => {
    const wrapped = new PortholeError('other', 'x', { cause: new Error('y', { cause: coded('EMFILE') }) });
    expect(errnoOf(wrapped)).toBe('EMFILE');
    expect(isLocalError(wrapped)).toBe(true);
    expect(systemCodeOf(wrapped)).toBe('EMFILE');
    expect(systemCodeOf(Object.assign(new Error('got'), { code: 'ERR_GOT_REQUEST_ERROR', cause: coded('ECONNRESET') }), ['ERR_GOT_REQUEST_ERROR'])).toBe('ECONNRESET');
    expect(systemCodeOf(new PortholeError('timeout'))).toBeUndefined();
  });
});
