import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { firstIssue, zodMessage } from './zod-message.ts';

const schema = z.strictObject({ a: z.number(), b: z.object({ c: z.string() }) });
const failure = (value: unknown): z.ZodError => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return r.error;
};

describe('zod messages (one format)', () => {
  it('names the first bad field by its path, without the value', () => {
    const error = failure({ a: 'secret-value', b: { c: 1 } });
    expect(zodMessage(error)).toMatch(/^a: /);
    expect(zodMessage(error)).not.toContain('secret-value');
    expect(firstIssue(error)).toEqual({ path: 'a', message: error.issues[0]?.message });
  });

  it('names several issues when asked, capped, with the top level called as the caller says', () => {
    const error = failure({ a: 'x', b: { c: 1 } });
    expect(zodMessage(error, { max: 5 }).split('; ').map((p) => p.split(':')[0])).toEqual(['a', 'b.c']);
    expect(zodMessage(error, { max: 5, maxChars: 3 })).toHaveLength(3);
    expect(zodMessage(failure(7), { root: '(request)' })).toMatch(/^\(request\): /);
    expect(firstIssue(failure(7), 'link').path).toBe('link');
  });
});
