/**
 * Bench: the print edition of the 295 Schnitzler letters — a PDF per letter
 * and the whole edition (Paged.js in headless Chromium), plus LaTeX and EPUB.
 * Prints the build time, the time of each PDF stage (from the
 * tei-edition:print debug log), the edition PDF's page count and the peak
 * memory of this process. Run: node --import=tsx bench/print.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import createDebug from 'debug';
import { build } from '../src/pipeline.js';
import { chromiumPath } from '../src/print/render.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(ROOT, '../shared/corpora/schnitzler-briefe');

if (!existsSync(path.join(CORPUS, 'letters'))) {
  console.log('bench/print: ../shared/corpora/schnitzler-briefe absent, skipped');
} else if (!chromiumPath()) {
  console.log('bench/print: Chromium not found (apt-get install chromium fonts-noto-core), skipped');
} else {
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-print-'));
  const timings: { path: string; pages: number; ms: number }[] = [];
  createDebug.enable('tei-edition:print');
  createDebug.log = (...args: unknown[]) => {
    const m = /(print\/\S+\.pdf): (\d+) pages, \d+ notes, (\d+) ms/.exec(String(args.join(' ')));
    if (m) timings.push({ path: m[1]!, pages: Number(m[2]), ms: Number(m[3]) });
  };
  try {
    const t = performance.now();
    const r = await build({ corpus: CORPUS, out, only: ['print'], validate: false });
    const total = performance.now() - t;
    const edition = timings.find((x) => x.path === 'print/edition.pdf');
    const docs = timings.filter((x) => x.path !== 'print/edition.pdf');
    const docMs = docs.reduce((a, x) => a + x.ms, 0);
    console.log(`documents: ${r.documents}, errors: ${r.errors}, warnings: ${r.warnings}`);
    for (const m of r.messages.filter((m) => String(m.ruleId).startsWith('print-')).slice(0, 10)) console.log(`  ${m.ruleId}: ${m.reason}`);
    console.log(`build (transform + LaTeX + EPUB + PDFs): ${(total / 1000).toFixed(1)} s`);
    console.log(`document PDFs: ${docs.length}, ${(docMs / 1000).toFixed(1)} s summed over lanes, mean ${(docMs / Math.max(1, docs.length)).toFixed(0)} ms`);
    if (edition) console.log(`edition PDF: ${edition.pages} pages in ${(edition.ms / 1000).toFixed(1)} s, ${(statSync(path.join(out, 'print', 'edition.pdf')).size / 1e6).toFixed(1)} MB`);
    else console.log('edition PDF: not written');
    try {
      console.log(execFileSync('pdfinfo', [path.join(out, 'print', 'edition.pdf')], { encoding: 'utf8' }).split('\n').filter((l) => /^Pages/.test(l)).join(''));
    } catch {
      // poppler-utils absent
    }
    console.log(`peak memory of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
