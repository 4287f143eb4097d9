/**
 * Times the web edition's edition-wide pages one by one on a synthetic corpus
 * (bench/corpus.ts): home, each register page, chronology, bibliography,
 * search records and index, register references, and siteFiles as a whole.
 *
 *   node --import tsx bench/site-profile.ts 1000 3000
 *
 * The first run of a size generates the corpus in $TMPDIR/tei-edition-site-<n>
 * and builds it once (html and text, no validation) to fill the build cache;
 * later runs reuse both. The timed build is an incremental one with every
 * document cached, so only the edition-wide functions do work. Each function
 * runs twice on the captured context; the second (warm) time is reported.
 * SITE_PROFILE_CLEAN=1 removes the corpus and its cache at the end.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCacheDir } from '../src/cache.js';
import { htmlFormat } from '../src/formats/html.js';
import type { BuildContext } from '../src/formats/types.js';
import { build } from '../src/pipeline.js';
import { searchFiles } from '../src/search/index.js';
import { searchRecords } from '../src/search/records.js';
import { bibliographyPage } from '../src/site/bibliography.js';
import { chronologyPage } from '../src/site/chronology.js';
import { siteFiles } from '../src/site/corpus.js';
import { homePage } from '../src/site/home.js';
import * as references from '../src/site/references.js';
import { registerContent, registerKinds, registerPages } from '../src/site/registers.js';
import { KIND_PAGES } from '../src/stages/index.js';
import { generateCorpus } from './corpus.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizes.length) sizes.push(1000);

async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  await fn();
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** A fresh context object (per-context memoisation starts empty), same data. */
const fresh = (ctx: BuildContext): BuildContext => ({ ...ctx });

async function profile(n: number): Promise<void> {
  const base = path.join(tmpdir(), `tei-edition-site-${n}`);
  const corpus = path.join(base, 'corpus');
  const out = path.join(base, 'out');
  if (!existsSync(path.join(corpus, 'registers'))) {
    console.error(`${n}: generating and building once to fill the cache…`);
    await generateCorpus(corpus, n);
    await build({ corpus, out, only: ['html', 'text'], validate: false, quiet: true } as never);
  }
  let captured: BuildContext | undefined;
  const original = htmlFormat.corpus!;
  htmlFormat.corpus = (ctx) => {
    captured = ctx;
    return [];
  };
  const t0 = performance.now();
  const result = await build({ corpus, out: path.join(base, 'out-profile'), only: ['html', 'text'], validate: false });
  htmlFormat.corpus = original;
  const ctx = captured!;
  console.log(`\n${n} letters (${result.documents} documents; cached build without edition-wide html files ${Math.round(performance.now() - t0)} ms)`);
  const rows: [string, number, string][] = [];
  const row = (name: string, ms: number, note = '') => {
    rows.push([name, ms, note]);
    console.log(`  ${name.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${note}`);
  };
  const refsFn = (references as Record<string, unknown>).references as ((c: BuildContext) => Map<string, unknown[]>) | undefined;
  if (refsFn) {
    const r = await time(() => refsFn(fresh(ctx)));
    row('references (fresh context)', r.ms, `${r.value.size} entries`);
  }
  const c = fresh(ctx);
  row('home', (await time(() => homePage(c))).ms);
  for (const kind of registerKinds(c)) {
    const { file, title } = KIND_PAGES[kind];
    const r = await time(() => registerContent(c, kind, file, title));
    row(`register ${kind} (content, no shell)`, r.ms);
  }
  const regs = await time(() => registerPages(c));
  row('register pages (all, with shell)', regs.ms, `${regs.value.map((f) => f.content.length).reduce((a, b) => a + b, 0)} chars`);
  row('chronology', (await time(() => chronologyPage(c))).ms);
  row('bibliography', (await time(() => bibliographyPage(c))).ms);
  const recs = await time(() => searchRecords(c));
  row('search records', recs.ms, `${recs.value.length} records`);
  const idx = await time(() => searchFiles(c));
  row('search index (records + MiniSearch + JSON)', idx.ms, `${(String(idx.value[0]?.content ?? '').length / 1e6).toFixed(1)} MB`);
  const all = await time(() => siteFiles(fresh(ctx)));
  row('siteFiles, fresh context', all.ms, `${all.value.length} files`);
  console.log(`  rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  if (process.env.SITE_PROFILE_CLEAN === '1') {
    await rm(base, { recursive: true, force: true });
    await rm(buildCacheDir(corpus), { recursive: true, force: true });
  }
}

for (const n of sizes) await profile(n);
