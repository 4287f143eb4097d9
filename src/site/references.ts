/**
 * Where the edition's documents refer to a register entry. Read from the
 * web rendering itself (the stylesheet's `data-ref` on names and bibls,
 * `data-target` on ref/ptr — what rehype's resolve-refs turns into links),
 * so that the register pages list exactly the entries the pages link to:
 * every listed entry links back to at least one occurrence, and every link
 * into a register has its target. Each reference knows its passage (¶) or
 * note, or that it stands in the document's metadata header.
 *
 * Two steps, so that the expensive one can be kept per document:
 * - `documentPointers(html)` / `pointersFromTree(tree)`: the places in ONE
 *   document's rendering that point somewhere, with their passage and words.
 *   A pure function of that document's web rendering (no registry, no other
 *   document), so a build may compute it once per document version (e.g. in
 *   the worker, or with `collectPointers` while the page is made) and keep it.
 * - `resolvePointers(registry, docId, pointers)`: which of them name a
 *   register entry. Cheap (map lookups), and depends on the corpus, so it is
 *   done for every document in every build.
 */
import type { Element, Root } from 'hast';
import { parseFragment } from 'parse5';
import { visitParents } from 'unist-util-visit-parents';
import type { BuildContext, BuiltDocument } from '../formats/types.js';
import { DocumentUnion } from '../formats/union.js';
import type { RegisterEntry } from '../model.js';
import type { Registry } from '../stages/index.js';

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

/** An element of a document's rendering that points somewhere (before resolution). */
export interface DocumentPointer {
  /** Its `data-ref` tokens, then its `data-target` tokens, as written. */
  pointers: string[];
  passage: string;
  form: string;
  where: Reference['where'];
}

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

/** What the stylesheet adds inside the words of a name: the arrows of nested names' links, note calls. */
const NOT_WORDS = ['ref-link', 'noteref'];
const notWords = (cls: string[]) => cls.some((c) => NOT_WORDS.includes(c));

/** The words of an element: its text without the arrows of the reference links and the note calls inside it. */
function words(e: Element): string {
  let s = '';
  for (const c of e.children) {
    if (c.type === 'text') s += c.value;
    else if (c.type === 'element' && !notWords(classes(c))) s += words(c);
  }
  return s;
}

/** Pointers in a parsed rendering (the stylesheet's output before resolve-refs changes it), in document order. */
export function pointersFromTree(tree: Root): DocumentPointer[] {
  const out: DocumentPointer[] = [];
  visitParents(tree, 'element', (node: Element, ancestors) => {
    const p = node.properties;
    if (p.dataRef === undefined && p.dataTarget === undefined) return;
    const pointers = [...String(p.dataRef ?? '').split(/\s+/), ...String(p.dataTarget ?? '').split(/\s+/)].filter(Boolean);
    if (!pointers.length) return;
    // A name holding other names gets its reference as a small arrow link after it (html.xsl te:name):
    // its words are those of the name before the arrow, not the arrow's "→ (register entry)".
    let named: Element = node;
    if (classes(node).includes('ref-link')) {
      const siblings = (ancestors.at(-1) as Root | Element).children;
      const before = siblings.slice(0, siblings.indexOf(node)).reverse().find((c): c is Element => c.type === 'element');
      if (before && classes(before).includes('has-ref-link')) named = before;
    }
    out.push({ pointers, form: words(named).replace(/\s+/g, ' ').trim(), ...placeOf(ancestors as (Root | Element)[]) });
  });
  return out;
}

/** parse5's nodes, as far as they are read here (the default tree adapter). */
interface P5Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: P5Node[];
}

const attr = (n: P5Node, name: string): string | undefined => n.attrs?.find((a) => a.name === name)?.value;
const p5Classes = (n: P5Node): string[] => (attr(n, 'class') ?? '').split(/[ \t\n\r\f]+/);

/** Text of the text descendants, in order (comments and template content excluded), without what `words` leaves out. */
function p5Text(n: P5Node): string {
  if (n.nodeName === '#text') return n.value ?? '';
  let s = '';
  for (const c of n.childNodes ?? []) {
    if (c.tagName === undefined || !notWords(p5Classes(c))) s += p5Text(c);
  }
  return s;
}

/**
 * Pointers in one document's web rendering (html/html.xsl's output). The same
 * as `pointersFromTree` over rehype-parse's tree (the same parser, parse5, in
 * fragment mode), read from parse5's own nodes without source positions or a
 * hast conversion: about three times faster.
 */
