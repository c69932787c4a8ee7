// `up --ui`'s web UI: the built renderer (built once if a checkout has none) and the Api served on
// 127.0.0.1 behind a random token. A module of its own so `up` loads it only with --ui.
import type { Api } from '../../shared/api.ts';
import { generateToken, serveApiOverHttp, type UiServer } from '../core/ui-server/index.ts';
import { ensureRenderer } from './renderer-build.ts';

export async function serveUi(api: Api, port: number, log: (line: string) => void): Promise<UiServer> {
  return serveApiOverHttp(api, { host: '127.0.0.1', port, token: generateToken(), staticDir: await ensureRenderer(log) });
}
