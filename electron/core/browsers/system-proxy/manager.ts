// Points the system proxy at the bridge's PAC file and puts the previous settings back, crash-safely.
// The order of every step follows state-machine.ts: journal first, then change, then mark applied.
import { PortholeError } from '../../../../shared/errors.ts';
import type { HostEnv } from '../host-env.ts';
import type { Journal, JournalItem, JournalStore } from './journal.ts';
import { fileJournal, journalPath } from './journal.ts';
import { proxyTarget } from './pac.ts';
import { selectBackends } from './select.ts';
import type { Phase } from './state-machine.ts';
import { transition } from './state-machine.ts';
import type { ItemState, ProxyBackend, ProxyTarget } from './types.ts';

export interface SystemProxyOptions {
  dataDir: string;
  host: HostEnv;
  /** Default: what selectBackends finds on this machine. */
  backends?: ProxyBackend[];
  /** Default: the journal file in the data dir. */
  journal?: JournalStore;
  now?: () => Date;
}

export interface ItemStatus {
  backend: string;
  item: string;
  current: ItemState;
  pointsAtPorthole: boolean;
}

export interface SystemProxyStatus {
  phase: Phase;
  target?: ProxyTarget;
  backends: string[];
  items: ItemStatus[];
}

export interface RestoreResult {
  /** "backend:item" whose settings were put back. */
  restored: string[];
  /** Items that no longer point at Porthole (the user changed them, or they were never changed): left as they are. */
  leftAsIs: string[];
  /** Items that are gone (a removed network service, a desktop whose tools are missing). */
  missing: string[];
  failed: { key: string; error: string }[];
}

export interface RepairResult extends RestoreResult {
  /** Whether a journal from an unfinished run was found. */
  repaired: boolean;
  /** The phase that run was in. */
  phase: Phase;
}

export interface SystemProxy {
  on(port: number, host?: string): Promise<SystemProxyStatus>;
  off(): Promise<RestoreResult>;
  status(): Promise<SystemProxyStatus>;
  /** Call on every start: restores what a crashed or killed run left pointing at Porthole. */
  repairOnStartup(): Promise<RepairResult>;
}

const keyOf = (it: { backend: string; item: string }): string => `${it.backend}:${it.item}`;

/** The fields of one item that still hold Porthole's values, with the values they had before. */
export function fieldsToRestore(it: JournalItem, current: ItemState): ItemState {
  const out: ItemState = {};
  for (const [f, applied] of Object.entries(it.applied)) {
    const before = it.previous[f] ?? null;
    if (current[f] === applied && before !== current[f]) out[f] = before;
  }
  return out;
}

