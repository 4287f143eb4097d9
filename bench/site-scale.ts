/**
 * How the edition-wide web pages scale with the number of documents, without
 * building them: the documents of a built synthetic corpus (bench/site-profile.ts
 * makes and caches it) are cloned under new ids (L00001 → L00001x2 …, in their
 * metadata and their web rendering) until there are N, registered in a new
 * Registry, and each page function is timed (CPU) on that context.
 *
 *   node --import tsx bench/site-scale.ts 1000 3000 10000
 *
 * SITE_SCALE_BASE=1000 picks the corpus to clone (default 1000 letters, which
 * must have been built by bench/site-profile.ts).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { htmlFormat } from '../src/formats/html.js';
import type { BuildContext, BuiltDocument } from '../src/formats/types.js';
import type { DocMeta } from '../src/model.js';
import { build } from '../src/pipeline.js';
import { searchFiles } from '../src/search/index.js';
import { chronologyPage } from '../src/site/chronology.js';
import { homePage } from '../src/site/home.js';
import * as references from '../src/site/references.js';
import { registerPages } from '../src/site/registers.js';
import { Registry } from '../src/stages/index.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const baseSize = Number(process.env.SITE_SCALE_BASE ?? 1000);
const base = path.join(tmpdir(), `tei-edition-site-${baseSize}`);

// The web format's edition-wide parts are replaced by one that only keeps the context.
let captured: BuildContext | undefined;
htmlFormat.corpusParts = [{ name: 'scale', reads: ['documents'], key: () => `${Date.now()}`, files: (ctx) => ((captured = ctx), []) }];
await build({ corpus: path.join(base, 'corpus'), out: path.join(base, 'out'), only: ['html', 'text'], validate: false });
const source = captured!;
const HTML = 'html/html.xsl';
const originals = source.documents.map((d) => ({ id: d.id, file: d.file, meta: d.meta, html: d.outputs[HTML] ?? '' }));
const registerFiles = source.registry.registerFiles;

function context(n: number): BuildContext {
  const registry = new Registry();
  for (const r of registerFiles) registry.add(r);
  const docs: BuiltDocument[] = [];
  for (let i = 0; i < n; i++) {
    const o = originals[i % originals.length]!;
    const copy = Math.floor(i / originals.length);
    const id = copy ? `${o.id}x${copy + 1}` : o.id;
    const swap = (s: string) => (copy ? s.split(o.id).join(id) : s);
    const meta = JSON.parse(swap(JSON.stringify(o.meta))) as DocMeta;
    const file = path.join(path.dirname(o.file), `${id}.xml`);
    registry.add({ id, file, meta });
    docs.push({ id, file, displayPath: file, meta, outputs: { [HTML]: swap(o.html) }, results: {} });
  }
  registry.finish();
  const order = new Map(registry.documents.map((d, i) => [d.id, i]));
  docs.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { ...source, registry, documents: docs };
}

function cpu<T>(fn: () => T): { ms: number; value: T } {
  const c = process.cpuUsage();
  const value = fn();
  const u = process.cpuUsage(c);
  return { ms: (u.user + u.system) / 1000, value };
}

const mod = references as Record<string, unknown>;
for (const n of sizes) {
  const ctx = context(n);
  const row = (name: string, ms: number) => console.log(`  ${name.padEnd(30)} ${ms.toFixed(0).padStart(7)} ms CPU`);
  console.log(`\n${n} documents (clones of ${originals.length})`);
  row('references', cpu(() => (mod.references as (c: BuildContext) => unknown)(ctx)).ms);
  row('home', cpu(() => homePage(ctx)).ms);
  row('register pages', cpu(() => registerPages(ctx)).ms);
  row('chronology', cpu(() => chronologyPage(ctx)).ms);
  const c = process.cpuUsage();
  await searchFiles(ctx);
  const u = process.cpuUsage(c);
  row('search index', (u.user + u.system) / 1000);
  console.log(`  rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
}
