// QR codes as PNG files, through the `qrcode` package.
import QRCode from 'qrcode';
import { writeFileAtomic } from '../core/fs/atomic.ts';

/** Writes a QR PNG of `text`; returns false when the text is too long for one QR code. */
export async function writeQrPng(file: string, text: string): Promise<boolean> {
  let png: Buffer;
  try {
    png = await QRCode.toBuffer(text, { errorCorrectionLevel: text.length > 1200 ? 'L' : 'M', margin: 2, scale: 6 });
  } catch (err) {
    if (/too big|amount of data/i.test((err as Error).message)) return false;
    throw err;
  }
  await writeFileAtomic(file, png);
  return true;
}
