// The core Engine behind the Api: made when first needed, opened once (concurrent callers share
// one opening), running while connected. Between connections an open but not running core
// serves lists, sources and imports.
import { PortholeError } from '../../../../shared/errors.ts';
import type { Engine as CoreEngine } from '../engine.ts';

export class CoreSlot {
  private readonly make: () => CoreEngine;
  private core: CoreEngine | null = null;
  private opening: Promise<CoreEngine> | null = null;

  /** `make` builds a new core engine (from the settings of the moment). */
  constructor(make: () => CoreEngine) {
    this.make = make;
  }

  /** The current core engine, running or only open; null before the first use or after stop(). */
  get current(): CoreEngine | null {
    return this.core;
  }

  /** The core engine whose bridge runs, or null. */
  get running(): CoreEngine | null {
    return this.core?.bridgeInfo() ? this.core : null;
  }

  /** The current core engine, opened (its data dir loaded); a new one when there is none. */
  open(): Promise<CoreEngine> {
    if (!this.opening) {
      const core = (this.core ??= this.make());
      this.opening = core.open().then(() => core);
      this.opening.catch(() => (this.opening = null));
    }
    return this.opening;
  }

  requireRunning(): CoreEngine {
    if (!this.core || !this.core.bridgeInfo()) throw new PortholeError('unavailable', 'not connected: press Connect first');
    return this.core;
  }

  /** Stops the core engine and lets it go: the next open() makes a new one. */
  async stop(): Promise<void> {
    await this.core?.stop();
    this.core = null;
    this.opening = null;
  }
}
