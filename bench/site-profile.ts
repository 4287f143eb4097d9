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

/** Runs fn twice; reports the second run's wall and CPU time (CPU is steadier on a shared machine). */
async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; cpu: number; value: T }> {
  await fn();
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const u = process.cpuUsage(c);
  return { ms: performance.now() - t, cpu: (u.user + u.system) / 1000, value };
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
  // The web format's edition-wide parts are replaced by one that only keeps the context
  // (a key of its own: made on every build, never carried over).
  let captured: BuildContext | undefined;
  const original = htmlFormat.corpusParts;
  htmlFormat.corpusParts = [{ name: 'profile', reads: ['documents'], key: () => `${Date.now()}`, files: (ctx) => ((captured = ctx), []) }];
  const t0 = performance.now();
  // The same output folder as the first build: unchanged documents' pages are carried over.
  const result = await build({ corpus, out, only: ['html', 'text'], validate: false });
  htmlFormat.corpusParts = original;
  const ctx = captured!;
  console.log(`\n${n} letters (${result.documents} documents; cached build without edition-wide html files ${Math.round(performance.now() - t0)} ms)`);
  console.log(`  ${'function'.padEnd(44)} ${'wall'.padStart(7)}    ${'CPU'.padStart(7)}`);
  const row = (name: string, r: { ms: number; cpu: number }, note = '') => {
    console.log(`  ${name.padEnd(44)} ${r.ms.toFixed(0).padStart(7)} ms ${r.cpu.toFixed(0).padStart(7)} ms  ${note}`);
  };
  const mod = references as Record<string, unknown>;
  const html = (d: BuildContext['documents'][number]) => d.outputs['html/html.xsl'] ?? '';
  if (typeof mod.documentPointers === 'function') {
    const pointers = mod.documentPointers as (html: string) => unknown[];
    const r = await time(() => ctx.documents.reduce((n, d) => n + pointers(html(d)).length, 0));
    row('register pointers, every document (cold)', r, `${r.value} pointers`);
  } else if (typeof mod.documentReferences === 'function') {
    const refs = mod.documentReferences as (c: BuildContext, id: string, html: string) => unknown[];
    const r = await time(() => ctx.documents.reduce((n, d) => n + refs(ctx, d.id, html(d)).length, 0));
    row('register references, every document (cold)', r, `${r.value} references`);
  }
  const refsFn = mod.references as (c: BuildContext) => Map<string, unknown[]>;
  const r = await time(() => refsFn(fresh(ctx)));
  row('references() on a new context', r, `${r.value.size} entries`);
  const c = fresh(ctx);
  row('home', await time(() => homePage(c)));
  for (const kind of registerKinds(c)) {
    const { file, title } = KIND_PAGES[kind];
    row(`register ${kind} (content, no shell)`, await time(() => registerContent(c, kind, file, title)));
  }
  const regs = await time(() => registerPages(c));
  row('register pages (all, with shell)', regs, `${regs.value.map((f) => f.content.length).reduce((a, b) => a + b, 0)} chars`);
  const chron = await time(() => chronologyPage(c));
  row('chronology', chron, `${chron.value.content.length} chars`);
  row('bibliography', await time(() => bibliographyPage(c)));
  const recs = await time(() => searchRecords(c));
  row('search records', recs, `${recs.value.length} records`);
  // Every shard indexed (no build-cache memo: the function's own cost), the list and the shards' size.
  const idx = await time(() => searchFiles({ ...c, memo: undefined }));
  const indexBytes = idx.value.reduce((n, f) => n + String(f.content).length, 0);
  row('search index (records + MiniSearch + JSON, all shards)', idx, `${(indexBytes / 1e6).toFixed(1)} MB in ${idx.value.length - 1} shards`);
  const all = await time(() => siteFiles(fresh(ctx)));
  row('siteFiles, new context', all, `${all.value.length} files`);
  console.log(`  rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  if (process.env.SITE_PROFILE_CLEAN === '1') {
    await rm(base, { recursive: true, force: true });
    await rm(buildCacheDir(corpus), { recursive: true, force: true });
  }
}

for (const n of sizes) await profile(n);