export function createSystemProxy(options: SystemProxyOptions): SystemProxy {
  const store = options.journal ?? fileJournal(journalPath(options.dataDir));
  const now = (): string => (options.now ? options.now() : new Date()).toISOString();
  let backendsP: Promise<ProxyBackend[]> | undefined;
  const backends = (): Promise<ProxyBackend[]> => (backendsP ??= options.backends ? Promise.resolve(options.backends) : selectBackends(options.host));

  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };

  const save = async (j: Journal, event: Parameters<typeof transition>[1]): Promise<void> => {
    const next = transition(j.phase, event);
    if (next === 'idle') throw new Error('unreachable');
    j.phase = next;
    j.updatedAt = now();
    await store.save(j);
  };

  async function restore(j: Journal): Promise<RestoreResult> {
    await save(j, 'begin-restore');
    const result: RestoreResult = { restored: [], leftAsIs: [], missing: [], failed: [] };
    const all = await backends();
    for (const name of [...new Set(j.items.map((i) => i.backend))]) {
      const items = j.items.filter((i) => i.backend === name);
      const b = all.find((x) => x.name === name);
      if (!b) {
        result.missing.push(...items.map(keyOf));
        continue;
      }
      let current: Record<string, ItemState>;
      try {
        current = await b.read();
      } catch (err) {
        result.failed.push(...items.map((i) => ({ key: keyOf(i), error: (err as Error).message })));
        continue;
      }
      let wrote = false;
      for (const it of items) {
        const cur = current[it.item];
        if (!cur) result.missing.push(keyOf(it));
        else if (!b.pointsAt(cur, j.target)) result.leftAsIs.push(keyOf(it));
        else {
          try {
            await b.write(it.item, fieldsToRestore(it, cur));
            wrote = true;
            result.restored.push(keyOf(it));
          } catch (err) {
            result.failed.push({ key: keyOf(it), error: (err as Error).message });
          }
        }
      }
      if (wrote) {
        try {
          await b.commit();
        } catch (err) {
          result.failed.push({ key: `${name}:commit`, error: (err as Error).message });
        }
      }
    }
    // Keep the journal while something could not be restored, so the next start tries again.
    if (result.failed.length === 0) {
      transition(j.phase, 'restored');
      await store.clear();
    }
    return result;
  }

  async function status(): Promise<SystemProxyStatus> {
    const j = await store.load();
    const all = await backends();
    const items: ItemStatus[] = [];
    for (const b of all) {
      for (const [item, current] of Object.entries(await b.read())) {
        items.push({ backend: b.name, item, current, pointsAtPorthole: j ? b.pointsAt(current, j.target) : b.isPorthole(current) });
      }
    }
    return { phase: j?.phase ?? 'idle', ...(j ? { target: j.target } : {}), backends: all.map((b) => b.name), items };
  }

  async function on(port: number, host = '127.0.0.1'): Promise<SystemProxyStatus> {
    const target = proxyTarget(port, host);
    const existing = await store.load();
    if (existing) {
      if (existing.phase === 'applied' && existing.target.pacUrl === target.pacUrl) return status();
      const r = await restore(existing);
      if (r.failed.length > 0) throw new PortholeError('system-proxy', `could not undo the earlier system proxy change: ${r.failed.map((f) => f.error).join('; ')}`);
    }
    const all = await backends();
    if (all.length === 0) {
      throw new PortholeError('system-proxy', 'found no system proxy settings that Porthole can change here (Linux: GNOME gsettings or KDE kwriteconfig5/6)');
    }
    const items: JournalItem[] = [];
    for (const b of all) {
      for (const [item, state] of Object.entries(await b.read())) {
        items.push({ backend: b.name, item, previous: b.isPorthole(state) ? b.neutral(item) : state, applied: b.target(item, target) });
      }
    }
    if (items.length === 0) throw new PortholeError('system-proxy', 'found no enabled network service to set a proxy for');

    const journal: Journal = { version: 1, phase: 'intent', target, createdAt: now(), updatedAt: now(), items };
    transition('idle', 'journal-intent');
    await store.save(journal); // the intent and the previous settings are durable before anything changes
    try {
      for (const it of items) await (all.find((b) => b.name === it.backend) as ProxyBackend).write(it.item, it.applied);
      for (const b of all) await b.commit();
    } catch (err) {
      // Stryker disable next-line ObjectLiteral,StringLiteral: only how many undo steps failed is read from this stand-in, never what is in it.
      const undo = await restore(journal).catch((e: unknown) => ({ failed: [{ key: '*', error: (e as Error).message }] }));
      const note = undo.failed.length > 0 ? ' (undo incomplete: it is retried on the next start)' : '';
      throw new PortholeError('system-proxy', `could not set the system proxy: ${(err as Error).message}${note}`, { cause: err });
    }
    await save(journal, 'applied');
    return status();
  }

  return {
    on: (port, host) => serial(() => on(port, host)),
    off: () =>
      serial(async () => {
        const j = await store.load();
        return j ? restore(j) : { restored: [], leftAsIs: [], missing: [], failed: [] };
      }),
    status: () => serial(status),
    repairOnStartup: () =>
      serial(async () => {
        const j = await store.load();
        if (!j) return { repaired: false, phase: 'idle' as Phase, restored: [], leftAsIs: [], missing: [], failed: [] };
        const phase = j.phase;
        return { repaired: true, phase, ...(await restore(j)) };
      }),
  };
}
