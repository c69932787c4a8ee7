// `publish --in FILE.signed --out DIR` writes every channel's artifact from one signed list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { porthole } from '../helpers/cli.ts';
import { extractArmored } from '../../shared/armor.ts';
import { decodeQrPixels } from '../../renderer/src/qr-decode.ts';
import { decodePng } from '../browsers/helpers/png.ts';

/** The text of the QR code in a PNG, read by the app's own decoder (jsqr), as a scan would. */
function scanQr(png: Buffer): string | null {
  const img = decodePng(png);
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const [r, g, b] = img.pixel(x, y);
      rgba.set([r, g, b, 255], (y * img.width + x) * 4);
    }
  }
  return decodeQrPixels(rgba, img.width, img.height);
}

let dir: string;
const p = (...parts: string[]): string => join(dir, ...parts);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-publish-'));
  await writeFile(p('list.json'), JSON.stringify({ entries: [{ url: 'socks5://127.0.0.1:1080', label: 'A' }, { url: 'http://127.0.0.1:3128' }] }));
  await porthole(['keygen', '--out', p('key')]);
  await porthole(['sign', '--key', p('key', 'publisher.key'), '--in', p('list.json'), '--out', p('l.signed')]);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('publish --in --out', () => {
  it('writes the mirror file, the armored block, the DNS zone fragment and a QR PNG', async () => {
    const r = await porthole(['publish', '--in', p('l.signed'), '--out', p('out'), '--dns-name', 'kz.lists.example.org']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const signed = await readFile(p('l.signed'));
    expect(await readFile(p('out', 'list.signed'))).toEqual(signed);
    const blocks = extractArmored(await readFile(p('out', 'list.txt'), 'utf8'));
    expect(blocks).toEqual([{ kind: 'LIST', ok: true, bytes: new Uint8Array(signed) }]);
    const zone = await readFile(p('out', 'list.zone'), 'utf8');
    expect(zone).toMatch(/^kz\.lists\.example\.org\.\s+300 IN TXT "ph1 /m);
    const png = await readFile(p('out', 'list.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Scanned, the QR carries exactly the armored block, which is exactly the signed list.
    const scanned = scanQr(png);
    expect(scanned).not.toBeNull();
    expect(scanned!.trim()).toBe((await readFile(p('out', 'list.txt'), 'utf8')).trim());
    expect(extractArmored(scanned!)).toEqual([{ kind: 'LIST', ok: true, bytes: new Uint8Array(signed) }]);
    // and a client can import the armored artifact
    await porthole(['trust', 'add', p('key', 'publisher.pub'), '--data-dir', p('c')]);
    expect((await porthole(['import', p('out', 'list.txt'), '--data-dir', p('c')])).stdout).toMatch(/added list v1/);
  }, 60_000); // four CLI runs and a QR scan of a whole list, on 2 shared cores

  it('fetch takes --channel and stores what verifies', async () => {
    await porthole(['trust', 'add', p('key', 'publisher.pub'), '--data-dir', p('c2')]);
    const r = await porthole(['fetch', '--channel', `file:${p('out')}`, '--only', '--data-dir', p('c2')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok\s+file:.*\n\s+added list v1/m);
  });
});
