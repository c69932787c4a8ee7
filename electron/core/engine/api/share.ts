// Sharing servers from the app: one code for a relative (full and short forms, QR, SMS count),
// or a batch of codes for many people (each a different set of servers, spread evenly).
import { PortholeError } from '../../../../shared/errors.ts';
import type { BatchResult, ShareResult } from '../../../../shared/api.ts';
import { codable } from '../../../../shared/code-servers.ts';
import { CODE_LINK_PREFIX } from '../../../../shared/code-format.ts';
import { smsCount } from '../../../../shared/code-bytes.ts';
import type { ParsedLink } from '../../../../shared/proxy-link.ts';
import { createCode } from '../../codes/codes.ts';
import { makeBatch } from '../../codes/batch.ts';
import { buildLedger, serverName } from '../../codes/ledger.ts';
import { batchCsv } from '../../codes/sheets.ts';
import { publisherIdFor, type SecretKey } from '../../crypto/ed25519.ts';
import type { CatalogServer } from '../../catalog/catalog.ts';

const WEEK = 7 * 86400_000;

function linkOf(server: CatalogServer): ParsedLink {
  const { id: _id, ...link } = server.entry;
  return link;
}

/** The links of one code: every server known (ApiError otherwise), at most 8, each fits a code. */
export function codeLinks(servers: readonly (CatalogServer | undefined)[]): ParsedLink[] {
  if (servers.some((s) => !s)) throw new PortholeError('not-found', 'no such server');
  if (servers.length > 8) throw new PortholeError('bad-request', 'a code carries at most 8 servers');
  const uncodable = servers.find((s) => !codable(s!.entry));
  if (uncodable) throw new PortholeError('bad-request', `${uncodable.entry.label ?? uncodable.entry.host} cannot go into a code (${uncodable.entry.protocol === 'unsupported' ? 'Porthole does not speak its protocol yet' : 'its TLS settings do not fit'}): share it as a link`);
  return servers.map((s) => linkOf(s!));
}

/** The links of a batch: every server known (ApiError otherwise); those that fit no code are left out. */
export function batchLinks(servers: readonly (CatalogServer | undefined)[]): ParsedLink[] {
  if (servers.some((s) => !s)) throw new PortholeError('not-found', 'no such server');
  return servers.filter((s) => codable(s!.entry)).map((s) => linkOf(s!));
}

export async function shareCode(key: SecretKey, links: ParsedLink[]): Promise<ShareResult> {
  const expires = new Date(Date.now() + WEEK);
  const code = createCode({ key, servers: links, expires });
  const shortCode = createCode({ key, servers: links, expires, short: true });
  const link = CODE_LINK_PREFIX + code;
  const shortLink = CODE_LINK_PREFIX + shortCode;
  const { default: QRCode } = await import('qrcode'); // loaded on first use: only sharing needs it
  const qr = (text: string): Promise<string> => QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2 });
  return {
    code, link, qrDataUrl: await qr(link), sms: smsCount(code, true),
    short: { code: shortCode, link: shortLink, qrDataUrl: await qr(shortLink), sms: smsCount(shortCode, true) },
  };
}

/** Throws a PortholeError 'bad-batch' (plain words) when the sets run out or the codes would not fit `maxSms`. */
export function shareBatch(key: SecretKey, links: ParsedLink[], req: { count: number; perCode: number; short?: boolean }): BatchResult {
  const expires = new Date(Date.now() + WEEK);
  const codes = makeBatch({ key, servers: links, count: req.count, perCode: req.perCode, expires, short: Boolean(req.short), maxSms: 3 });
  const ledger = buildLedger(links, codes, publisherIdFor([key.publicKey], 1), expires);
  const uses = links.map((_, i) => codes.filter((c) => c.servers.includes(i)).length);
  return {
    codes: codes.map((c) => ({ number: c.number, code: c.code, servers: c.servers.map((i) => links[i]!.label ?? serverName(links[i]!)) })),
    csv: batchCsv(ledger),
    uses: { min: Math.min(...uses), max: Math.max(...uses) },
    sms: Math.max(...codes.map((c) => smsCount(c.code, true))),
  };
}
