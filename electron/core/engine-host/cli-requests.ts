// What only `porthole up` asks of the engine, answered the same way in-process and in the engine
// process: import a `--code` or the demo list with the core outcomes, and connect, reporting the
// bridge's addresses and how many servers are known.
import { PortholeError } from '../../../shared/errors.ts';
import type { ApiService } from '../engine/api/service.ts';
import type { CliRequest, CliResult } from './protocol.ts';

export async function runCliRequest(api: ApiService, request: CliRequest): Promise<CliResult> {
  if (request.op === 'import') {
    const outcomes = await api.importRaw(request.data, request.acceptNewKey);
    return { op: 'import', outcomes: outcomes.map((o) => ({ status: o.status, message: o.message.slice(0, 4000) })) };
  }
  await api.connect({});
  const core = api.running;
  const b = core?.bridgeInfo();
  if (!core || !b) throw new PortholeError('unavailable', 'the bridge did not start');
  return { op: 'connect', socks: `${b.host}:${b.port}`, http: `${b.host}:${b.port}`, servers: core.servers().length };
}
