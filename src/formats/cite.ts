/**
 * Citation format: per document `cite/<id>.{json,bib,bibtex.bib,ris}`, for
 * the edition `cite/edition.{json,bib,bibtex.bib,ris}`; and, through the
 * shared hooks, Highwire/Dublin Core meta tags and alternate links on each
 * web page, a "Cite this" panel with a citation per paragraph, and a "How to
 * cite" line in the plain-text edition. Everything comes from one CSL record
 * per document (src/cite/csl.ts).
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import { archiveName, cslRecord, editionRecord, type PassageRef } from '../cite/csl.js';
import { toBibLaTeX, toBibTeX, toCslJson, toRis, invertedName } from '../cite/exports.js';
import { CITE_STYLES, formatCitation, Memo, STYLE_LABELS, type CiteStyle } from '../cite/format.js';
import type { CslDate, CslItem, CslName } from '../cite/styles.js';
import { diagnostic } from '../diagnostics.js';
import type { OutputFile } from '../model.js';
import { rel } from '../site/paths.js';
import type { BuildContext, BuiltDocument, Format } from './types.js';

/** Exports of one document (or of the edition: stem "edition"), relative to the output root. */
export const citeFiles = (stem: string) => ({
  json: `cite/${stem}.json`,
  biblatex: `cite/${stem}.bib`,
  bibtex: `cite/${stem}.bibtex.bib`,
  ris: `cite/${stem}.ris`,
});

const EXPORTS: { key: keyof ReturnType<typeof citeFiles>; type: string; title: string; kind: string }[] = [
  { key: 'json', type: 'application/vnd.citationstyles.csl+json', title: 'CSL-JSON', kind: 'csl-json' },
  { key: 'biblatex', type: 'application/x-bibtex', title: 'BibLaTeX', kind: 'biblatex' },
  { key: 'bibtex', type: 'application/x-bibtex', title: 'BibTeX', kind: 'bibtex' },
  { key: 'ris', type: 'application/x-research-info-systems', title: 'RIS', kind: 'ris' },
];

/** Styles shown in the "Cite this" panel, in order. */
const PANEL_STYLES: CiteStyle[] = ['chicago', 'chicago-short', 'chicago-bib', 'mla', 'apa', 'biblatex', 'ris'];

/**
 * Per build, the CSL records and citations of the documents made last (a page, its citation files
 * and its text ask for the same ones). Not of all: a render worker's build context lives as long
 * as the build, and records and citations kept for every document grew its heap by ~11 KB a
 * document (~55 MB per worker by the end of a 10 000-letter build on 2 workers).
 */
const records = new WeakMap<BuildContext, Memo<CslItem>>();
const citations = new WeakMap<BuildContext, Memo<string>>();
/** Records of the last 256 documents; citations of roughly the last 50 (a page cites each paragraph in Chicago, itself in 7 styles). */
const RECORDS_KEPT = 256;
const CITATIONS_KEPT = 4096;

/** The document's CSL record (kept for the documents made last: see `records`). */
export function recordFor(doc: Pick<BuiltDocument, 'id' | 'meta'>, ctx: Pick<BuildContext, 'config' | 'registry'>): CslItem {
  let cache = records.get(ctx as BuildContext);
  if (!cache) records.set(ctx as BuildContext, (cache = new Memo(RECORDS_KEPT)));
  return cache.get(doc.id, () => cslRecord({ id: doc.id, meta: doc.meta }, { config: ctx.config, registry: ctx.registry }));
}

/** A citation of a document, or of one of its passages (by id or ¶ number), in a style. Used by web, text, print and the CLI. */
export function citationFor(
  doc: Pick<BuiltDocument, 'id' | 'meta'>,
  ctx: Pick<BuildContext, 'config' | 'registry'>,
  style: CiteStyle,
  passage?: PassageRef,
): string {
  const key = `${doc.id}\u0000${style}\u0000${passage ? `${passage.id}\u0000${passage.n}` : ''}`;
  let memo = citations.get(ctx as BuildContext);
  if (!memo) citations.set(ctx as BuildContext, (memo = new Memo(CITATIONS_KEPT)));
  return memo.get(key, () => formatCitation(recordFor(doc, ctx), style, ctx.config, passage));
}

const dateParts = (d: unknown) => ((d as CslDate | undefined)?.['date-parts']?.[0] ?? []).map(String);
const names = (v: unknown) => (v as CslName[] | undefined) ?? [];

/** Highwire Press tags (what Zotero's Embedded Metadata translator reads) and Dublin Core. */
function metaTags(item: CslItem): Element[] {
  const tags: [string, string][] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === 'string' && value) tags.push([name, value]);
  };
  add('citation_title', item.title);
  for (const a of names(item.author)) add('citation_author', invertedName(a));
  for (const e of names(item.editor)) add('citation_editor', invertedName(e));
  const date = dateParts(item.issued);
  if (date.length) {
    add('citation_date', date.map((p, i) => (i ? p.padStart(2, '0') : p)).join('/'));
    add('citation_publication_date', date.map((p, i) => (i ? p.padStart(2, '0') : p)).join('/'));
  }
  add('citation_inbook_title', item['container-title']);
  add('citation_publisher', item.publisher);
  add('citation_language', item.language);
  add('citation_public_url', item.URL);
  add('DC.title', item.title);
  for (const a of names(item.author)) add('DC.creator', invertedName(a));
  for (const t of names(item.translator)) add('DC.contributor', invertedName(t));
  if (date.length) add('DC.date', date.map((p, i) => (i ? p.padStart(2, '0') : p)).join('-'));
  add('DC.type', item.type === 'chapter' ? 'Text' : item.type);
  add('DC.source', [item.archive, item.archive_location, item['archive-place']].filter(Boolean).join(', '));
  add('DC.language', item.language);
  add('DC.publisher', item.publisher);
  add('DC.relation.isPartOf', item['container-title']);
  return tags.map(([name, content]) => h('meta', { name, content }));
}