export function documentPointers(html: string): DocumentPointer[] {
  const out: DocumentPointer[] = [];
  // Open elements from the fragment root: tag, classes, id.
  const stack: { tag: string; classes: string[]; id: string }[] = [];
  const place = (): { passage: string; where: Reference['where'] } => {
    let passage = '';
    let nearest = '';
    let heading = false;
    for (let i = stack.length - 1; i >= 0; i--) {
      const a = stack[i]!;
      if (a.classes.includes('doc-header')) return { passage: '', where: 'metadata' };
      if (/^h[1-6]$/.test(a.tag)) heading = true;
      if (a.id && !nearest) nearest = a.id;
      if (!passage && a.id && (a.classes.includes('passage') || (a.tag === 'li' && a.classes.includes('note')))) passage = a.id;
    }
    if (passage) return { passage, where: 'text' };
    return { passage: nearest, where: heading ? 'heading' : 'text' };
  };
  /** `before`: the element sibling before n (the name an arrow link refers to: see pointersFromTree). */
  const walk = (n: P5Node, before: P5Node | undefined): void => {
    if (n.tagName === undefined) return;
    const ref = attr(n, 'data-ref');
    const target = attr(n, 'data-target');
    if (ref !== undefined || target !== undefined) {
      const pointers = [...(ref ?? '').split(/\s+/), ...(target ?? '').split(/\s+/)].filter(Boolean);
      const named = before && p5Classes(n).includes('ref-link') && p5Classes(before).includes('has-ref-link') ? before : n;
      if (pointers.length) out.push({ pointers, form: p5Text(named).replace(/\s+/g, ' ').trim(), ...place() });
    }
    stack.push({ tag: n.tagName, classes: p5Classes(n), id: attr(n, 'id') ?? '' });
    children(n);
    stack.pop();
  };
  const children = (n: P5Node): void => {
    let before: P5Node | undefined;
    for (const c of n.childNodes ?? []) {
      walk(c, before);
      if (c.tagName !== undefined) before = c;
    }
  };
  children(parseFragment(html) as unknown as P5Node);
  return out;
}

/**
 * A rehype plugin for the pipeline that makes the page: hands the pointers of
 * the tree to `keep` (put it before resolve-refs, which removes the attributes),
 * so that the page's own parse serves `references` too.
 */
export function collectPointers(keep: (pointers: DocumentPointer[]) => void) {
  return (tree: Root) => {
    keep(pointersFromTree(tree));
  };
}

/** The register entries a document's pointers name, each once per pointing element. */
export function resolvePointers(registry: Registry, docId: string, pointers: DocumentPointer[]): { entry: string; ref: Reference }[] {
  const out: { entry: string; ref: Reference }[] = [];
  for (const { pointers: list, passage, form, where } of pointers) {
    const seen = new Set<string>();
    for (const ptr of list) {
      const r = registry.resolve(ptr, docId);
      if (r?.kind !== 'entry' || seen.has(r.entry.id)) continue;
      seen.add(r.entry.id);
      out.push({ entry: r.entry.id, ref: { doc: docId, form, passage, where } });
    }
  }
  return out;
}

/**
 * A document's resolved pointers, kept with its pointer list for the registry they were resolved in
 * (its resolution signature): after an edit, 10 000 letters' ~300 000 pointers are not resolved
 * again. The list is the same object from build to build of a watcher only while the document's
 * version (its cache key: its text, hence its own entries and ids) is the same.
 */
const resolvedOf = new WeakMap<DocumentPointer[], { docId: string; signature: string; refs: { entry: string; ref: Reference }[] }>();
function resolvedPointers(registry: Registry, docId: string, pointers: DocumentPointer[]): { entry: string; ref: Reference }[] {
  const signature = registry.resolutionSignature();
  const known = resolvedOf.get(pointers);
  if (known && known.docId === docId && known.signature === signature) return known.refs;
  const refs = resolvePointers(registry, docId, pointers);
  resolvedOf.set(pointers, { docId, signature, refs });
  return refs;
}

/** References in one document's web rendering. */
export function documentReferences(ctx: BuildContext, docId: string, html: string): { entry: string; ref: Reference }[] {
  return resolvePointers(ctx.registry, docId, documentPointers(html));
}

