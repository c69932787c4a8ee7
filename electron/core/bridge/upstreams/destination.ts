// Checks destinations before they go on the wire (formatting lives in net/destination.ts).
import net from 'node:net';
import { PortholeError } from '../../../../shared/errors.ts';
import { bareHost } from '../../../../shared/ip.ts';
import type { Destination } from './types.ts';

/**
 * Throws a PortholeError 'other' unless dest is usable on the wire: port 1-65535; host an IP literal or a
 * name of at most 255 bytes without spaces or control characters (so it cannot inject into a request).
 */
export function checkDestination(dest: Destination, upstream: string): Destination {
  const host = bareHost(dest.host);
  const bad = (why: string): never => {
    throw new PortholeError('other', `${upstream}: bad destination ${JSON.stringify(dest.host)}:${dest.port}: ${why}`, { upstream });
  };
  if (!Number.isInteger(dest.port) || dest.port < 1 || dest.port > 65535) bad('port out of range');
  if (host.length === 0) bad('empty host');
  if (!net.isIP(host)) {
    if (Buffer.byteLength(host) > 255) bad('host name longer than 255 bytes');
    // eslint-disable-next-line no-control-regex
    if (/[\s\x00-\x1f\x7f/@[\]]/.test(host)) bad('host name has forbidden characters');
  }
  return { host, port: dest.port };
}
