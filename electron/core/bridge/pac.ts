// The proxy auto-config file served at /proxy.pac: everything through the bridge's HTTP proxy
// (an HTTP proxy never makes the browser resolve names), DIRECT only for local names and
// loopback/private/link-local address literals. isInNet() is only applied to IPv4 literals,
// because on a name it would make the browser resolve it: a DNS leak.

/** Builds the PAC script for a bridge reachable at host:port. */
export function pacScript(host: string, port: number): string {
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return `// Porthole bridge: send the browser's traffic through ${hostPort}.
function FindProxyForURL(url, host) {
  var h = host.toLowerCase();
  if (h.charAt(0) === "[") h = h.substring(1, h.length - 1);
  if (isPlainHostName(h) || h === "localhost" || shExpMatch(h, "*.localhost") || shExpMatch(h, "*.local")) return "DIRECT";
  if (/^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$/.test(h)) {
    if (isInNet(h, "127.0.0.0", "255.0.0.0") || isInNet(h, "10.0.0.0", "255.0.0.0") ||
        isInNet(h, "172.16.0.0", "255.240.0.0") || isInNet(h, "192.168.0.0", "255.255.0.0") ||
        isInNet(h, "169.254.0.0", "255.255.0.0") || isInNet(h, "100.64.0.0", "255.192.0.0")) return "DIRECT";
  }
  if (h === "::1" || shExpMatch(h, "fe80:*") || shExpMatch(h, "fc*:*") || shExpMatch(h, "fd*:*")) return "DIRECT";
  return "PROXY ${hostPort}";
}
`;
}
