// A privacy-preserving fingerprint of the local network, to remember which servers worked where.
// Facts: the default gateway's IP and MAC (Linux: /proc/net/route and /proc/net/arp), the name of the
// interface that carries the default route and its subnet (os.networkInterfaces()). Only an HMAC of
// them under a per-install random secret is ever kept: no raw address leaves this function.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface NetworkFacts {
  gatewayIp: string | null;
  gatewayMac: string | null;
  /** The interface of the default route (or the first external one when that is unknown). */
  interfaceName: string | null;
  /** e.g. "192.168.1.0/24". */
  subnet: string | null;
}

export interface FactSources {
  readFile(path: string): string | null;
  interfaces(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

const systemFactSources: FactSources = {
  readFile: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  interfaces: () => os.networkInterfaces(),
};

/** The default route from /proc/net/route (lowest metric): interface and gateway IPv4. */
export function parseProcRoute(text: string): { iface: string; gateway: string } | null {
  let best: { iface: string; gateway: string; metric: number } | null = null;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, dest, gw, flags, , , metric, mask] = f;
    // Destination 0.0.0.0/0 with the UP (0x1) and GATEWAY (0x2) flags.
    if (dest !== '00000000' || mask !== '00000000' || (parseInt(flags!, 16) & 0x3) !== 0x3) continue;
    const m = Number(metric);
    if (!best || m < best.metric) best = { iface: iface!, gateway: hexToIpv4(gw!), metric: m };
  }
  return best && { iface: best.iface, gateway: best.gateway };
}

/** /proc/net/route stores addresses as little-endian hex. */
function hexToIpv4(hex: string): string {
  const n = parseInt(hex, 16) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** The MAC of `ip` from /proc/net/arp, when the entry is complete. */
export function parseProcArp(text: string, ip: string): string | null {
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[0] === ip && f[3] && f[3] !== '00:00:00:00:00:00' && (parseInt(f[2] ?? '0', 16) & 0x2) !== 0) return f[3].toLowerCase();
  }
  return null;
}

function subnetOf(info: os.NetworkInterfaceInfo): string | null {
  if (info.family !== 'IPv4' || !info.cidr) return null;
  const [addr, prefixText] = info.cidr.split('/');
  const prefix = Number(prefixText);
  const n = addr!.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[net >>> 24, (net >>> 16) & 0xff, (net >>> 8) & 0xff, net & 0xff].join('.')}/${prefix}`;
}

export function collectNetworkFacts(src: FactSources = systemFactSources): NetworkFacts {
  const route = src.readFile('/proc/net/route');
  const def = route ? parseProcRoute(route) : null;
  const arp = def ? src.readFile('/proc/net/arp') : null;
  const ifaces = src.interfaces();
  let name = def?.iface ?? null;
  if (name === null) {
    // No /proc (Windows, macOS): the first external IPv4 interface.
    name = Object.keys(ifaces).sort().find((n) => (ifaces[n] ?? []).some((i) => !i.internal && i.family === 'IPv4')) ?? null;
  }
  const v4 = name ? (ifaces[name] ?? []).find((i) => i.family === 'IPv4' && !i.internal) : undefined;
  return {
    gatewayIp: def?.gateway ?? null,
    gatewayMac: def && arp ? parseProcArp(arp, def.gateway) : null,
    interfaceName: name,
    subnet: v4 ? subnetOf(v4) : null,
  };
}

/** A fresh per-install secret (base64url, 32 bytes). */
export function newFingerprintSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * HMAC-SHA256 under the install's secret over the facts; 128 bits, base64url. Null when there is
 * nothing to tell networks apart (offline, no external interface).
 */
export function networkFingerprint(facts: NetworkFacts, secret: string): string | null {
  if (facts.gatewayIp === null && facts.gatewayMac === null && facts.subnet === null) return null;
  const canonical = ['porthole-network-v1', facts.gatewayMac ?? '-', facts.gatewayIp ?? '-', facts.interfaceName ?? '-', facts.subnet ?? '-'].join('\n');
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(canonical).digest().subarray(0, 16).toString('base64url');
}

/** The fingerprint of the network this computer is on now. */
export function currentNetworkFingerprint(secret: string, src: FactSources = systemFactSources): string | null {
  return networkFingerprint(collectNetworkFacts(src), secret);
}
