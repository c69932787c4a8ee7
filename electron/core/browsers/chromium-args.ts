// Command-line switches for Chromium-family browsers (Chrome, Chromium, Edge, Brave, Yandex, Opera).

export interface ChromiumArgsOptions {
  userDataDir: string;
  host?: string;
  port: number;
}

export function chromiumArgs(options: ChromiumArgsOptions): string[] {
  const host = options.host ?? '127.0.0.1';
  return [
    `--user-data-dir=${options.userDataDir}`,
    `--proxy-server=socks5://${host}:${options.port}`,
    // Nothing is resolved locally: every name goes to the proxy (the proxy's own address excepted).
    `--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${host}`,
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--no-first-run',
    '--no-default-browser-check',
  ];
}
