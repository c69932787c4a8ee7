// Sharing servers from the app: one code for a relative (full and short forms, QR, SMS count),
// or a batch of codes for many people (each a different set of servers, spread evenly).
import QRCode from 'qrcode';
import type { BatchResult, ShareResult } from '../../../../shared/api.ts';
import { CODE_LINK_PREFIX } from '../../../../shared/code-format.ts';
import { smsCount } from '../../../../shared/code-bytes.ts';
import type { ParsedLink } from '../../../../shared/proxy-link.ts';
import { createCode } from '../../codes/codes.ts';
import { makeBatch } from '../../codes/batch.ts';
import { buildLedger, serverName } from '../../codes/ledger.ts';
import { batchCsv } from '../../codes/sheets.ts';
import { publisherIdFor, type SecretKey } from '../../crypto/ed25519.ts';

const WEEK = 7 * 86400_000;

export async function shareCode(key: SecretKey, links: ParsedLink[]): Promise<ShareResult> {
  const expires = new Date(Date.now() + WEEK);
  const code = createCode({ key, servers: links, expires });
  const shortCode = createCode({ key, servers: links, expires, short: true });
  const link = CODE_LINK_PREFIX + code;
  const shortLink = CODE_LINK_PREFIX + shortCode;
  const qr = (text: string): Promise<string> => QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2 });
  return {
    code, link, qrDataUrl: await qr(link), sms: smsCount(code, true),
    short: { code: shortCode, link: shortLink, qrDataUrl: await qr(shortLink), sms: smsCount(shortCode, true) },
  };
}

/** Throws BatchError (plain words) when the sets run out or the codes would not fit `maxSms`. */
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
