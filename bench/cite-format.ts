/**
 * How long the formatted citations of one document take: the "Cite this"
 * panel's 7 styles + one Chicago note per paragraph (10 here) + the text
 * edition's "How to cite" line, for the seed letter's CSL record, as N
 * distinct documents (each iteration gets its own id and URL, so no cache
 * of a previous iteration answers). Prints ms per document, wall clock and
 * CPU time (steadier on a shared machine).
 *
 *   node --import=tsx bench/cite-format.ts [N=200]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cslRecord } from '../src/cite/csl.js';
import { formatCitation, type CiteStyle } from '../src/cite/format.js';
import { loadCorpus } from '../src/corpus.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.argv[2] ?? 200);
const PANEL: CiteStyle[] = ['chicago', 'chicago-short', 'chicago-bib', 'mla', 'apa', 'biblatex', 'ris'];

const corpus = await loadCorpus(path.join(ROOT, 'tei'), { title: 'Bench edition', editors: ['Donggil Kim', 'William Stueck'], baseUrl: 'https://example.org/e/', version: '1.0' });
const doc = corpus.documents.find((d) => d.id === 'letter-1950-08-27')!;
const base = cslRecord(doc, { config: corpus.config, registry: corpus.registry });

function oneDocument(i: number): number {
  const id = `letter-${String(i).padStart(5, '0')}`;
  const item = { ...base, id, URL: `https://example.org/e/documents/${id}.html` };
  let chars = 0;
  for (const style of PANEL) chars += formatCitation(item, style, corpus.config).length;
  for (let n = 1; n <= 10; n++) chars += formatCitation(item, 'chicago', corpus.config, { id: `${id}-p${n}`, n }).length;
  chars += formatCitation(item, 'chicago', corpus.config).length; // text edition "How to cite" (memoised per build by citationFor; a second caller)
  return chars;
}

oneDocument(-1); // warm-up: loads citation-js, compiles the styles
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const [t0, c0] = [performance.now(), cpu()];
let chars = 0;
for (let i = 0; i < N; i++) chars += oneDocument(i);
const [ms, cpuMs] = [performance.now() - t0, cpu() - c0];
console.log(
  `${N} documents, ${PANEL.length} panel styles + 10 paragraph notes + 1 how-to-cite each: ` +
    `${(ms / N).toFixed(2)} ms per document (wall), ${(cpuMs / N).toFixed(2)} ms CPU per document (${chars} chars)`,
);
