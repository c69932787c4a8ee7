// Every codec's output goes through the entry schema, so no link or config can make a bad entry.
import { EntrySchema } from '../entry.ts';
import { LinkError, type ParsedLink } from './common.ts';

export function checkEntry(link: ParsedLink): ParsedLink {
  const result = EntrySchema.safeParse({ ...link, id: 'check' });
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'link';
    throw new LinkError(`its ${field} is not valid: ${issue?.message ?? 'invalid'}`);
  }
  return link;
}
