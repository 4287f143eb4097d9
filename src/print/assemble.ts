/**
 * Print edition, paged-media HTML: each document's print stylesheet output is
 * parsed (rehype), its ids made unique in the edition, its name mentions
 * resolved against the registers; then the pages are put together — title
 * page, table of contents, documents, index of persons and places,
 * bibliography — as one hast tree, serialised with escaping.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { EditionConfig } from '../config.js';
import type { BuildContext, BuiltDocument } from '../formats/types.js';
import type { DocMeta, RegisterEntry } from '../model.js';
import { formatBibl } from '../site/bibliography.js';

export const PRINT_STYLESHEET = 'print/print-html.xsl';

export interface PrintDocument {
  doc: BuiltDocument;
  /** Anchor of the document's first page (its <article> id). */
  anchor: string;
  body: ElementContent[];
  /** Register entry id → anchor ids of its mentions in this document. */
  mentions: Map<string, string[]>;
  /** Note numbers in this document (for reports). */
  notes: number;
}

const INDEXED: RegisterEntry['kind'][] = ['person', 'place'];

/** Prefix that makes a document-local id unique in the edition. */
export const idPrefix = (docId: string) => `d-${docId}--`;

/** Parses one document's print HTML; prefixes ids, resolves mentions, marks notes. */
export function prepareDocument(doc: BuiltDocument, ctx: BuildContext): PrintDocument {
  const prefix = idPrefix(doc.id);
  const tree = unified().use(rehypeParse, { fragment: true }).parse(doc.outputs[PRINT_STYLESHEET] ?? '') as Root;
  const mentions = new Map<string, string[]>();
  let notes = 0;
  visit(tree, 'element', (node: Element) => {
    const p = node.properties;
    if (typeof p.id === 'string') p.id = prefix + p.id;
    const classes = Array.isArray(p.className) ? p.className.map(String) : [];
    if (p.dataN !== undefined && (classes.includes('note-call') || classes.includes('footnote'))) {
      p.dataFn = `${doc.id} ${String(p.dataN)}`;
      if (classes.includes('footnote')) notes++;
    }
    if (p.dataRef !== undefined) {
      const refs = String(p.dataRef).split(/\s+/).filter(Boolean);
      delete p.dataRef;
      for (const ref of refs) {
        const r = ctx.registry.resolve(ref, doc.id);
        if (r?.kind !== 'entry' || !INDEXED.includes(r.entry.kind) || typeof p.id !== 'string') continue;
        let list = mentions.get(r.entry.id);
        if (!list) mentions.set(r.entry.id, (list = []));
        if (!list.includes(p.id)) list.push(p.id);
        p.dataIx = p.id;
      }
    }
  });
  const body = tree.children.filter((c): c is ElementContent => c.type === 'element' || c.type === 'text');
  return { doc, anchor: `doc-${doc.id}`, body, mentions, notes };
}

/** A running head: the title, shortened at a word boundary. */
export function runningTitle(title: string, max = 70): string {
  if ([...title].length <= max) return title;
  const cut = [...title].slice(0, max).join('');
  const at = cut.lastIndexOf(' ');
  return (at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:.–—-]+$/u, '') + ' …';
}

function names(list: { name: string }[]): string {
  return list.map((a) => a.name).filter(Boolean).join('; ');
}

/** Metadata lines under a document's title, from what meta.xsl extracted (nothing invented). */
export function metaLines(meta: DocMeta): [string, string][] {
  const lines: [string, string][] = [];
  const label: Record<string, string> = { sent: 'From', received: 'To', transmitted: 'Transmitted by', delivered: 'Delivered to', forwarded: 'Forwarded', redirected: 'Redirected' };
  for (const a of meta.correspondence) {
    const who = names(a.persons);
    const where = names(a.places);
    if (!who && !where) continue;
    lines.push([label[a.type] ?? a.type, [who, where ? `(${where})` : ''].filter(Boolean).join(' ')]);
  }
  if (!meta.correspondence.length && meta.authors.length) lines.push([meta.authors.length > 1 ? 'Authors' : 'Author', names(meta.authors)]);
  if (meta.date && (meta.date.text || meta.date.value)) lines.push(['Date', meta.date.text || meta.date.value]);
  const s = meta.source;
  if (s.hasMs) {
    const shelf = s.idnos.find((i) => i.type === 'shelfmark')?.value ?? s.idnos.map((i) => (i.type ? `${i.type} ${i.value}` : i.value)).join(', ');
    const parts = [s.repository || s.institution, s.settlement, s.collection, shelf, s.locus].filter(Boolean);
    if (parts.length) lines.push(['Archival source', parts.join(', ')]);
  }
  for (const b of s.bibls) if (b.text) lines.push([/first/i.test(b.type) ? 'First published' : 'Source', b.text]);
  return lines;
}

export interface PageOptions {
  ctx: BuildContext;
  docs: PrintDocument[];
  /** Whole edition (TOC, index, bibliography) or one document. */
  edition: boolean;
  /** "How to cite" lines for the title page. */
  cite: string[];
  css: string;
}

function pageSizeRule(config: EditionConfig): string {
  return `@page { size: ${config.pageSize === 'Letter' ? 'letter' : 'A4'}; }`;
}

