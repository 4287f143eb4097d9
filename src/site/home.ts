/**
 * Home page: edition title and editors, the introduction (config field
 * `introduction`: a document id), and all documents by date. Type and
 * correspondent facets are plain browse lists (details/summary) without
 * JavaScript; with it, the reader script turns the hidden filter form on and
 * filters the table rows by their data-facets tokens.
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { EditionConfig } from '../config.js';
import { withTexts, type BuildContext, type BuiltDocument } from '../formats/types.js';
import type { DocMeta, OutputFile } from '../model.js';
import { sortKey } from '../stages/index.js';
import { page } from './layout.js';
import { documentById } from './lookup.js';
import { docPage } from './paths.js';

/** Site options read from edition.config.json beyond the core config. */
export interface SiteConfig {
  /** Id of the document shown as the edition's introduction on the home page. */
  introduction?: string;
}

export function siteConfig(config: EditionConfig): SiteConfig {
  const c = config as EditionConfig & SiteConfig;
  return { introduction: typeof c.introduction === 'string' ? c.introduction : undefined };
}

export function documentType(meta: DocMeta): string {
  if (meta.correspondence.length || meta.textType === 'letter') return 'Letter';
  if (meta.textType) return meta.textType.charAt(0).toUpperCase() + meta.textType.slice(1);
  return 'Document';
}

export function dateLabel(meta: DocMeta): { iso: string; text: string } {
  const d = meta.date;
  if (!d) return { iso: '', text: 'undated' };
  const iso = d.when || d.value;
  return { iso: /^\d{4}(-\d{2}){0,2}$/.test(iso) ? iso : '', text: d.text || iso };
}

/** People a document is "by or to": correspondents, else authors (register label when the name resolves). */
export function correspondents(ctx: BuildContext, d: BuiltDocument): string[] {
  const agents = d.meta.correspondence.length ? d.meta.correspondence.flatMap((c) => c.persons) : d.meta.authors;
  const names = agents.map((a) => {
    const ref = a.ref.split(/\s+/).find(Boolean);
    const r = ref ? ctx.registry.resolve(ref, d.id) : undefined;
    return r?.kind === 'entry' ? r.entry.label : a.name;
  });
  return [...new Set(names.filter(Boolean))];
}

interface Facet { key: string; label: string; docs: BuiltDocument[] }

function facetValues(docs: BuiltDocument[], values: (d: BuiltDocument) => string[], prefix: string): Facet[] {
  const map = new Map<string, BuiltDocument[]>();
  for (const d of docs) {
    for (const v of values(d)) {
      let l = map.get(v);
      if (!l) map.set(v, (l = []));
      l.push(d);
    }
  }
  return [...map]
    .map(([label, list]) => ({ label, list, sort: sortKey(label) }))
    .sort((a, b) => a.sort.localeCompare(b.sort) || a.label.localeCompare(b.label))
    .map(({ label, list }, i) => ({ key: `${prefix}${i}`, label, docs: list }));
}

function browseList(title: string, name: string, facets: Facet[]): Element {
  return h('section.facet-browse', { ariaLabelledby: `browse-${name}` }, [
    h('h3', { id: `browse-${name}` }, title),
    h(
      'ul.facet-values',
      facets.map((f) =>
        h('li', [
          h('details', [
            h('summary', `${f.label} (${f.docs.length})`),
            h('ul', f.docs.map((d) => h('li', [h('a', { href: docPage(d.id) }, d.meta.title || d.id)]))),
          ]),
        ]),
      ),
    ),
  ]);
}

function filterSelect(label: string, name: string, facets: Facet[]): Element {
  return h('p.facet-filter', [
    h('label', { htmlFor: `filter-${name}` }, label),
    ' ',
    h('select', { id: `filter-${name}`, name, dataFacet: name }, [
      h('option', { value: '' }, 'All'),
      ...facets.map((f) => h('option', { value: f.key }, `${f.label} (${f.docs.length})`)),
    ]),
  ]);
}

