// Who must authenticate, and the check itself. Loopback clients never need credentials (browsers
// do not support SOCKS5 authentication); with LAN sharing on, every other client must give the
// share credentials (RFC 1929 for SOCKS5, Proxy-Authorization: Basic for HTTP).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ShareCredentials {
  username: string;
  password: string;
}

/** Random credentials for LAN sharing: short enough to type, long enough not to guess. */
export function generateShareCredentials(): ShareCredentials {
  return {
    username: `porthole-${randomBytes(3).toString('hex')}`,
    password: randomBytes(12).toString('base64url'),
  };
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

function digest(value: Buffer | string): Buffer {
  return createHash('sha256').update(value).digest();
}

export class AuthPolicy {
  readonly share: ShareCredentials | null;
  /**
   * Who needs no credentials: true = loopback clients; false = nobody; or exactly these
   * addresses (tests, which only have loopback, tell 127.0.0.1 from 127.0.0.2 this way).
   */
  private readonly exempt: boolean | readonly string[];
  private readonly userDigest: Buffer | null;
  private readonly passDigest: Buffer | null;

  constructor(share: ShareCredentials | null, exempt: boolean | readonly string[] = true) {
    this.share = share;
    this.exempt = exempt;
    this.userDigest = share ? digest(share.username) : null;
    this.passDigest = share ? digest(share.password) : null;
  }

  /** Whether this client must authenticate (its address is only looked at when sharing is on). */
  requiredFor(client: { readonly remoteAddress?: string | undefined }): boolean {
    if (!this.share) return false;
    // Stryker disable next-line Regex: only a leading ::ffff: can make an address equal a listed one (isLoopback strips it itself).
    const address = client.remoteAddress?.replace(/^::ffff:/, '');
    // Stryker disable next-line StringLiteral: the stand-in for an unknown address only has to match no listed address; any non-address does.
    if (typeof this.exempt !== 'boolean') return !this.exempt.includes(address ?? '');
    return !(this.exempt && isLoopback(address));
  }

  /** Constant-time check of a username and password. With no share configured any pair is accepted. */
  check(username: Buffer | string, password: Buffer | string): boolean {
    if (!this.userDigest || !this.passDigest) return true;
    const u = timingSafeEqual(digest(username), this.userDigest);
    const p = timingSafeEqual(digest(password), this.passDigest);
    return u && p;
  }

  /** Checks a Proxy-Authorization header value ("Basic base64(user:pass)"). */
  checkBasic(header: string | undefined): boolean {
    if (!this.share) return true;
    const m = header ? /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
    if (!m) return false;
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    return this.check(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
}
