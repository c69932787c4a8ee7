// Reads the text of a QR code in a picture (a screenshot or a photo of a code someone sent).
import jsQRModule from 'jsqr';

type Decode = (data: Uint8ClampedArray, width: number, height: number, options?: { inversionAttempts?: 'attemptBoth' }) =>
  { data: string } | null;
// jsqr is CommonJS with an ES-style default in its types: accept either shape.
const interop = jsQRModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof interop === 'function' ? interop : interop.default;

/** Largest side the picture is scaled down to before decoding: enough for a QR, cheap to scan. */
const MAX_SIDE = 1600;

export function decodeQrPixels(data: Uint8ClampedArray, width: number, height: number): string | null {
  const found = jsQR(data, width, height, { inversionAttempts: 'attemptBoth' });
  return found && found.data ? found.data : null;
}

export async function decodeQrFromBlob(blob: Blob): Promise<string | null> {
  if (!blob.type.startsWith('image/')) return null;
  const bitmap = await createImageBitmap(blob);
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0, width, height);
    const pixels = ctx.getImageData(0, 0, width, height);
    return decodeQrPixels(pixels.data, width, height);
  } finally {
    bitmap.close();
  }
}
