/**
 * Builds an edition once per test run into a temporary folder and shares the
 * result between test files (the seed edition is built once for web.test.ts
 * and e2e.test.ts). Only the web (and text) formats, without the validation
 * stage, to keep the tests quick.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type BuildResult } from '../../src/pipeline.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEED_CORPUS = path.join(REPO_ROOT, 'tei');
export const SCHNITZLER_CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpora', 'schnitzler-briefe');

const builds = new Map<string, Promise<BuildResult>>();
const folders: string[] = [];

export function buildEdition(name: string, corpus: string, options: BuildOptions = {}): Promise<BuildResult> {
  let b = builds.get(name);
  if (!b) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `tei-edition-${name}-`));
    folders.push(out);
    b = build({ only: ['html', 'text'], validate: false, ...options, corpus, out });
    builds.set(name, b);
  }
  return b;
}

/** The seed edition (web, text, and the citations its pages show), with its introduction configured. */
export function buildSeed(): Promise<BuildResult> {
  return buildEdition('seed', SEED_CORPUS, { only: ['html', 'text', 'cite'], config: { introduction: 'intro' } as BuildOptions['config'] });
}

export function buildSchnitzler(): Promise<BuildResult> {
  return buildEdition('schnitzler', SCHNITZLER_CORPUS, { jobs: 2 });
}

export const hasSchnitzler = () => fs.existsSync(path.join(SCHNITZLER_CORPUS, 'letters'));

/** Removes the temporary builds when the process exits. */
process.once('exit', () => {
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});
