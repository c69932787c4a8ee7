// Reads untrusted JSON and YAML configs safely: a size cap, a linear nesting pre-scan (brackets
// and indentation) before any parser runs, and YAML aliases capped (no "billion laughs"). What
// cannot be read throws PortholeError('bad-config') with a message for people.
import { LineCounter, parseDocument, isSeq, isMap, type Document } from 'yaml';
import { PortholeError } from '../errors.ts';

/** The largest subscription or config Porthole reads (characters). */
export const MAX_CONFIG_CHARS = 4 * 1024 * 1024;
/** Deepest bracket nesting accepted (real configs use under 10). */
export const MAX_DEPTH = 32;
/** Deepest indentation accepted in YAML (columns). */
const MAX_INDENT = 160;
const MAX_ALIASES = 100;

function checkSize(text: string, what: string): void {
  if (text.length > MAX_CONFIG_CHARS) {
    throw new PortholeError('bad-config', `this ${what} is too large: ${Math.round(text.length / 1024)} KB (the limit is ${MAX_CONFIG_CHARS / 1024 / 1024} MB)`);
  }
}

/** Bracket depth outside strings, one pass. Quote handling follows JSON (and is conservative for YAML). */
function checkBrackets(text: string, what: string, yamlQuotes: boolean): void {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 0x5c && quote === 0x22) i++; // backslash escape inside "…"
      else if (c === quote) quote = 0;
      else if (c === 0x0a && yamlQuotes) quote = 0;
      continue;
    }
    if (c === 0x22 || (yamlQuotes && c === 0x27)) quote = c;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) throw new PortholeError('bad-config', `this ${what} is nested too deeply (more than ${MAX_DEPTH} levels): refused`);
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
}

export function parseJsonConfig(text: string): unknown {
  checkSize(text, 'JSON');
  checkBrackets(text, 'JSON', false);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PortholeError('bad-config', `this JSON is broken: ${(err as Error).message.slice(0, 120)}`);
  }
}

export interface YamlConfig {
  doc: Document;
  lines: LineCounter;
}

export function parseYamlConfig(text: string): YamlConfig {
  checkSize(text, 'YAML');
  checkBrackets(text, 'YAML', true);
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) { lineStart = true; indent = 0; continue; }
    if (lineStart && (c === 0x20 || c === 0x2d)) {
      if (++indent > MAX_INDENT) throw new PortholeError('bad-config', `this YAML is nested too deeply (indented more than ${MAX_INDENT} columns): refused`);
      continue;
    }
    lineStart = false;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const at = lines.linePos(err.pos[0]);
    throw new PortholeError('bad-config', `this YAML is broken at line ${at.line}: ${err.message.split('\n')[0]!.slice(0, 120)}`);
  }
  return { doc, lines };
}

/** The items of a top-level YAML sequence `key:` with each item's line number, as plain values. */
export function yamlItems(config: YamlConfig, key: string): { line: number; value: unknown }[] | null {
  const root = config.doc.contents;
  if (!isMap(root)) return null;
  const seq = root.get(key, true);
  if (!isSeq(seq)) return null;
  const out: { line: number; value: unknown }[] = [];
  for (const item of seq.items) {
    const offset = (item as { range?: [number, number, number] }).range?.[0] ?? 0;
    let value: unknown;
    try {
      value = (item as { toJS?: (doc: Document, opts: object) => unknown }).toJS?.(config.doc, { maxAliasCount: MAX_ALIASES }) ?? item;
    } catch (err) {
      value = new PortholeError('bad-config', `this item could not be read: ${(err as Error).message.slice(0, 100)}`);
    }
    out.push({ line: config.lines.linePos(offset).line, value });
  }
  return out;
}

/** The whole YAML document as plain values (aliases capped). */
export function yamlValue(config: YamlConfig): unknown {
  try {
    return config.doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw new PortholeError('bad-config', `this YAML could not be read: ${(err as Error).message.slice(0, 120)}`);
  }
}
