// Where a connection goes (host and port), and its "host:port" authority text. Names stay names:
// nothing here resolves anything.
import { bareHost, isIPv6Literal } from '../../../shared/ip.ts';

/** Where a client wants to go. `host` is a name, IPv4 or IPv6 literal: names are never resolved locally. */
export interface Destination {
  host: string;
  port: number;
}

/** "host:port", with IPv6 literals in brackets (RFC 3986 authority form). */
export function hostPort(host: string, port: number): string {
  const bare = bareHost(host);
  return isIPv6Literal(bare) ? `[${bare}]:${port}` : `${bare}:${port}`;
}
