// Every codec's output goes through the entry schema, so no link or config can make a bad entry.
import { EntrySchema } from '../entry.ts';
import { firstIssue } from '../zod-message.ts';
import { type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';

export function checkEntry(link: ParsedLink): ParsedLink {
  const result = EntrySchema.safeParse({ ...link, id: 'check' });
  if (!result.success) {
    const { path, message } = firstIssue(result.error, 'link');
    throw new PortholeError('bad-link', `its ${path} is not valid: ${message}`);
  }
  return link;
}
