/**
 * Chronology (chronology.html): every document by its date and every dated
 * mention in the texts (DocMeta.dates: date/origDate with when, from/to,
 * notBefore/notAfter), sorted, grouped by year, each linked to its passage.
 * Only dates the encoding gives are used; nothing is inferred.
 */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import type { BuildContext } from '../formats/types.js';
import type { DocMeta, OutputFile } from '../model.js';
import { aroundSlot, fillPieces, fragment, page, slot } from './layout.js';
import { documentsById, numbersOf, placeLabel } from './lookup.js';
import { docPage, rel } from './paths.js';

type Child = ElementContent | string;

export const CHRONOLOGY_PAGE = 'chronology.html';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ISO = /^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** "1950-08-27" → "27 August 1950"; "1950-08" → "August 1950"; other values unchanged. */
export function isoLabel(iso: string): string {
  const m = ISO.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  const month = mo ? MONTHS[Number(mo) - 1] : undefined;
  if (mo && !month) return iso;
  return [d ? String(Number(d)) : '', month ?? '', y].filter(Boolean).join(' ');
}

export interface ChronologyItem {
  /** Sort key: the earliest ISO date of the item. */
  key: string;
  /** Human-readable normalised date (range with an en dash). */
  label: string;
  /** Machine-readable date for <time>, when it is a single ISO date. */
  iso: string;
  doc: string;
  passage: string;
  /** 'document' = the document's own date; 'mention' = a date in the text. */
  kind: 'document' | 'mention';
  /** The date as written (mentions). */
  form: string;
  cert: string;
  /** ¶ number of the passage the item stands in (orders items of one date within a document); 0 when none. */
  n: number;
  /** Where in the document: "¶3", "n. 2", or '' (elsewhere in the text, or the document itself). */
  place: string;
}

function range(from: string, to: string): string {
  if (from && to) return from === to ? isoLabel(from) : `${isoLabel(from)} – ${isoLabel(to)}`;
  if (from) return `from ${isoLabel(from)}`;
  if (to) return `until ${isoLabel(to)}`;
  return '';
}

function item(d: { value: string; when: string; from: string; to: string }): Pick<ChronologyItem, 'key' | 'label' | 'iso'> | undefined {
  if (d.when && ISO.test(d.when)) return { key: d.when, label: isoLabel(d.when), iso: d.when };
  const from = ISO.test(d.from) ? d.from : '';
  const to = ISO.test(d.to) ? d.to : '';
  if (from || to) return { key: from || to, label: range(from, to), iso: from && from === to ? from : '' };
  const [a = '', b = ''] = d.value.split('/');
  if (ISO.test(a) || ISO.test(b)) return item({ value: '', when: '', from: ISO.test(a) ? a : '', to: ISO.test(b) ? b : '' });
  return undefined;
}

/**
 * One document's contribution to the chronology, from its id and metadata
 * alone (no other document, no registry): its own date, then each distinct
 * dated mention in text order. Pure and deterministic, so a build can keep
 * it per document and recombine with `combineChronology`.
 */
