// Adds and removes Porthole's clearly marked block in a user.js, leaving every other byte as it was.
//
// The block is always appended at the end. If the file did not end in a line break, the block starts
// with one and has none after its END line, so that removing it gives back the exact original bytes.

export const BLOCK_BEGIN = '// BEGIN Porthole: proxy settings added by Porthole. Turn off "Use Porthole in Firefox" to remove. Do not edit.';
export const BLOCK_END = '// END Porthole';

function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The block's [start, end) offsets, covering its line breaks (see above), or undefined. */
export function findBlock(text: string): { start: number; end: number } | undefined {
  let begin = text.indexOf(BLOCK_BEGIN);
  while (begin > 0 && text[begin - 1] !== '\n') begin = text.indexOf(BLOCK_BEGIN, begin + 1);
  if (begin < 0) return undefined;
  const endMarker = text.indexOf(`\n${BLOCK_END}`, begin);
  if (endMarker < 0) return undefined;
  let end = endMarker + 1 + BLOCK_END.length;
  let start = begin;
  if (text.startsWith('\r\n', end)) end += 2;
  else if (text[end] === '\n') end += 1;
  else if (end === text.length && start > 0) {
    // Appended to a file without a final line break: the separator belongs to the block.
    start -= text.slice(0, start).endsWith('\r\n') ? 2 : 1;
  }
  return { start, end };
}

export function hasBlock(text: string): boolean {
  return findBlock(text) !== undefined;
}

/** Text with Porthole's block removed; unchanged when there is none. */
export function removeBlock(text: string): string {
  const b = findBlock(text);
  return b ? text.slice(0, b.start) + text.slice(b.end) : text;
}

/** Text with Porthole's block (the given lines) at the end, replacing an earlier block. */
export function insertBlock(text: string, body: string): string {
  const without = removeBlock(text);
  const eol = lineBreakOf(without === '' ? body : without);
  const lines = body.split(/\r?\n/).filter((l) => l !== '');
  const inner = [BLOCK_BEGIN, ...lines, BLOCK_END].join(eol);
  if (without === '' || without.endsWith('\n')) return `${without}${inner}${eol}`;
  return `${without}${eol}${inner}`;
}
