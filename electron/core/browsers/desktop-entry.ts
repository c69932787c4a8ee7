// Reads freedesktop.org .desktop files: the [Desktop Entry] group and its Exec command line.

export interface DesktopEntry {
  name?: string;
  exec?: string;
  tryExec?: string;
  hidden: boolean;
  type?: string;
}

export function parseDesktopEntry(text: string): DesktopEntry {
  const entry: DesktopEntry = { hidden: false };
  let inMain = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inMain = line === '[Desktop Entry]';
      continue;
    }
    if (!inMain || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'Name') entry.name = value;
    else if (key === 'Exec') entry.exec = value;
    else if (key === 'TryExec') entry.tryExec = value;
    else if (key === 'Type') entry.type = value;
    else if (key === 'Hidden') entry.hidden = value === 'true';
  }
  return entry;
}

/**
 * Splits an Exec value into program and arguments, following the Desktop Entry spec's quoting,
 * dropping field codes (%u, %F, …), Flatpak's @@ markers and a leading `env VAR=value …`.
 */
export function splitExec(exec: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < exec.length; i++) {
    const c = exec[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < exec.length) cur += exec[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') {
      quoted = true;
      inToken = true;
    } else if (c === ' ' || c === '\t') {
      if (inToken) tokens.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += c;
      inToken = true;
    }
  }
  if (inToken) tokens.push(cur);
  const args = tokens
    .filter((t) => !/^%[a-zA-Z]$/.test(t) && t !== '@@' && !/^@@[a-zA-Z]?$/.test(t))
    .map((t) => t.replaceAll('%%', '%'));
  if (args[0] === 'env' || args[0]?.endsWith('/env')) {
    let i = 1;
    while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i] as string)) i++;
    return args.slice(i);
  }
  return args;
}