function titlePage(o: PageOptions): Element {
  const { config } = o.ctx;
  const single = !o.edition && o.docs.length === 1 ? o.docs[0]! : undefined;
  const licence = single?.doc.meta.licence.text ? single.doc.meta.licence : undefined;
  const imprint: ElementContent[] = [];
  const pub = [config.publisherPlace, config.publisher].filter(Boolean).join(': ');
  if (pub) imprint.push(h('p', pub));
  imprint.push(h('p', `Version ${config.version}`));
  imprint.push(h('h2', 'Licence'));
  imprint.push(h('p', [config.licence.label, ...(config.licence.url ? [' — ', h('a', { href: config.licence.url }, config.licence.url)] : [])]));
  if (licence) imprint.push(h('p', ['This document: ', licence.text, ...(licence.url ? [' — ', h('a', { href: licence.url }, licence.url)] : [])]));
  if (o.cite.length) imprint.push(h('h2', 'How to cite'), ...o.cite.map((l) => h('p.cite', l)));
  return h('section.title-page', { ariaLabel: 'Title page' }, [
    single
      ? h('p.edition-name', { dataEditionRunning: runningTitle(config.title, 55) }, config.title)
      : h('h1.edition-name', { dataEditionRunning: runningTitle(config.title, 55) }, config.title),
    ...(single ? [h('h1', single.doc.meta.title || single.doc.id)] : config.subtitle ? [h('p.subtitle', config.subtitle)] : []),
    ...(config.editors.length ? [h('p.editors', `Edited by ${config.editors.join(', ')}`)] : []),
    h('div.imprint', imprint),
  ]);
}

function toc(docs: PrintDocument[]): Element {
  return h('nav.toc.front', { ariaLabelledby: 'toc-heading', dataRunning: 'Contents' }, [
    h('h2#toc-heading', 'Contents'),
    h(
      'ol',
      docs.map((d) =>
        h('li', [
          h('a.toc-title', { href: `#${d.anchor}` }, d.doc.meta.title || d.doc.id),
          h('span.leader', { ariaHidden: 'true' }),
          h('a.page', { href: `#${d.anchor}`, ariaLabel: 'page' }),
        ]),
      ),
    ),
  ]);
}

function documentSection(d: PrintDocument): Element {
  const title = d.doc.meta.title || d.doc.id;
  return h('article.document', { id: d.anchor, lang: d.doc.meta.lang || undefined }, [
    h('header', [
      h('h1.doc-title', { dataRunning: runningTitle(title) }, title),
      h('div.doc-meta', metaLines(d.doc.meta).map(([k, v]) => h('p', [h('span.label', k), ': ', v]))),
    ]),
    ...d.body,
  ]);
}

/** Index of one register kind: every entry mentioned, with the pages of its mentions. */
export function indexSection(ctx: BuildContext, docs: PrintDocument[], kind: RegisterEntry['kind'], title: string): Element | undefined {
  const entries = ctx.registry.byKind(kind).flatMap((e) => {
    const anchors = docs.flatMap((d) => d.mentions.get(e.id) ?? []);
    return anchors.length ? [{ e, anchors }] : [];
  });
  if (!entries.length) return undefined;
  return h(`section.back-matter.index.index-${kind}`, { id: `index-${kind}`, ariaLabelledby: `index-${kind}-heading`, dataRunning: title }, [
    h('h2', { id: `index-${kind}-heading` }, title),
    h(
      'div.entries',
      entries.map(({ e, anchors }) =>
        h('p.entry', { dataEntry: e.id }, [h('span.ix-label', e.label), ', ', h('span.ix-pages', { dataTargets: anchors.join(' ') })]),
      ),
    ),
  ]);
}

function bibliographySection(ctx: BuildContext): Element | undefined {
  const entries = ctx.registry.byKind('bibl');
  if (!entries.length) return undefined;
  return h('section.back-matter.bibliography', { id: 'bibliography', ariaLabelledby: 'bibliography-heading', dataRunning: 'Bibliography' }, [
    h('h2#bibliography-heading', 'Bibliography'),
    h('div', entries.map((e) => h('p.entry', { dataEntry: e.id }, formatBibl(e.bibl, e.label)))),
  ]);
}

/** The complete paged-media HTML page. */
export function printPage(o: PageOptions): string {
  const { config } = o.ctx;
  const content: ElementContent[] = [titlePage(o)];
  if (o.edition) content.push(toc(o.docs));
  content.push(...o.docs.map(documentSection));
  if (o.edition) {
    for (const s of [
      indexSection(o.ctx, o.docs, 'person', 'Index of persons'),
      indexSection(o.ctx, o.docs, 'place', 'Index of places'),
      bibliographySection(o.ctx),
    ]) if (s) content.push(s);
  }
  const title = !o.edition && o.docs.length === 1 ? o.docs[0]!.doc.meta.title || o.docs[0]!.doc.id : config.title;
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: config.language }, [
        h('head', [
          h('meta', { charset: 'utf-8' }),
          h('title', title),
          h('style', o.css),
          h('style', pageSizeRule(config)),
        ]),
        h('body', content),
      ]),
    ],
  };
  return toHtml(tree, { allowDangerousHtml: false }) + '\n';
}
