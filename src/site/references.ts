/**
 * Where the edition's documents refer to a register entry. Read from the
 * web rendering itself (the stylesheet's `data-ref` on names and bibls,
 * `data-target` on ref/ptr — what rehype's resolve-refs turns into links),
 * so that the register pages list exactly the entries the pages link to:
 * every listed entry links back to at least one occurrence, and every link
 * into a register has its target. Each reference knows its passage (¶) or
 * note, or that it stands in the document's metadata header.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visitParents } from 'unist-util-visit-parents';
import type { BuildContext } from '../formats/types.js';
import type { RegisterEntry } from '../model.js';

/** The web stylesheet's principal output (see src/formats/html.ts). */
const HTML_OUTPUT = 'html/html.xsl';

export interface Reference {
  doc: string;
  /** Passage or note id, else the nearest element id (headings); '' = the document as a whole. */
  passage: string;
  /** The words in the document that refer to the entry. */
  form: string;
  where: 'text' | 'heading' | 'metadata';
}

const cache = new WeakMap<BuildContext, { docs: string; map: Map<string, Reference[]> }>();

const classes = (e: Element): string[] => {
  const c = e.properties.className;
  return Array.isArray(c) ? c.map(String) : c ? String(c).split(/\s+/) : [];
};

/** The passage, note, heading or header an element stands in, and the nearest id to link to. */
function placeOf(ancestors: (Root | Element)[]): { passage: string; where: Reference['where'] } {
  let passage = '';
  let nearest = '';
  let heading = false;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a.type !== 'element') continue;
    const cls = classes(a);
    if (cls.includes('doc-header')) return { passage: '', where: 'metadata' };
    if (/^h[1-6]$/.test(a.tagName)) heading = true;
    const id = typeof a.properties.id === 'string' ? a.properties.id : '';
    if (id && !nearest) nearest = id;
    if (!passage && id && (cls.includes('passage') || (a.tagName === 'li' && cls.includes('note')))) passage = id;
  }
  if (passage) return { passage, where: 'text' };
  return { passage: nearest, where: heading ? 'heading' : 'text' };
}

/** References in one document's web rendering. */
export function documentReferences(ctx: BuildContext, docId: string, html: string): { entry: string; ref: Reference }[] {
  const tree = unified().use(rehypeParse, { fragment: true }).parse(html) as Root;
  const out: { entry: string; ref: Reference }[] = [];
  visitParents(tree, 'element', (node: Element, ancestors) => {
    const p = node.properties;
    const pointers = [...String(p.dataRef ?? '').split(/\s+/), ...String(p.dataTarget ?? '').split(/\s+/)].filter(Boolean);
    if (!pointers.length) return;
    const place = placeOf(ancestors as (Root | Element)[]);
    const form = toString(node).replace(/\s+/g, ' ').trim();
    const seen = new Set<string>();
    for (const ptr of pointers) {
      const r = ctx.registry.resolve(ptr, docId);
      if (r?.kind !== 'entry' || seen.has(r.entry.id)) continue;
      seen.add(r.entry.id);
      out.push({ entry: r.entry.id, ref: { doc: docId, form, ...place } });
    }
  });
  return out;
}

/** Every reference to every register entry, in edition order. */
export function references(ctx: BuildContext): Map<string, Reference[]> {
  const docs = ctx.documents.map((d) => d.id).join('\n');
  const known = cache.get(ctx);
  if (known && known.docs === docs) return known.map;
  const map = new Map<string, Reference[]>();
  for (const d of ctx.documents) {
    for (const { entry, ref } of documentReferences(ctx, d.id, d.outputs[HTML_OUTPUT] ?? '')) {
      let l = map.get(entry);
      if (!l) map.set(entry, (l = []));
      l.push(ref);
    }
  }
  cache.set(ctx, { docs, map });
  return map;
}

/** Entries of one kind that the documents refer to (register pages list these). */
export function referencedEntries(ctx: BuildContext, kind: RegisterEntry['kind']): RegisterEntry[] {
  const refs = references(ctx);
  return ctx.registry.byKind(kind).filter((e) => refs.has(e.id));
}
