// The one way a zod validation failure becomes text: "FIELD.PATH: message" per issue, naming what
// failed without echoing the (maybe secret) values. Used by the Api transports, the list format,
// share-link checks and the JSON stores.
import type { z } from 'zod';

export interface ZodMessageOptions {
  /** What to call the top level when the issue has no path, e.g. "(request)". Default "(top level)". */
  root?: string;
  /** How many issues to name, joined by "; ". Default 1. */
  max?: number;
  /** Cap on the text's length. Default 500. */
  maxChars?: number;
}

/** The first issue: where (its path joined by ".", or `root`) and what (zod's message). */
export function firstIssue(error: z.ZodError, root = '(top level)'): { path: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { path: root, message: 'invalid' };
  return { path: issuePath(issue, root), message: issue.message };
}

/** "path: message" for the first `max` issues; "invalid" when zod gave none. */
export function zodMessage(error: z.ZodError, options: ZodMessageOptions = {}): string {
  const root = options.root ?? '(top level)';
  const parts = error.issues.slice(0, options.max ?? 1).map((i) => `${issuePath(i, root)}: ${i.message}`);
  if (parts.length === 0) return 'invalid';
  return parts.join('; ').slice(0, options.maxChars ?? 500);
}

function issuePath(issue: z.ZodError['issues'][number], root: string): string {
  return issue.path.length ? issue.path.map(String).join('.') : root;
}
