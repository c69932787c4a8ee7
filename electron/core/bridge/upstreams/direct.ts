// Direct TCP, for destinations the user excludes from proxying (e.g. the local network). This is the
// one connector that resolves names locally, on purpose.
import type { Duplex } from 'node:stream';
import { checkDestination } from './destination.ts';
import { guardedConnect, openTcp } from './guard.ts';
import type { ConnectOptions, Destination, Upstream } from './types.ts';

export const DIRECT_ID = 'direct';

export class DirectUpstream implements Upstream {
  readonly id: string;
  readonly describe = 'direct';

  constructor(id: string = DIRECT_ID) {
    this.id = id;
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const target = checkDestination(dest, this.describe);
      return openTcp(guard, target.host, target.port);
    });
  }
}
