// Parses the text that Windows `reg query` prints, and expands %VARS% in registry strings.

export interface RegValue {
  type: string;
  /** REG_DWORD / REG_QWORD as numbers, everything else as the printed text. */
  data: string | number;
}

/** Key path → (value name → value). The default value has the name "" (reg prints it as "(Default)", localised). */
export type RegTree = Map<string, Map<string, RegValue>>;

const KEY_LINE = /^HKEY_[A-Z_]+(\\.*)?$/;
const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

export function parseRegQuery(stdout: string): RegTree {
  const tree: RegTree = new Map();
  let current: Map<string, RegValue> | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (KEY_LINE.test(line)) {
      current = tree.get(line) ?? new Map();
      tree.set(line, current);
      continue;
    }
    const m = VALUE_LINE.exec(line);
    if (!m || !current) continue;
    const [, rawName = '', type = '', text = ''] = m;
    const isDefault = /^\(.*\)$/.test(rawName);
    if (isDefault && text === '(value not set)') continue;
    const data = type === 'REG_DWORD' || type === 'REG_QWORD' ? Number.parseInt(text, 16) : text;
    current.set(isDefault ? '' : rawName, { type, data });
  }
  return tree;
}

/** Expands %NAME% from env (case-insensitive, as Windows does); unknown names stay as they are. */
export function expandWindowsVars(s: string, env: Record<string, string | undefined>): string {
  const lower = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]));
  return s.replace(/%([^%]+)%/g, (whole, name: string) => lower.get(name.toLowerCase()) ?? whole);
}

/** The program of a command line such as `"C:\Program Files\X\x.exe" -osint -url "%1"`. */
export function programOfCommandLine(commandLine: string): string {
  const s = commandLine.trim();
  if (s.startsWith('"')) {
    const end = s.indexOf('"', 1);
    return end > 0 ? s.slice(1, end) : s.slice(1);
  }
  const exe = /^(.*?\.exe)\b/i.exec(s);
  return exe?.[1] ?? s.split(/\s+/)[0] ?? s;
}
