import { dataDirOption, jsonOption, type Command } from '../command.ts';
import { printJson, table } from '../io.ts';
import { openClientFor } from '../client-dir.ts';
import { loadStoredLists } from '../../core/catalog/stored.ts';
import { EXPIRED_GRACE_DAYS, expiryStatus } from '../../core/lists/expiry.ts';
import { UserServerStore } from '../../core/catalog/user-servers.ts';
import type { Entry } from '../../../shared/entry.ts';
import { unsupportedReason } from '../../../shared/proxy-link.ts';

/** Entries kept but not usable yet, with the plain reason (never dialled). */
function notSpoken(entries: readonly Entry[]): { id: string; label: string; scheme: string; reason: string }[] {
  return entries.filter((e) => e.protocol === 'unsupported').map((e) => ({ id: e.id, label: e.label ?? e.host, scheme: e.scheme ?? 'unknown', reason: `needs ${unsupportedReason(e.scheme)}` }));
}

export const lists: Command = {
  name: 'lists',
  summary: 'show the stored lists and code servers',
  help: `Usage: porthole lists [--data-dir D] [--json]

Shows every stored list (publisher, version, expiry, entries), the servers added by codes and
your own servers (links and subscriptions you added). Servers that need a protocol Porthole
doesn't speak yet are listed with that reason: they are kept, never used.
An expired list or code keeps being used, with a warning and after fresh servers, for ${EXPIRED_GRACE_DAYS} days
(or until a newer list arrives); then it is dropped.`,
  options: { ...dataDirOption, ...jsonOption },
  async run(values, _pos, ctx) {
    const stores = await openClientFor(values, ctx);
    const { lists: all, problems, codes } = await loadStoredLists(stores);
    const own = (await new UserServerStore(stores.dataDir).load()).list();
    const now = Date.now();
    // One publisher ID everywhere (errors, \`trust list\`, \`probe\`, the app), with its name beside it.
    const names = new Map(stores.trust.list().map((p) => [p.publisher, p.label ?? p.root.name]));
    if (values.json) {
      printJson(ctx, {
        lists: all.map((l) => ({ publisher: l.publisher, name: l.payload.name, version: l.payload.version, issuedAt: l.payload.issuedAt, expires: l.payload.expires, expired: l.expired, ...(l.expired ? { usedUntil: expiryStatus(l.payload.expires, new Date(now)).dropAt } : {}), entries: l.payload.entries.length, unsupported: notSpoken(l.payload.entries) })),
        codes: codes.map((c) => ({ publisher: c.publisher, name: names.get(c.publisher) ?? null, importedAt: c.importedAt, expires: c.expires, expired: Date.parse(c.expires) <= now, ...(Date.parse(c.expires) <= now ? { usedUntil: expiryStatus(c.expires, new Date(now)).dropAt } : {}), servers: c.servers.length })),
        own: { servers: own.length, unsupported: notSpoken(own) },
        problems,
      });
      return;
    }
    for (const p of problems) ctx.stderr.write(`porthole: warning: ${p}\n`);
    if (all.length === 0 && codes.length === 0 && own.length === 0) {
      ctx.stdout.write('no lists stored yet: import a list or a code\n');
      return;
    }
    const rows = [['PUBLISHER ID', 'NAME', 'VERSION', 'EXPIRES', 'ENTRIES']];
    for (const l of all) {
      rows.push([l.publisher, l.payload.name ?? '-', `v${l.payload.version}`, `${l.payload.expires.slice(0, 10)}${l.expired ? ` (EXPIRED: still used until ${expiryStatus(l.payload.expires, new Date(now)).dropAt.slice(0, 10)}, unless a newer list arrives)` : ''}`, String(l.payload.entries.length)]);
    }
    for (const c of codes) {
      const expired = Date.parse(c.expires) <= now;
      rows.push([c.publisher, `${names.get(c.publisher) ?? '-'} (code, added ${c.importedAt.slice(0, 10)})`, '-', `${c.expires.slice(0, 16).replace('T', ' ')}${expired ? ` (EXPIRED: still used until ${expiryStatus(c.expires, new Date(now)).dropAt.slice(0, 10)})` : ''}`, String(c.servers.length)]);
    }
    if (own.length > 0) rows.push(['(you)', '(your own servers)', '-', '-', String(own.length)]);
    ctx.stdout.write(table(rows));
    const kept = [...all.flatMap((l) => notSpoken(l.payload.entries)), ...notSpoken(own)];
    if (kept.length > 0) {
      ctx.stdout.write(`\n${kept.length} kept but not used (a protocol Porthole doesn't speak yet):\n`);
      for (const k of kept) ctx.stdout.write(`  ${k.label} (${k.id}): ${k.reason}\n`);
    }
  },
};
