/**
 * Renders the print edition's PDFs with one browser: document PDFs two pages
 * at a time, then the edition PDF alone (each page is closed when its PDF is
 * done, so memory stays bounded by the largest PDF). Each failure names the document
 * and the cause; a footnote that could not be set on the page of its call is
 * a warning; no Chromium is one line saying how to get it.
 */
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import createDebug from 'debug';
import { diagnostic } from '../diagnostics.js';
import type { BuildContext, BuiltDocument } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { chromiumPath, INSTALL_HINT, PdfRenderer, type RenderResult } from './render.js';

const debug = createDebug('tei-edition:print');
/** Document PDFs rendered at the same time (pages of one browser). */
const PDF_LANES = Math.min(2, cpus().length);

export interface PdfJob {
  path: string;
  /** The document, or undefined for the edition PDF. */
  doc?: BuiltDocument;
  title: string;
  html: () => Promise<string>;
}

function reportProblems(ctx: BuildContext, job: PdfJob, result: RenderResult): void {
  const displayOf = new Map(ctx.documents.map((d) => [d.id, d.displayPath]));
  for (const p of result.problems) {
    const sep = p.key.lastIndexOf(' ');
    const docId = p.key.slice(0, sep);
    const n = p.key.slice(sep + 1);
    const where =
      p.reason === 'missing' ? 'the note text was not placed on any page'
      : p.reason === 'not-floated' ? `the note text stayed in the running text (page ${p.notePage})`
      : `the call is on page ${p.callPage}, the note text on page ${p.notePage}`;
    ctx.report(
      diagnostic(`${job.path}: footnote ${n} could not be set at the foot of the page of its call: ${where}`, {
        file: displayOf.get(docId) ?? ctx.corpusDir, line: 1, column: 1, ruleId: 'print-footnote-placement', severity: 'warning',
      }),
    );
  }
  if (result.unresolved.length) {
    ctx.report(
      diagnostic(`${job.path}: ${result.unresolved.length} index entr${result.unresolved.length === 1 ? 'y has' : 'ies have'} no page number (mentions not laid out)`, {
        file: ctx.corpusDir, ruleId: 'print-index-unresolved', severity: 'warning',
      }),
    );
  }
}

export async function renderPdfs(ctx: BuildContext, jobs: PdfJob[], date: Date): Promise<OutputFile[]> {
  const executable = chromiumPath();
  if (!executable) {
    ctx.report(diagnostic(`PDF edition skipped: Chromium not found; ${INSTALL_HINT}`, { file: ctx.corpusDir, ruleId: 'print-no-chromium', severity: 'info' }));
    return [];
  }
  const renderer = new PdfRenderer(executable);
  const files: (OutputFile | undefined)[] = new Array(jobs.length);
  const one = async (i: number) => {
    const job = jobs[i]!;
    try {
      const started = performance.now();
      const html = await job.html();
      const id = createHash('sha256').update(html).digest('hex');
      const result = await renderer.render(html, { title: job.title, fixedDate: date, id });
      reportProblems(ctx, job, result);
      debug('%s: %d pages, %d notes, %d ms', job.path, result.pages, result.notes, Math.round(performance.now() - started));
      files[i] = { path: job.path, content: result.pdf, kind: 'pdf', ...(job.doc ? { doc: job.doc.id } : {}) };
    } catch (error) {
      const cause = (error as Error).message.split('\n')[0];
      ctx.report(
        diagnostic(`${job.path} not written: PDF of ${job.doc ? `document "${job.doc.id}"` : 'the edition'} failed: ${cause}`, {
          file: job.doc?.displayPath ?? ctx.corpusDir, line: job.doc ? 1 : undefined, ruleId: 'print-pdf-failed', cause: error,
        }),
      );
      // A crashed browser is relaunched for the next PDF.
      if (/closed|crash|disconnected/i.test(cause ?? '')) await renderer.close();
    }
  };
  try {
    // Documents: a few pages of the one browser at a time; then the edition alone (the largest).
    const single = jobs.map((j, i) => (j.doc ? i : -1)).filter((i) => i >= 0);
    let next = 0;
    const lanes = Math.max(1, Math.min(PDF_LANES, single.length));
    await Promise.all(Array.from({ length: lanes }, async () => {
      while (next < single.length) await one(single[next++]!);
    }));
    for (let i = 0; i < jobs.length; i++) if (!jobs[i]!.doc) await one(i);
  } finally {
    await renderer.close();
  }
  return files.filter((f): f is OutputFile => f !== undefined);
}