/**
 * Pointers per document version, kept between builds of one process (watch,
 * serve): keyed by the build cache's key of the document's transform result
 * (the pipeline's documents carry it as `key`; the rendering is a function of
 * it). Holds the documents of the latest build only.
 */
let kept = new Map<string, DocumentPointer[]>();

/** Remembers the pointers of a document version (for a pipeline that collects them while making the page). */
export function rememberPointers(key: string, pointers: DocumentPointer[]): void {
  kept.set(key, pointers);
}

const keyOf = (d: BuiltDocument): string | undefined => {
  const k = (d as BuiltDocument & { key?: unknown }).key;
  return typeof k === 'string' ? k : undefined;
};

/**
 * A document's pointers: those the pipeline attached to it (`pointers`, e.g.
 * computed in the worker next to the rendering and kept in the build cache),
 * else those kept for its version, else read from its rendering.
 */
function pointersOf(ctx: BuildContext, d: BuiltDocument, next?: Map<string, DocumentPointer[]>): DocumentPointer[] {
  const key = keyOf(d);
  // The web format's contribution (src/formats/html.ts), once the pipeline has rendered the documents.
  const contributed = (ctx.contribution?.('html', d.id) as { pointers?: unknown } | undefined)?.pointers;
  const attached = contributed ?? (d as BuiltDocument & { pointers?: unknown }).pointers;
  let list = Array.isArray(attached) ? (attached as DocumentPointer[]) : key === undefined ? undefined : kept.get(key);
  if (!list) list = documentPointers(d.outputs[HTML_OUTPUT] ?? '');
  if (key !== undefined) next?.set(key, list);
  return list;
}

const cache = new WeakMap<BuildContext, { docs: BuiltDocument[]; length: number; map: Map<string, Reference[]> }>();

/** Every reference to every register entry, in edition order. */
export function references(ctx: BuildContext): Map<string, Reference[]> {
  const known = cache.get(ctx);
  if (known && known.docs === ctx.documents && known.length === ctx.documents.length) return known.map;
  const map = new Map<string, Reference[]>();
  const next = new Map<string, DocumentPointer[]>();
  for (const d of ctx.documents) {
    for (const { entry, ref } of resolvedPointers(ctx.registry, d.id, pointersOf(ctx, d, next))) {
      let l = map.get(entry);
      if (!l) map.set(entry, (l = []));
      l.push(ref);
    }
  }
  // A single build of the pipeline keeps nothing: its documents' pointers come from their stored
  // contributions, read anew by each part, so kept lists would never be asked for again; with them
  // their resolved references (~100 MB at 10 000 letters) would live to the end of the build.
  kept = ctx.session === false ? new Map() : next;
  cache.set(ctx, { docs: ctx.documents, length: ctx.documents.length, map });
  return map;
}

/** The entries a document's resolved references name, once per list of references (a watcher keeps them). */
const entriesOfRefs = new WeakMap<{ entry: string }[], string[]>();

/**
 * The ids of every entry some document refers to, sorted: what decides which entries the register
 * pages and the search list (with the entries themselves). Cheaper than `references` when each
 * document's references are known; kept between a watcher's builds, and updated for the documents
 * changed since (a save: one).
 */
export function referencedIds(ctx: BuildContext): string[] {
  return referenced.of(ctx, (d) => ownEntries(ctx, d));
}

/** What referencedIds answers, with what it was made from (kept in a session). */
const referenced = new DocumentUnion();

/** The entries one document refers to, each once (the same list for the same resolved references). */
function ownEntries(ctx: BuildContext, d: BuiltDocument): string[] {
  const refs = resolvedPointers(ctx.registry, d.id, pointersOf(ctx, d));
  let own = entriesOfRefs.get(refs);
  if (!own) entriesOfRefs.set(refs, (own = [...new Set(refs.map((r) => r.entry))]));
  return own;
}

/** Register entries of one kind, sorted (Registry.byKind), made once for the registry's entries. */
export function entriesOfKind(registry: Registry, kind: RegisterEntry['kind']): RegisterEntry[] {
  return registry.entriesMemo(`kind ${kind}`, () => registry.byKind(kind));
}

/** Entries of one kind that the documents refer to (register pages list these). */
export function referencedEntries(ctx: BuildContext, kind: RegisterEntry['kind']): RegisterEntry[] {
  const refs = references(ctx);
  return entriesOfKind(ctx.registry, kind).filter((e) => refs.has(e.id));
}