/** The paragraphs of the introduction the home page shows (its first two with text). */
function introParagraphs(ctx: BuildContext): { d: BuiltDocument; paras: string[] } | undefined {
  const id = siteConfig(ctx.config).introduction;
  const d = id ? documentById(ctx, id) : undefined;
  return d ? { d, paras: withTexts(d).passages.filter((p) => p.text).slice(0, 2).map((p) => p.text) } : undefined;
}

/**
 * What the home page reads besides the corpus outline (titles, dates, types,
 * correspondents, register labels: all in the outline): the introduction's
 * paragraphs. An edit of other documents' words leaves the home page as it is.
 */
export function homeKey(ctx: BuildContext): string {
  return JSON.stringify(introParagraphs(ctx)?.paras ?? null);
}

function introduction(ctx: BuildContext): ElementContent[] {
  const intro = introParagraphs(ctx);
  if (!intro) return [];
  const { d, paras } = intro;
  return [
    h('section.introduction', { ariaLabelledby: 'introduction-heading' }, [
      h('h2#introduction-heading', 'Introduction'),
      ...paras.map((p) => h('p', p)),
      h('p', [h('a', { href: docPage(d.id) }, [`Read the introduction: ${d.meta.title || d.id}`])]),
    ]),
  ];
}

export function homePage(ctx: BuildContext): OutputFile {
  const path = 'index.html';
  const docs = ctx.documents;
  const types = facetValues(docs, (d) => [documentType(d.meta)], 't');
  const people = facetValues(docs, (d) => correspondents(ctx, d), 'c');
  // Facet keys of each document, in the order of the facets (types, then people).
  const keys = new Map<BuiltDocument, string[]>();
  for (const f of [...types, ...people]) {
    for (const d of new Set(f.docs)) {
      let l = keys.get(d);
      if (!l) keys.set(d, (l = []));
      l.push(f.key);
    }
  }
  const keysOf = (d: BuiltDocument) => keys.get(d) ?? [];
  const rows = docs.map((d) => {
    const date = dateLabel(d.meta);
    const sender = d.meta.correspondence.find((a) => a.type === 'sent')?.persons.map((p) => p.name).join('; ') ?? '';
    const recipient = d.meta.correspondence.find((a) => a.type === 'received')?.persons.map((p) => p.name).join('; ') ?? '';
    const authors = d.meta.authors.map((a) => a.name).join('; ');
    return h('tr', { dataFacets: keysOf(d).join(' ') }, [
      h('td', date.iso ? h('time', { dateTime: date.iso }, date.text) : date.text),
      h('td', [h('a', { href: docPage(d.id) }, d.meta.title || d.id)]),
      h('td', documentType(d.meta)),
      h('td', sender || recipient ? `${sender || '?'} → ${recipient || '?'}` : authors),
    ]);
  });
  const config = ctx.config;
  const content: ElementContent[] = [
    h('h1', config.title),
    ...(config.subtitle ? [h('p.subtitle', config.subtitle)] : []),
    ...(config.editors.length ? [h('p.editors', `Edited by ${config.editors.join(', ')}`)] : []),
    ...introduction(ctx),
    h('section.documents-section', { ariaLabelledby: 'documents-heading' }, [
      h('h2#documents-heading', `Documents (${docs.length})`),
      h('form.facet-filters', { hidden: true, ariaLabel: 'Filter the documents' }, [
        filterSelect('Type', 'type', types),
        filterSelect('Author or correspondent', 'person', people),
        h('p.filter-status', { role: 'status', ariaLive: 'polite' }),
      ]),
      h('table.documents', [
        h('caption.visually-hidden', 'All documents of the edition, by date'),
        h('thead', [h('tr', [h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Author / correspondents')])]),
        h('tbody', rows),
      ]),
    ]),
    h('section.browse', { ariaLabelledby: 'browse-heading' }, [
      h('h2#browse-heading', 'Browse'),
      browseList('By type', 'type', types),
      browseList('By author or correspondent', 'person', people),
    ]),
  ];
  return { path, content: page({ path, title: config.title, lang: config.language, config, content, current: 'index.html', bodyClass: 'home' }), kind: 'html' };
}
