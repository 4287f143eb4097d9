/**
 * Stylesheet timing and output check: runs every per-document entry stylesheet
 * (meta, html, text, print) over each XML file of the given corpora, writes
 * every result (principal, secondary results, messages) under <outdir> and
 * prints the CPU time spent per stylesheet. Run it before and after a change to
 * xslt/ and compare with `diff -r`: optimisations must not change any output.
 *
 *   node --import tsx bench/xslt-check.ts <outdir> <corpus-dir>…
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseXml, transform } from '../src/xslt/run.js';

const SHEETS = ['meta/meta.xsl', 'html/html.xsl', 'text/text.xsl', 'print/print-html.xsl', 'print/latex.xsl'];

async function xmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) out.push(...(await xmlFiles(full)));
    else if (e.name.endsWith('.xml')) out.push(full);
  }
  return out.sort();
}

const [outDir, ...corpora] = process.argv.slice(2);
if (!outDir || !corpora.length) {
  process.stderr.write('usage: node --import tsx bench/xslt-check.ts <outdir> <corpus-dir>…\n');
  process.exit(2);
}
// Compile and load every stylesheet first: only running them is timed (CPU time, so other load on the machine counts less).
for (const sheet of SHEETS) await transform(sheet, await parseXml('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>'), {}).catch(() => undefined);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times: Record<string, number> = { parse: 0 };
let docs = 0;
for (const corpus of corpora) {
  for (const file of await xmlFiles(corpus)) {
    const text = await readFile(file, 'utf8');
    if (text.includes('<!DOCTYPE') || text.includes('<!ENTITY')) continue; // the load stage would expand these first
    const rel = path.join(path.basename(corpus), path.relative(corpus, file));
    let t0 = cpu();
    let doc: unknown;
    try {
      doc = await parseXml(text, 'file:///corpus/' + rel);
    } catch {
      continue;
    }
    times.parse! += cpu() - t0;
    docs++;
    for (const sheet of SHEETS) {
      t0 = cpu();
      let result: string;
      try {
        const r = await transform(sheet, doc, { 'edition-title': 'Check', lang: 'en' });
        result = [r.principal, ...Object.entries(r.results).map(([k, v]) => `--- ${k}\n${v}`), '--- messages', ...r.messages.map((m) => JSON.stringify(m))].join('\n');
      } catch (error) {
        const e = error as { code?: string; message?: string };
        result = `ERROR ${e.code ?? ''} ${e.message ?? String(error)}`;
      }
      times[sheet] = (times[sheet] ?? 0) + cpu() - t0;
      const target = path.join(outDir, rel + '.' + sheet.replace(/[/.]/g, '_'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, result);
    }
  }
}
process.stdout.write(`${docs} documents\n`);
for (const [k, v] of Object.entries(times)) process.stdout.write(`${k.padEnd(24)} ${Math.round(v).toString().padStart(8)} ms CPU  ${(v / docs).toFixed(1)} ms/doc\n`);
