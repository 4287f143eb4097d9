/**
 * Lookups the edition-wide pages share: a document by id, its position in
 * edition order, and the ¶ number of a passage or the number of a note by id.
 * Built once per build context (and again only when `ctx.documents` is
 * replaced), so that a page costs O(n) in the documents, not O(n²).
 */
import type { BuildContext, BuiltDocument } from '../formats/types.js';
import type { DocMeta } from '../model.js';

export interface DocumentLookup {
  doc: BuiltDocument;
  /** Position in edition order (ctx.documents). */
  order: number;
}

const memo = new WeakMap<BuildContext, { docs: BuiltDocument[]; length: number; map: Map<string, DocumentLookup> }>();

/** Documents of the build by id (the first one of an id wins, like `Array.find`). */
export function documentsById(ctx: BuildContext): Map<string, DocumentLookup> {
  const known = memo.get(ctx);
  if (known && known.docs === ctx.documents && known.length === ctx.documents.length) return known.map;
  const map = new Map<string, DocumentLookup>();
  ctx.documents.forEach((doc, order) => {
    if (!map.has(doc.id)) map.set(doc.id, { doc, order });
  });
  memo.set(ctx, { docs: ctx.documents, length: ctx.documents.length, map });
  return map;
}

export const documentById = (ctx: BuildContext, id: string): BuiltDocument | undefined => documentsById(ctx).get(id)?.doc;

/** Numbers of a document's passages and notes by id (the first of an id wins), kept with the metadata object. */
const numbers = new WeakMap<DocMeta, { passages: Map<string, number>; notes: Map<string, number> }>();

export function numbersOf(meta: DocMeta): { passages: Map<string, number>; notes: Map<string, number> } {
  let n = numbers.get(meta);
  if (!n) {
    n = { passages: new Map(), notes: new Map() };
    for (const p of meta.passages) if (!n.passages.has(p.id)) n.passages.set(p.id, p.n);
    for (const x of meta.notes) if (!n.notes.has(x.id)) n.notes.set(x.id, x.n);
    numbers.set(meta, n);
  }
  return n;
}

/** Label of a place in a document: ¶ number of the passage, note number, or undefined. */
export function placeLabel(meta: DocMeta | undefined, id: string): string | undefined {
  if (!meta) return undefined;
  const n = numbersOf(meta);
  const p = n.passages.get(id);
  if (p !== undefined) return `¶${p}`;
  const x = n.notes.get(id);
  if (x !== undefined) return `n. ${x}`;
  return undefined;
}
