// One place where a browser might be installed, before de-duplication.
import type { BrowserId, DetectionSource } from './catalog.ts';

export interface Candidate {
  id: BrowserId;
  command: string;
  baseArgs: string[];
  source: DetectionSource;
}
