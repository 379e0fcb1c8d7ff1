import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './workbench';
import { CHROMIUM } from './toolchain';

const MEDIA = resolve(__dirname, '..', '..', '..', 'media');

/** `npm run icon`: renders media/icon.svg to the 128×128 PNG the Marketplace requires. */
async function main(): Promise<void> {
  const svg = readFileSync(join(MEDIA, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: join(MEDIA, 'icon.png'), omitBackground: true });
    console.log(`wrote ${join(MEDIA, 'icon.png')}`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
