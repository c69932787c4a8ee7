// "Open Firefox/Chrome/Telegram" for the Api: starts the app on the running bridge and reports what
// happened (started, not installed, failed to start) in words the UI can show next to the proxy address.
import { isPortholeError } from '../../../../shared/errors.ts';
import type { OpenBrowserResult } from '../../../../shared/api.ts';
import type { HostEnv } from '../../browsers/host-env.ts';
import { openOnBridge } from '../../browsers/open-browser.ts';
import type { Engine as CoreEngine } from '../engine.ts';
import { openTelegram } from '../open-telegram.ts';

export async function openApp(
  core: CoreEngine | null,
  app: 'firefox' | 'chrome' | 'telegram',
  o: { host: HostEnv; dataDir: string; testUrl: string; log: (level: 'info' | 'warn', message: string) => void },
): Promise<OpenBrowserResult> {
  if (app === 'telegram') return openTelegram(core, o.dataDir, o.testUrl, (m) => o.log('info', m), o.host); // the bridge or an MTProto proxy
  const bridge = core?.bridgeInfo();
  if (!bridge || core?.state().phase !== 'connected') return { ok: false, reason: 'not-connected', message: 'not connected yet' };
  try {
    await openOnBridge(o.host, app, { dataDir: o.dataDir, port: bridge.port, host: bridge.host, checkUrl: o.testUrl });
    o.log('info', `${app} started on the bridge ${bridge.host}:${bridge.port}`);
    return { ok: true };
  } catch (err) {
    const notInstalled = isPortholeError(err, 'browser-not-found');
    o.log('warn', `${app}: ${(err as Error).message}`);
    return { ok: false, reason: notInstalled ? 'not-installed' : 'failed', message: (err as Error).message.slice(0, 500) };
  }
}