export function documentChronology(id: string, meta: DocMeta): ChronologyItem[] {
  const out: ChronologyItem[] = [];
  const own = meta.date ? item(meta.date) : undefined;
  if (own) out.push({ ...own, doc: id, passage: '', kind: 'document', form: meta.date?.text ?? '', cert: meta.date?.cert ?? '', n: 0, place: '' });
  const numbers = numbersOf(meta);
  const seen = new Set<string>();
  for (const m of meta.dates) {
    const it = item(m);
    if (!it) continue;
    const k = `${it.key}|${it.label}|${m.passage}|${m.form}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ ...it, doc: id, passage: m.passage, kind: 'mention', form: m.form, cert: m.cert, n: numbers.passages.get(m.passage) ?? 0, place: placeLabel(meta, m.passage) ?? '' });
  }
  return out;
}

/**
 * The chronology from the documents' contributions, given in edition order:
 * by date, a document's own date before mentions of the same date, then
 * edition order, ¶ number and the form as written. O(m log m) in the items.
 */
export function combineChronology(contributions: ChronologyItem[][]): ChronologyItem[] {
  const rows = contributions.flatMap((items, order) => items.map((it) => ({ it, order })));
  // Keys are ISO dates (see `item`): compared by code unit, they sort as localeCompare sorts them, ~10× faster.
  rows.sort(
    (a, b) =>
      (a.it.key < b.it.key ? -1 : a.it.key > b.it.key ? 1 : 0) ||
      (a.it.kind === b.it.kind ? 0 : a.it.kind === 'document' ? -1 : 1) ||
      a.order - b.order ||
      a.it.n - b.it.n ||
      a.it.form.localeCompare(b.it.form),
  );
  return rows.map((r) => r.it);
}

/**
 * Each document's items, once per metadata object: a watcher keeps an unchanged document's between
 * builds. A single build keeps none (the metadata lives to the end of the build, and with it what
 * this map holds: ~40 MB of items at 10 000 letters).
 */
const itemsOf = new WeakMap<DocMeta, { id: string; items: ChronologyItem[] }>();

export function chronologyItems(ctx: BuildContext): ChronologyItem[] {
  return combineChronology(ctx.documents.map((d) => {
    if (ctx.session === false) return documentChronology(d.id, d.meta);
    let known = itemsOf.get(d.meta);
    if (known?.id !== d.id) itemsOf.set(d.meta, (known = { id: d.id, items: documentChronology(d.id, d.meta) }));
    return known.items;
  }));
}

/**
 * A row's HTML, kept with its item in a watcher's session: an item is the same object while its
 * document's metadata is (itemsOf), and its row reads nothing else (the title is its document's).
 */
const rowHtml = new WeakMap<ChronologyItem, string>();

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function chronologyPage(ctx: BuildContext): OutputFile {
  const path = CHRONOLOGY_PAGE;
  const items = chronologyItems(ctx);
  const years = new Map<string, ChronologyItem[]>();
  for (const it of items) {
    const y = ISO.exec(it.key)?.[1] ?? '';
    let l = years.get(y);
    if (!l) years.set(y, (l = []));
    l.push(it);
  }
  const docs = documentsById(ctx);
  const title = (id: string) => docs.get(id)?.doc.meta.title || id;
  const row = (it: ChronologyItem) => {
    const target = it.passage ? `${docPage(it.doc)}#${it.passage}` : docPage(it.doc);
    const what: Child[] =
      it.kind === 'document'
        ? [h('span.chron-kind', 'Document: '), h('a', { href: rel(path, target) }, title(it.doc))]
        : [h('q.chron-form', it.form), ' in ', h('a', { href: rel(path, target) }, `${title(it.doc)}${it.place ? `, ${it.place}` : ''}`)];
    return h(`tr.chron-${it.kind}`, [
      h('td.chron-date', [it.iso ? h('time', { dateTime: it.iso }, it.label) : it.label, ...(it.cert && it.cert !== 'high' ? [h('span.chron-cert', ` (certainty: ${it.cert})`)] : [])]),
      h('td', what),
    ]);
  };
  const content: ElementContent[] = [
    h('h1', 'Chronology'),
    h('p', `${count(items.filter((i) => i.kind === 'document').length, 'dated document')} and ${count(items.filter((i) => i.kind === 'mention').length, 'date')} mentioned in the texts, in time order. Each date links to the passage where it stands.`),
    ...(years.size > 1
      ? [h('nav.jump-list', { ariaLabel: 'Chronology: years' }, [h('ul', [...years.keys()].map((y) => h('li', [h('a', { href: `#year-${y}` }, y)])))])]
      : []),
    slot('years'),
  ];
  // Year by year, row by row, as the page is written (a slot each: see `fillPieces` in layout.ts):
  // thousands of letters' dates.
  function* yearSections(): Generator<string> {
    for (const [y, list] of years) {
      const [before, after] = aroundSlot(fragment(h('section.chron-year', { ariaLabelledby: `year-${y}` }, [
        h('h2', { id: `year-${y}` }, y),
        h('table.chronology', [
          h('caption.visually-hidden', `Dates in ${y}`),
          h('thead', [h('tr', [h('th.chron-date', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Document or mention')])]),
          h('tbody', [slot('rows')]),
        ]),
      ])), 'rows');
      yield before;
      for (const it of list) {
        let html = ctx.session ? rowHtml.get(it) : undefined;
        if (html === undefined) {
          html = fragment(row(it));
          if (ctx.session) rowHtml.set(it, html);
        }
        yield html;
      }
      yield after;
    }
  }
  const html = page({ path, title: 'Chronology', lang: ctx.config.language, config: ctx.config, content, current: path, bodyClass: 'chronology' });
  return { path, content: fillPieces(html, 'years', yearSections), kind: 'html' };
}
