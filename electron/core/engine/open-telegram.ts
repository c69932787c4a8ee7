// "Open Telegram": hands Telegram the best working MTProto proxy (tg://proxy) or the bridge
// (tg://socks), whichever works better (browsers/telegram.ts decides), then opens the link.
import type { OpenBrowserResult } from '../../../shared/api.ts';
import type { HostEnv } from '../browsers/host-env.ts';
import { openOnBridge } from '../browsers/open-browser.ts';
import { realHost } from '../browsers/real-host.ts';
import { bestTelegramLink } from '../browsers/telegram.ts';
import type { Engine } from './engine.ts';

export async function openTelegram(core: Engine | null, dataDir: string, testUrl: string, log: (message: string) => void, host: HostEnv = realHost(process.env)): Promise<OpenBrowserResult> {
  const bridge = core?.bridgeInfo();
  const connected = Boolean(bridge && core?.state().phase === 'connected');
  const best = core?.bestMtproto() ?? null;
  const link = bestTelegramLink({
    bridge: connected && bridge ? { host: bridge.host, port: bridge.port, latencyMs: core?.state().currentLatencyMs ?? null } : null,
    mtproto: best && best.entry.secret && best.latencyMs !== null ? { host: best.entry.host, port: best.port, secret: best.entry.secret, latencyMs: best.latencyMs } : null,
  });
  if (!link) return { ok: false, reason: 'not-connected', message: 'not connected yet, and no MTProto proxy works' };
  const viaBridge = link.startsWith('tg://socks');
  try {
    await openOnBridge(host, 'telegram', {
      dataDir, port: bridge?.port ?? 0, ...(bridge ? { host: bridge.host } : {}), telegramLink: link, checkUrl: viaBridge ? testUrl : false,
    });
    if (!viaBridge) log(`Telegram got the MTProto proxy ${best?.entry.label ?? best?.entry.host} (it works better than the bridge now)`);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: 'failed', message: (err as Error).message.slice(0, 500) };
  }
}
