import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../renderer/src/styles.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

describe('renderer CSS is ready for right-to-left', () => {
  it('uses logical properties, never physical left/right ones', () => {
    const physical = css.match(/(?:^|[\s;{])(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right|float|clear)\s*:|text-align\s*:\s*(?:left|right)/gm) ?? [];
    expect(physical).toEqual([]);
  });

  it('sizes text in rem, not px, so zoom and font settings scale it', () => {
    expect(css.match(/font-size\s*:\s*[\d.]+px/g) ?? []).toEqual([]);
  });

  it('has a visible focus style', () => {
    expect(css).toMatch(/:focus-visible\s*{[^}]*outline:\s*3px/);
  });
});
