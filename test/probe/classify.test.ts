// Why a server failed, as people and the selection see it: each socket error, connector error and
// prober error gets the kind that says what it means for the server, and a one-line message.
// (The real TCP cases — a dropped SYN is "timeout", a reset is "refused" — are in tcp-check.test.ts.)
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../shared/errors.ts';
import { describeFailure, failureKind, toFailure } from '../../electron/core/probe/classify.ts';
import { errnoOf as errorCode, isLocalError } from '../../electron/core/net/errno.ts';
import { failureRank } from '../../electron/core/selection/rank.ts';

const coded = (code: string, message = code): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

describe('failure kinds', () => {
  it('maps each socket error to what it means for the server', () => {
    const table: Record<string, string> = {
      ECONNREFUSED: 'refused', ETIMEDOUT: 'timeout', ECONNRESET: 'reset', EPIPE: 'reset', ECONNABORTED: 'reset',
      ENETUNREACH: 'unreachable', EHOSTUNREACH: 'unreachable', ENETDOWN: 'unreachable', EHOSTDOWN: 'unreachable',
      ENOTFOUND: 'dns', EAI_AGAIN: 'dns', EAI_NONAME: 'dns',
      EMFILE: 'local', ENFILE: 'local', EADDRNOTAVAIL: 'local', ENOBUFS: 'local', ENOMEM: 'local',
      EPROTO: 'other',
    };
    expect(Object.fromEntries(Object.keys(table).map((c) => [c, failureKind(coded(c))]))).toEqual(table);
  });

  it('finds the socket error a connector wrapped, up to five levels deep', () => {
    const wrap = (inner: unknown, n: number): unknown => (n === 0 ? inner : wrap(new Error('wrapper', { cause: inner }), n - 1));
    expect(failureKind(wrap(coded('ECONNREFUSED'), 4))).toBe('refused');
    expect(errorCode(wrap(coded('ECONNREFUSED'), 4))).toBe('ECONNREFUSED');
    expect(errorCode(wrap(coded('ECONNREFUSED'), 5))).toBeUndefined();
    expect(isLocalError(wrap(coded('EMFILE'), 2))).toBe(true);
    expect(isLocalError(coded('ECONNRESET'))).toBe(false);
    expect(isLocalError(new Error('no code'))).toBe(false);
    // Only errno-style codes count: an HTTP library's own codes are not socket errors.
    expect(errorCode(coded('ERR_SOMETHING_ELSE'.toLowerCase()))).toBeUndefined();
    expect(errorCode(Object.assign(new Error('x'), { code: 42 }))).toBeUndefined();
    expect(errorCode(coded('ECONN1'))).toBeUndefined();
    expect(errorCode(coded('XECONNRESET'))).toBeUndefined();
  });

  it('a local resource error is "local" even when the prober raised it or an upstream wrapped it', () => {
    expect(failureKind(new PortholeError('timeout', 'x', { cause: coded('EMFILE') }))).toBe('local');
    expect(failureKind(new PortholeError('other', 'x', { upstream: 'u', cause: coded('ENFILE') }))).toBe('local');
  });

  it('a proxy that worked but could not reach the probe URL is "blocked"; the proxy\'s own failures keep their kind', () => {
    expect(failureKind(new PortholeError('refused', 'host unreachable', { upstream: 'u', hop: 'destination' }))).toBe('blocked');
    expect(failureKind(new PortholeError('aborted', 'cancelled', { upstream: 'u', hop: 'destination' }))).toBe('aborted');
    expect(failureKind(new PortholeError('auth', 'bad password', { upstream: 'u', hop: 'proxy' }))).toBe('auth');
    expect(failureKind(new PortholeError('bad-reply', 'garbage', { upstream: 'u' }))).toBe('bad-reply');
  });

  it('the prober\'s own failures, cancellations and anything else', () => {
    expect(failureKind(new PortholeError('bad-reply', 'not HTTP'))).toBe('bad-reply');
    expect(new PortholeError('timeout', 'x')).toMatchObject({ name: 'PortholeError', code: 'timeout', message: 'x' });
    expect(failureKind(Object.assign(new Error('gone'), { name: 'AbortError' }))).toBe('aborted');
    expect(failureKind(coded('ABORT_ERR'))).toBe('other'); // not errno-style: only the AbortError name says "cancelled"
    expect(failureKind(new Error('mystery'))).toBe('other');
    expect(failureKind('a string')).toBe('other');
    expect(failureKind(null)).toBe('other');
  });
});

describe('failure messages', () => {
  it('say what, where and why on one line, cut short', () => {
    expect(describeFailure('timeout', 'connect')).toBe('timed out (connect)');
    expect(describeFailure('refused', 'connect', '  connect\n ECONNREFUSED\t1.2.3.4:80 ')).toBe('connection refused (connect): connect ECONNREFUSED 1.2.3.4:80');
    const long = describeFailure('other', 'request', 'x'.repeat(500));
    expect(long).toBe(`failed (request): ${'x'.repeat(157)}…`);
    expect(describeFailure('other', 'request', 'y'.repeat(160))).toBe(`failed (request): ${'y'.repeat(160)}`);
    expect(describeFailure('other', 'request', 'y'.repeat(161))).toBe(`failed (request): ${'y'.repeat(157)}…`);
  });

  it('every kind has its own words', () => {
    const kinds = ['refused', 'timeout', 'reset', 'auth', 'bad-reply', 'blocked', 'unreachable', 'dns', 'local', 'aborted', 'other'] as const;
    const words = kinds.map((k) => describeFailure(k, 'handshake'));
    expect(new Set(words).size).toBe(kinds.length);
    expect(words).toEqual([
      'connection refused (handshake)', 'timed out (handshake)', 'connection reset (handshake)', 'authentication failed (handshake)',
      'not a working proxy (bad reply) (handshake)', 'proxy works, but the probe URL is blocked (handshake)', 'network unreachable (handshake)',
      'name not found (handshake)', 'out of local sockets (not the server\'s fault) (handshake)', 'cancelled (handshake)', 'failed (handshake)',
    ]);
  });

  it('a "blocked" failure is placed at the request, where the way on to the probe URL failed', () => {
    const blocked = toFailure(new PortholeError('refused', 'no route', { upstream: 'u', hop: 'destination' }), 'handshake');
    expect(blocked).toEqual({ kind: 'blocked', stage: 'request', message: 'proxy works, but the probe URL is blocked (request): no route' });
    expect(toFailure(coded('ECONNRESET', 'read ECONNRESET'), 'handshake')).toEqual({ kind: 'reset', stage: 'handshake', message: 'connection reset (handshake): read ECONNRESET' });
    expect(toFailure('plain text', 'latency', 'timeout')).toEqual({ kind: 'timeout', stage: 'latency', message: 'timed out (latency): plain text' });
  });

  it('when several ports failed, the most telling failure is reported', () => {
    const order = ['aborted', 'local', 'other', 'dns', 'unreachable', 'refused', 'timeout', 'reset', 'bad-reply', 'blocked', 'auth'] as const;
    const shuffled = [...order].reverse();
    expect(shuffled.sort((a, b) => failureRank(a) - failureRank(b))).toEqual([...order]);
    expect(failureRank('timeout')).toBeGreaterThan(failureRank('refused'));
    expect(failureRank('aborted')).toBe(0);
  });
});
