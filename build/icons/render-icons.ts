// Renders build/icons/icon.svg to the PNGs the installers use, with Debian's Chromium:
//   scripts/dev node build/icons/render-icons.ts
// icon.png (1024, macOS/Windows) and png/<size>x<size>.png (Linux hicolor sizes).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const dir = import.meta.dirname;
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
mkdirSync(join(dir, 'png'), { recursive: true });
try {
  for (const size of [1024, 512, 256, 128, 64, 48, 32, 16]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`);
    const out = size === 1024 ? join(dir, 'icon.png') : join(dir, 'png', `${size}x${size}.png`);
    await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
  }
} finally {
  await browser.close();
}
