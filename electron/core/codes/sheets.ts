// Printable sheets for a batch of codes: one HTML page per printed page (A4 or Letter), each
// code as a QR of its porthole:// link (the `qrcode` package), its number and its text; and
// the CSV (number, code, servers, expiry) for mail merges and SMS gateways.
import { CODE_LINK_PREFIX } from '../../../shared/code-format.ts';
import type { Ledger } from './ledger.ts';

const PER_SHEET = 12;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function batchCsv(ledger: Ledger): string {
  const rows = [['number', 'code', 'servers', 'expires']];
  for (const c of ledger.codes) rows.push([String(c.number), c.code, c.servers.map((i) => ledger.servers[i]!.address).join(' '), ledger.expires]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The sheets' HTML pages, in order. */
export async function batchSheets(ledger: Ledger): Promise<string[]> {
  const { default: QRCode } = await import('qrcode'); // loaded on first use: the engine imports batchCsv only
  const pages: string[] = [];
  const total = Math.ceil(ledger.codes.length / PER_SHEET);
  for (let p = 0; p < total; p++) {
    const cells: string[] = [];
    for (const c of ledger.codes.slice(p * PER_SHEET, (p + 1) * PER_SHEET)) {
      const svg = await QRCode.toString(CODE_LINK_PREFIX + c.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      cells.push(`<figure><div class="qr">${svg}</div><figcaption><b>#${c.number}</b> <code>${esc(c.code)}</code></figcaption></figure>`);
    }
    pages.push(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Porthole codes — page ${p + 1} of ${total}</title>
<style>
@page { size: A4; margin: 10mm; }
body { font: 9pt sans-serif; margin: 0; }
header { display: flex; justify-content: space-between; margin-block-end: 3mm; }
main { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }
figure { margin: 0; border: 0.3mm dashed #888; padding: 2mm; break-inside: avoid; }
.qr svg { inline-size: 100%; block-size: auto; }
code { font-size: 6.5pt; word-break: break-all; }
</style></head>
<body><header><span>Porthole one-time codes — scan with the phone camera, or type the text into Porthole</span><span>expires ${esc(ledger.expires.slice(0, 16).replace('T', ' '))} UTC · page ${p + 1}/${total}</span></header>
<main>${cells.join('\n')}</main></body></html>
`);
  }
  return pages;
}
