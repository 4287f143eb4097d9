/** Locations of the shared test material beside the clone (../shared); tests skip when it is absent. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = path.resolve(REPO, '..', 'shared');
export const SCHNITZLER = path.join(SHARED, 'corpora', 'schnitzler-briefe');
export const TEI_ALL = path.join(SHARED, 'schemas', 'tei_all.rng');
export const SEED_TEXT = path.join(SHARED, 'seed', '000_2f94f967ac8602dc.txt');

export function skipUnless(ctx: Mocha.Context, file: string, what: string): void {
  if (!existsSync(file)) {
    console.log(`      (skipped: ${what} not found at ${file}; it lives in ../shared beside the clone)`);
    ctx.skip();
  }
}
