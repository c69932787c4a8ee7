// Telegram Desktop: hand it the bridge as a SOCKS5 proxy through a tg:// link and the OS's opener.
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

export async function openTelegramProxy(platform: HostPlatform, runner: Runner, port: number, host?: string): Promise<RunResult & { link: string }> {
  const link = telegramProxyLink(port, host);
  const { cmd, args } = openerCommand(platform, link);
  const result = await runner.run(cmd, args, { timeoutMs: 20_000 });
  return { ...result, link };
}
