// Probes one server through a one-server probe round: how the probe tests look at a single result.
import { startProbe, type ProbeOptions, type ProbeResult } from '../../electron/core/probe/index.ts';
import type { Entry } from '../../shared/entry.ts';

export async function probeOne(entry: Entry, options: ProbeOptions = {}): Promise<ProbeResult> {
  const [result] = await startProbe([entry], options).done;
  if (!result) throw new Error('the probe round gave no result');
  return result;
}
