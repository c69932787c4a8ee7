// Throwaway self-signed certificates for TLS peers (v2ray, trojan, nginx), made with the openssl CLI:
// one per set of names, cached per test process. `pin` is the form an entry's tls.pinSha256 takes.
import { createHash, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BINARIES, requireBinary } from './binaries.ts';

export interface NamedCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, base64url without padding. */
  pin: string;
  names: readonly string[];
}

const cache = new Map<string, NamedCertificate>();

/** A self-signed EC certificate for the DNS names (and 127.0.0.1), valid two days. */
export function certificateFor(names: readonly string[]): NamedCertificate {
  const cacheKey = names.join(',');
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',');
    execFileSync(requireBinary(BINARIES.openssl), [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${names[0] ?? 'porthole-test'}`, '-addext', `subjectAltName=${san}`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const pem = fs.readFileSync(cert, 'utf8');
    const made: NamedCertificate = {
      key: fs.readFileSync(key, 'utf8'),
      cert: pem,
      pin: createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url'),
      names,
    };
    cache.set(cacheKey, made);
    return made;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes key.pem and cert.pem of `c` into dir (mode 0644 so dropped-privilege workers read them). */
export function writeCertificate(dir: string, c: NamedCertificate, prefix = ''): { keyFile: string; certFile: string } {
  const keyFile = path.join(dir, `${prefix}key.pem`);
  const certFile = path.join(dir, `${prefix}cert.pem`);
  fs.writeFileSync(keyFile, c.key, { mode: 0o644 });
  fs.writeFileSync(certFile, c.cert, { mode: 0o644 });
  return { keyFile, certFile };
}
