// Who must give the LAN share credentials, and what counts as giving them (the bridge's own tests,
// test/bridge/auth*.test.ts, drive the same rules through real SOCKS5 and HTTP clients).
import { describe, expect, it } from 'vitest';
import { AuthPolicy, generateShareCredentials, isLoopback } from './auth.ts';

const share = { username: 'alice', password: 's3cret pass' };
const basic = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;

describe('who must authenticate', () => {
  it('nobody while sharing is off, from any address', () => {
    const policy = new AuthPolicy(null);
    for (const remoteAddress of ['192.168.1.20', '127.0.0.1', undefined]) expect(policy.requiredFor({ remoteAddress })).toBe(false);
  });

  it('with sharing on: every client but loopback ones, IPv4-mapped loopback included', () => {
    const policy = new AuthPolicy(share);
    expect(policy.requiredFor({ remoteAddress: '127.0.0.1' })).toBe(false);
    expect(policy.requiredFor({ remoteAddress: '::ffff:127.0.0.5' })).toBe(false);
    expect(policy.requiredFor({ remoteAddress: '::1' })).toBe(false);
    expect(policy.requiredFor({ remoteAddress: '192.168.1.20' })).toBe(true);
    expect(policy.requiredFor({ remoteAddress: '::ffff:192.168.1.20' })).toBe(true);
    expect(policy.requiredFor({ remoteAddress: undefined })).toBe(true); // a socket already gone: no exemption
  });

  it('with the exemption off, loopback clients must authenticate too', () => {
    expect(new AuthPolicy(share, false).requiredFor({ remoteAddress: '127.0.0.1' })).toBe(true);
  });

  it('with an exempt list: exactly those addresses, written plain or IPv4-mapped, and no others', () => {
    const policy = new AuthPolicy(share, ['127.0.0.2']);
    expect(policy.requiredFor({ remoteAddress: '127.0.0.2' })).toBe(false);
    expect(policy.requiredFor({ remoteAddress: '::ffff:127.0.0.2' })).toBe(false);
    expect(policy.requiredFor({ remoteAddress: '127.0.0.1' })).toBe(true);
    expect(policy.requiredFor({ remoteAddress: undefined })).toBe(true);
    expect(policy.requiredFor({})).toBe(true);
  });
});

describe('loopback addresses', () => {
  it('are 127.0.0.0/8 and ::1, plain or IPv4-mapped; nothing else', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
    for (const a of ['128.0.0.1', '10.127.0.0', '::2', '127.0.0', '1127.0.0.1', '::ffff:10.0.0.1', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
  });
});

describe('the credentials check', () => {
  const policy = new AuthPolicy(share);

  it('needs both the username and the password', () => {
    expect(policy.check('alice', 's3cret pass')).toBe(true);
    expect(policy.check(Buffer.from('alice'), Buffer.from('s3cret pass'))).toBe(true);
    expect(policy.check('bob', 's3cret pass')).toBe(false);
    expect(policy.check('alice', 'wrong')).toBe(false);
    expect(policy.check('', '')).toBe(false);
  });

  it('Proxy-Authorization: Basic user:password, any letter case and spacing of the scheme', () => {
    expect(policy.checkBasic(basic('alice:s3cret pass'))).toBe(true);
    expect(policy.checkBasic(`  bAsIc   ${Buffer.from('alice:s3cret pass').toString('base64')}  `)).toBe(true);
    expect(policy.checkBasic(basic('alice:s3cret pass:'))).toBe(false);
    expect(policy.checkBasic(basic('bob:s3cret pass'))).toBe(false);
    expect(policy.checkBasic(`Bearer ${Buffer.from('alice:s3cret pass').toString('base64')}`)).toBe(false);
    expect(policy.checkBasic(undefined)).toBe(false);
    expect(policy.checkBasic('Basic')).toBe(false);
  });

  it('a Basic value without a colon is refused, even when its text would split into the right pair', () => {
    // Username "ab", password "abc": without the colon rule, "abc" could read as "ab" + "abc".
    const tricky = new AuthPolicy({ username: 'ab', password: 'abc' });
    expect(tricky.checkBasic(basic('ab:abc'))).toBe(true);
    expect(tricky.checkBasic(basic('abc'))).toBe(false);
    // An empty username is a username like any other.
    const empty = new AuthPolicy({ username: '', password: 'pw' });
    expect(empty.checkBasic(basic(':pw'))).toBe(true);
  });

  it('with no share configured, any pair and any header are accepted', () => {
    const open = new AuthPolicy(null);
    expect(open.check('x', 'y')).toBe(true);
    expect(open.checkBasic(undefined)).toBe(true);
  });
});

describe('generated share credentials', () => {
  it('are short enough to type, long enough not to guess, and new every time', () => {
    const a = generateShareCredentials();
    const b = generateShareCredentials();
    expect(a.username).toMatch(/^porthole-[0-9a-f]{6}$/);
    expect(a.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a).not.toEqual(b);
  });
});
