// The one error class: a code from the table, a message for people (given, or built from the
// code), and the CLI exit code / Api wire code derived from the code's row.
import { describe, expect, it } from 'vitest';
import { apiCodeOf, describeFailure, exitCodeOf, failureCodeOf, isPortholeError, PortholeError } from './errors.ts';
import { FAILURE_CODES, FAILURES, serverFailure } from './failures.ts';

describe('PortholeError', () => {
  it('carries its code, message, upstream, hop and cause', () => {
    const cause = new Error('inner');
    const err = new PortholeError('refused', 'u: refused', { upstream: 'u', hop: 'destination', cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'PortholeError', code: 'refused', message: 'u: refused', upstream: 'u', hop: 'destination', cause });
    expect(new PortholeError('timeout').message).toBe('timed out');
    expect(PortholeError.described('dns', 'no\nsuch  name').message).toBe('name not found: no such name');
    expect(describeFailure('other', 'x'.repeat(200))).toBe(`failed: ${'x'.repeat(157)}…`);
  });

  it('is recognised by code', () => {
    expect(isPortholeError(new PortholeError('auth'), 'auth', 'refused')).toBe(true);
    expect(isPortholeError(new PortholeError('auth'), 'refused')).toBe(false);
    expect(isPortholeError(new Error('x'))).toBe(false);
    expect(failureCodeOf(new PortholeError('dns'))).toBe('dns');
    expect(failureCodeOf(new Error('x'))).toBe('other');
  });

  it('derives the CLI exit code and the Api wire code from the table', () => {
    expect([exitCodeOf('other'), exitCodeOf('usage'), exitCodeOf('bad-signature'), exitCodeOf('storage'), exitCodeOf('internal')]).toEqual([1, 2, 3, 4, 70]);
    expect([apiCodeOf('bad-request'), apiCodeOf('not-found'), apiCodeOf('unavailable'), apiCodeOf('internal'), apiCodeOf('refused')]).toEqual(['bad-request', 'not-found', 'unavailable', 'internal', undefined]);
  });

  it('every row is complete, and failures the server is not to blame for are marked', () => {
    for (const code of FAILURE_CODES) expect(FAILURES[code].text, code).not.toBe('');
    expect(FAILURES.local.serverFault).toBe(false);
    expect(FAILURES.aborted.serverFault).toBe(false);
    expect(FAILURES.refused.serverFault).toBe(true);
    expect([serverFailure('blocked'), serverFailure('refused'), serverFailure('local'), serverFailure('expired')]).toEqual(['wrong-content', 'refused', 'other', 'expired']);
  });
});
