/**
 * Headless Chromium for end-to-end tests: Debian's /usr/bin/chromium driven
 * by playwright-core (no browser download). Tests skip with a message when
 * the binary is absent (install: apt-get install -y chromium).
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Launches Chromium, or skips the suite (with a message) when it is not installed. */
export async function launchOrSkip(ctx: Mocha.Context): Promise<Browser> {
  if (!hasChromium()) {
    console.log(`      (skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium")`);
    ctx.skip();
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
