// Telegram Desktop: hand it a proxy through a tg:// link and the OS's opener: the bridge as SOCKS5
// (tg://socks), or a working MTProto proxy (tg://proxy) when that works better.
import type { HostPlatform } from './host-env.ts';
import type { RunResult, Runner } from './runner.ts';

export function telegramProxyLink(port: number, host = '127.0.0.1'): string {
  return `tg://socks?server=${encodeURIComponent(host)}&port=${port}`;
}

/** The opener for a URL. Windows uses url.dll rather than `cmd /c start`, whose parser would split the link at `&`. */
export function openerCommand(platform: HostPlatform, url: string): { cmd: string; args: string[] } {
  if (platform === 'win32') return { cmd: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url] };
  if (platform === 'darwin') return { cmd: 'open', args: [url] };
  return { cmd: 'xdg-open', args: [url] };
}

export interface TelegramChoice {
  /** The bridge, when it is connected: its address and the current server's latency. */
  bridge: { host: string; port: number; latencyMs: number | null } | null;
  /** The best working MTProto proxy, with its measured latency (TCP + fake-TLS handshake). */
  mtproto: { host: string; port: number; secret: string; latencyMs: number } | null;
}

/**
 * The link that works better for Telegram: the bridge unless a working MTProto proxy answers faster
 * (Telegram then talks to it directly, without the extra hop), or the bridge is not connected.
 */
export function bestTelegramLink(choice: TelegramChoice): string | null {
  const { bridge, mtproto } = choice;
  const mtLink = mtproto ? `tg://proxy?server=${encodeURIComponent(mtproto.host)}&port=${mtproto.port}&secret=${mtproto.secret}` : null;
  if (!bridge) return mtLink;
  if (mtLink && mtproto && (bridge.latencyMs === null || mtproto.latencyMs < bridge.latencyMs)) return mtLink;
  return telegramProxyLink(bridge.port, bridge.host);
}

export async function openTelegramProxy(platform: HostPlatform, runner: Runner, port: number, host?: string, link = telegramProxyLink(port, host)): Promise<RunResult & { link: string }> {
  const { cmd, args } = openerCommand(platform, link);
  const result = await runner.run(cmd, args, { timeoutMs: 20_000 });
  return { ...result, link };
}
