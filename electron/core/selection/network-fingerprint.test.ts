import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { collectNetworkFacts, networkFingerprint, newFingerprintSecret, parseProcArp, parseProcRoute, type FactSources } from './network-fingerprint.ts';
import { loadNetworkMemory, NetworkMemory, saveNetworkMemory, MAX_SERVERS_PER_NETWORK } from './network-memory.ts';

const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
eth0\t00000000\t01000A0A\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t00000A0A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
`;
const ARP = `IP address       HW type     Flags       HW address            Mask     Device
10.10.0.1        0x1         0x2         AA:BB:CC:00:11:22     *        eth0
192.168.1.1      0x1         0x0         00:00:00:00:00:00     *        wlan0
`;

function sources(route: string | null, arp: string | null, ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): FactSources {
  return { readFile: (p) => (p === '/proc/net/route' ? route : p === '/proc/net/arp' ? arp : null), interfaces: () => ifaces };
}

const IFACES: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [{ address: '10.10.0.57', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '10.10.0.57/24' }],
};

describe('network fingerprint', () => {
  it('reads the default route with the lowest metric and the gateway MAC', () => {
    expect(parseProcRoute(ROUTE)).toEqual({ iface: 'eth0', gateway: '10.10.0.1' });
    expect(parseProcArp(ARP, '10.10.0.1')).toBe('aa:bb:cc:00:11:22');
    expect(parseProcArp(ARP, '192.168.1.1')).toBeNull(); // incomplete entry
    expect(collectNetworkFacts(sources(ROUTE, ARP, IFACES))).toEqual({ gatewayIp: '10.10.0.1', gatewayMac: 'aa:bb:cc:00:11:22', interfaceName: 'eth0', subnet: '10.10.0.0/24' });
  });

  it('without /proc (Windows, macOS) falls back to the external interface and its subnet', () => {
    expect(collectNetworkFacts(sources(null, null, IFACES))).toEqual({ gatewayIp: null, gatewayMac: null, interfaceName: 'eth0', subnet: '10.10.0.0/24' });
  });

  it('is an HMAC under the install secret: stable, secret-dependent, network-dependent, no raw identifiers', () => {
    const facts = collectNetworkFacts(sources(ROUTE, ARP, IFACES));
    const secret = newFingerprintSecret();
    const fp = networkFingerprint(facts, secret);
    expect(fp).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(networkFingerprint({ ...facts }, secret)).toBe(fp);
    expect(networkFingerprint(facts, newFingerprintSecret())).not.toBe(fp);
    expect(networkFingerprint({ ...facts, gatewayMac: 'aa:bb:cc:00:11:23' }, secret)).not.toBe(fp);
    for (const raw of ['10.10', 'aa:bb', 'AABBCC', 'eth0']) expect(fp).not.toContain(raw);
    expect(networkFingerprint({ gatewayIp: null, gatewayMac: null, interfaceName: null, subnet: null }, secret)).toBeNull();
  });

  it('the memory round-trips through its JSON file, stores no raw identifiers, and stays bounded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-netmem-'));
    try {
      const path = join(dir, 'networks.json');
      const fresh = await loadNetworkMemory(path);
      expect(fresh.preferred('x')).toEqual([]);
      const fp = networkFingerprint(collectNetworkFacts(sources(ROUTE, ARP, IFACES)), fresh.secret)!;
      for (let i = 0; i < MAX_SERVERS_PER_NETWORK + 5; i++) fresh.remember(fp, `s${i}`, 1080, 1000 + i);
      fresh.remember(fp, 's0', 443, 99_999);
      await saveNetworkMemory(path, fresh);
      const text = await readFile(path, 'utf8');
      expect(text).not.toMatch(/10\.10\.0|aa:bb:cc|eth0/i);
      const back = await loadNetworkMemory(path);
      expect(back.secret).toBe(fresh.secret);
      const pref = back.preferred(fp);
      expect(pref).toHaveLength(MAX_SERVERS_PER_NETWORK);
      expect(pref[0]).toEqual({ id: 's0', port: 443 });
      back.forget('s0');
      expect(back.preferred(fp)[0]?.id).toBe('s24');
      await writeFile(path, JSON.stringify({ version: 1, secret: 'short', networks: [] }));
      await expect(loadNetworkMemory(path)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('NetworkMemory keeps at most 50 networks, dropping the least recently seen', () => {
    const m = new NetworkMemory();
    for (let i = 0; i < 60; i++) m.remember(`net-${String(i).padStart(18, '0')}`, 'a', 1, i);
    expect(m.toJSON().networks).toHaveLength(50);
    expect(m.preferred(`net-${String(0).padStart(18, '0')}`)).toEqual([]);
    expect(m.preferred(`net-${String(59).padStart(18, '0')}`)).toEqual([{ id: 'a', port: 1 }]);
  });
});
