/**
 * Deterministic PDF metadata: Chromium stamps the current time and a random
 * document id into every PDF. pdf-lib rewrites the info dictionary (title,
 * producer, fixed creation/modification dates) and the trailer /ID (derived
 * from a caller-given stable key), so rebuilding gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// pdf-lib is required when a PDF is made: not loaded by every thread that loads the print format (the
// build's workers render web pages and texts through the same module graph; ~0.1 s each).
const require = createRequire(import.meta.url);

export interface PdfMeta {
  title: string;
  /** Used for CreationDate and ModDate. */
  fixedDate: Date;
  /** A stable key (e.g. a hash of the source HTML) the document /ID is derived from. */
  id: string;
}

export async function stabilisePdf(bytes: Uint8Array, meta: PdfMeta): Promise<Uint8Array> {
  const { PDFArray, PDFDocument, PDFHexString, PDFName } = require('pdf-lib') as typeof import('pdf-lib');
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  pdf.setProducer('tei-edition (Paged.js, Chromium, pdf-lib)');
  pdf.setCreator('tei-edition');
  pdf.setCreationDate(meta.fixedDate);
  pdf.setModificationDate(meta.fixedDate);
  const id = createHash('md5').update(meta.id).digest('hex');
  const ids = PDFArray.withContext(pdf.context);
  ids.push(PDFHexString.of(id));
  ids.push(PDFHexString.of(id));
  pdf.context.trailerInfo.ID = ids;
  // Chromium may add an XMP packet with its own dates; the info dictionary is the metadata we keep.
  pdf.catalog.delete(PDFName.of('Metadata'));
  return pdf.save({ useObjectStreams: false });
}
