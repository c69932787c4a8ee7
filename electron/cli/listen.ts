// Parses --listen HOST:PORT (IPv6 in brackets).
import { PortholeError } from '../../shared/errors.ts';

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new PortholeError('usage', `--listen "${text}": expected HOST:PORT, e.g. 127.0.0.1:1080`);
  return { host: m[1] ?? m[2]!, port };
}
