import { describe, expect, it } from 'vitest';
import { pointsAtThisComputer } from './code-channels.ts';

describe('pointsAtThisComputer reads IPv6 by its bytes (shared/ip.ts), not its spelling', () => {
  it('finds loopback, unspecified, link-local (fe80::/10) and IPv4-mapped loopback in any text form', () => {
    for (const h of ['[0:0:0:0:0:0:0:1]', '[::0]', '[FE80::1]', '[febf:ffff::1]', '[::ffff:127.0.0.1]', '[0:0:0:0:0:ffff:a9fe:1]', 'fe80::1%eth0']) {
      expect(pointsAtThisComputer(h), h).toBe(true);
    }
  });

  it('does not take other addresses for this computer', () => {
    // "fe8::1" is 0fe8::1, not link-local; fec0::/10 is the old site-local range.
    for (const h of ['[fe8::1]', '[fec0::1]', '[::2]', '[::ffff:8.8.8.8]', '[64:ff9b::7f00:1]']) {
      expect(pointsAtThisComputer(h), h).toBe(false);
    }
  });
});
