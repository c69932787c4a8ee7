// Benchmark of the scans of untrusted text (armored blocks, HTML to text, codes, links): the
// worst adversarial input of 1 MiB against one plain pass over the same text (String
// normalize NFKC, which every scan does first), measured in the same run. Goal: ≤ 50 ms.
import { ADVERSARIAL_TEXT, MiB, SCANNERS } from '../test/helpers/adversarial-text.ts';

export interface ScanGoal {
  goal: string;
  value: string;
  met: boolean;
}

function bestOf(n: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Prints one line per adversarial input and returns the goal row. */
export function runScannerBench(log: (line: string) => void, size = MiB, repeat = 5): ScanGoal[] {
  log(`untrusted-text scans, ${(size / MiB).toFixed(2)} MiB each, best of ${repeat}:`);
  let worst = { name: '', ms: 0, peerMs: 1 };
  for (const [name, make] of Object.entries(ADVERSARIAL_TEXT)) {
    const text = make(size);
    const peerMs = bestOf(repeat, () => void text.normalize('NFKC'));
    let slowest = { scanner: '', ms: 0 };
    for (const [scanner, scan] of Object.entries(SCANNERS)) {
      const ms = bestOf(repeat, () => scan(text));
      if (ms > slowest.ms) slowest = { scanner, ms };
    }
    log(`  ${name.padEnd(34)} slowest: ${slowest.scanner.padEnd(16)} ${slowest.ms.toFixed(1).padStart(7)} ms   one NFKC pass ${peerMs.toFixed(1).padStart(6)} ms   ×${(slowest.ms / Math.max(peerMs, 0.01)).toFixed(1)}`);
    if (slowest.ms > worst.ms) worst = { name: `${name}, ${slowest.scanner}`, ms: slowest.ms, peerMs };
  }
  return [{
    goal: 'worst scan of 1 MiB of adversarial untrusted text ≤ 50 ms',
    value: `${worst.ms.toFixed(1)} ms (${worst.name}; ×${(worst.ms / Math.max(worst.peerMs, 0.01)).toFixed(1)} of one NFKC pass)`,
    met: worst.ms <= 50,
  }];
}

if (process.argv[1]?.endsWith('scanners.ts')) {
  for (const g of runScannerBench((line) => process.stdout.write(`${line}\n`))) process.stdout.write(`[${g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.value}\n`);
}