function head(doc: BuiltDocument, ctx: BuildContext, pagePath: string): Element[] {
  const files = citeFiles(doc.id);
  return [
    ...metaTags(recordFor(doc, ctx)),
    ...EXPORTS.map((e) => h('link', { rel: 'alternate', type: e.type, href: rel(pagePath, files[e.key]), title: `Citation (${e.title})` })),
  ];
}

function aside(doc: BuiltDocument, ctx: BuildContext, pagePath: string): ElementContent[] {
  const item = recordFor(doc, ctx);
  const files = citeFiles(doc.id);
  const styles = PANEL_STYLES.flatMap((style) => {
    const id = `cite-${style}`;
    return [
      h('h3', { id: `${id}-label` }, STYLE_LABELS[style]),
      h('pre.citation', { id, ariaLabelledby: `${id}-label` }, citationFor(doc, ctx, style)),
      h('button', { type: 'button', dataCopy: id }, 'Copy'),
    ];
  });
  const { archive, full } = archiveName(doc.meta, ctx, doc.id);
  const abbreviation = item.archive && archive !== full && full
    ? [h('p.cite-abbreviations', [h('abbr', { title: full }, archive), ` = ${full}`])]
    : [];
  const passages = doc.meta.passages.map((p) =>
    h('li', [
      h('a', { href: `#${p.id}` }, `¶${p.n}`),
      ' ',
      h('span.citation', { dataCite: p.id, dataN: String(p.n) }, citationFor(doc, ctx, 'chicago', { id: p.id, n: p.n })),
    ]),
  );
  return [
    h('section.cite-this', { ariaLabelledby: 'cite-this' }, [
      h('h2', { id: 'cite-this' }, 'Cite this'),
      ...abbreviation,
      ...styles,
      h('p.cite-downloads', [
        'Download the citation: ',
        ...EXPORTS.flatMap((e, i) => [i ? ', ' : '', h('a', { href: rel(pagePath, files[e.key]), download: files[e.key].split('/').pop() }, e.title)]),
      ]),
      ...(passages.length
        ? [h('details.cite-passages', [h('summary', 'Cite a paragraph (¶)'), h('ol.cite-passage-list', passages)])]
        : []),
    ]),
  ];
}

function textHeader(doc: BuiltDocument, ctx: BuildContext): string[] {
  return [`How to cite: ${citationFor(doc, ctx, 'chicago')}`];
}

function exportsOf(stem: string, items: CslItem[], doc?: string): OutputFile[] {
  const files = citeFiles(stem);
  const content: Record<keyof typeof files, string> = {
    json: toCslJson(items), biblatex: toBibLaTeX(items), bibtex: toBibTeX(items), ris: toRis(items),
  };
  return EXPORTS.map((e) => ({ path: files[e.key], content: content[e.key], kind: e.kind, ...(doc ? { doc } : {}) }));
}

export const citeFormat: Format = {
  name: 'cite',
  pureDocument: true,
  setup(ctx) {
    ctx.hooks.documentHead.push((doc, pagePath) => head(doc, ctx, pagePath));
    ctx.hooks.documentAside.push((doc, pagePath) => aside(doc, ctx, pagePath));
    ctx.hooks.textHeader.push((doc) => textHeader(doc, ctx));
  },
  document(doc, ctx) {
    return exportsOf(doc.id, [recordFor(doc, ctx)], doc.id);
  },
  // citeproc's engines, one per style, made by citing a document in each.
  warmUp(ctx) {
    const doc = ctx.documents[0];
    if (doc) for (const style of CITE_STYLES) formatCitation(recordFor(doc, ctx), style, ctx.config);
  },
  // The edition's records come from the documents' headers (the corpus outline) alone.
  corpusParts: [{ name: 'edition', reads: [], files: (ctx) => editionFiles(ctx) }],
};

function editionFiles(ctx: BuildContext): OutputFile[] {
  // A document whose id is "edition" keeps its own files; the edition-wide files then take another stem.
  let stem = 'edition';
  while (ctx.documents.some((d) => d.id === stem)) stem = `_${stem}`;
  if (stem !== 'edition') {
    ctx.report(diagnostic(`a document has the id "edition"; the edition-wide citation files are named ${stem}.*`, { file: ctx.corpusDir, ruleId: 'cite-edition-stem', severity: 'warning' }));
  }
  return exportsOf(stem, [editionRecord(ctx.config), ...ctx.documents.map((d) => recordFor(d, ctx))]);
}
