/**
 * Regenerates docs/screenshot-letter.png: builds the seed edition into a
 * temporary folder, serves it on 127.0.0.1 and photographs the letter's page
 * in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH) with a
 * note open. Run: npm run screenshot
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from '../src/pipeline.ts';
import { startStaticServer } from '../src/serve.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/helpers/browser.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs', 'screenshot-letter.png');

if (!fs.existsSync(CHROMIUM)) {
  process.stderr.write(`screenshot: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`);
  process.exit(2);
}
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tei-edition-screenshot-'));
try {
  const result = await build({ corpus: path.join(root, 'tei'), out, only: ['html', 'text', 'cite'], validate: false });
  if (result.failed) throw new Error(`${result.failed} documents did not build`);
  const server = await startStaticServer({ root: out, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(`${server.url}documents/letter-1950-08-27.html`);
    // The text from the reading options on, with the first note of the letter's text open.
    await page.locator('.reader-controls').evaluate((e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16));
    const call = page.locator('.tei-text a.noteref').first();
    if (await call.count()) {
      await call.focus();
      await page.keyboard.press('Enter');
      await page.locator('.note-popover').waitFor();
      await page.locator('.note-popover').evaluate((e) => (e as HTMLElement).blur());
    }
    // The pointer rests on ¶4, which shows its "cite" control in the margin.
    const p4 = page.locator('.tei-text .passage[data-n="4"]');
    if (await p4.count()) await p4.hover({ position: { x: 200, y: 8 } });
    else await page.mouse.move(0, 0);
    await page.screenshot({ path: target });
    process.stdout.write(`✓ wrote ${path.relative(process.cwd(), target)}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
