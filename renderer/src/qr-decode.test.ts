import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeQrPixels } from './qr-decode.ts';

/** Draws a QR code as RGBA pixels (dark on light, quiet zone, `scale` pixels per module). */
function render(text: string, scale = 4, invert = false): { data: Uint8ClampedArray; size: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const size = (n + 8) * scale;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - 4;
      const my = Math.floor(y / scale) - 4;
      const dark = mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx) === 1;
      const v = dark !== invert ? 0 : 255;
      data.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  return { data, size };
}

describe('QR decoding', () => {
  it('reads a porthole:// link from a picture of its QR code', () => {
    const link = 'porthole://import?c=PH1-7QRT-M2XD-K4ZA';
    const { data, size } = render(link);
    expect(decodeQrPixels(data, size, size)).toBe(link);
  });

  it('reads an inverted (light on dark) code, as phones in dark mode show them', () => {
    const { data, size } = render('PH1-NEW1-GULN-ARA1', 3, true);
    expect(decodeQrPixels(data, size, size)).toBe('PH1-NEW1-GULN-ARA1');
  });

  it('returns null for a picture without a code', () => {
    const size = 64;
    const data = new Uint8ClampedArray(size * size * 4).fill(200);
    expect(decodeQrPixels(data, size, size)).toBeNull();
  });
});
