/**
 * Print edition: PDF per document and for the whole edition (paged-media
 * HTML laid out by Paged.js in headless Chromium: footnotes at the page foot,
 * running heads, table of contents, ¶ numbers and original page breaks in
 * the margin, index of persons and places, bibliography), LaTeX sources,
 * and an EPUB 3 of the edition. Without Chromium every other output is still
 * written and one line says how to get the PDF.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { diagnostic } from '../diagnostics.js';
import type { OutputFile } from '../model.js';
import { PRINT_STYLESHEET, prepareDocument, printPage, type PrintDocument } from '../print/assemble.js';
import { documentCitation, editionCitation } from '../print/cite.js';
import { buildEpub } from '../print/epub.js';
import { LATEX_STYLESHEET, latexDocument, latexEdition } from '../print/latex.js';
import { renderPdfs } from '../print/pdfs.js';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import type { BuildContext, Format } from './types.js';

export const printPaths = {
  pdf: (id: string) => `print/${id}.pdf`,
  tex: (id: string) => `print/${id}.tex`,
  editionPdf: 'print/edition.pdf',
  editionTex: 'print/edition.tex',
  epub: 'print/edition.epub',
};

/**
 * The fixed date stamped into PDFs and the EPUB (never the clock):
 * $SOURCE_DATE_EPOCH, else the newest ISO publication date the TEI headers
 * give, else the newest modification time of the source files.
 */
export async function editionDate(ctx: BuildContext): Promise<Date> {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (process.env.SOURCE_DATE_EPOCH && Number.isFinite(epoch)) return new Date(epoch * 1000);
  const published = ctx.documents.map((d) => d.meta.pubDate).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort();
  if (published.length) return new Date(`${published.at(-1)}T00:00:00Z`);
  let newest = 0;
  for (const d of ctx.documents) newest = Math.max(newest, Math.floor((await stat(d.file)).mtimeMs / 1000) * 1000);
  return new Date(newest || Date.UTC(2000, 0, 1));
}

async function printCss(): Promise<string> {
  return readFile(path.join(PACKAGE_ROOT, 'assets', 'print', 'print.css'), 'utf8');
}

export const printFormat: Format = {
  name: 'print',
  stylesheets: [PRINT_STYLESHEET, LATEX_STYLESHEET],
  async document(doc, ctx): Promise<OutputFile[]> {
    const cite = await documentCitation(doc, ctx);
    return [{ path: printPaths.tex(doc.id), content: latexDocument(doc, ctx.config, cite), doc: doc.id, kind: 'latex' }];
  },
  async corpus(ctx): Promise<OutputFile[]> {
    const files: OutputFile[] = [];
    if (!ctx.documents.length) return files;
    const editionCite = editionCitation(ctx.config);
    const date = await editionDate(ctx);
    files.push({ path: printPaths.editionTex, content: latexEdition(ctx.documents, ctx.config, editionCite), kind: 'latex' });

    const prepared: PrintDocument[] = ctx.documents.map((d) => prepareDocument(d, ctx));
    try {
      files.push({ path: printPaths.epub, content: await buildEpub(ctx, prepared, { date, cite: editionCite }), kind: 'epub' });
    } catch (error) {
      ctx.report(diagnostic(`EPUB not written: ${(error as Error).message}`, { file: ctx.corpusDir, ruleId: 'print-epub-failed', cause: error }));
    }

    const css = await printCss();
    const jobs = [
      ...(await Promise.all(
        prepared.map(async (d) => ({
          path: printPaths.pdf(d.doc.id),
          doc: d.doc,
          title: d.doc.meta.title || d.doc.id,
          html: () => documentCitation(d.doc, ctx).then((cite) => printPage({ ctx, docs: [d], edition: false, cite, css })),
        })),
      )),
      { path: printPaths.editionPdf, doc: undefined, title: ctx.config.title, html: async () => printPage({ ctx, docs: prepared, edition: true, cite: editionCite, css }) },
    ];
    files.push(...(await renderPdfs(ctx, jobs, date)));
    return files;
  },
};
