/**
 * Chronology (chronology.html): every document by its date and every dated
 * mention in the texts (DocMeta.dates: date/origDate with when, from/to,
 * notBefore/notAfter), sorted, grouped by year, each linked to its passage.
 * Only dates the encoding gives are used; nothing is inferred.
 */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { page } from './layout.js';
import { docPage, rel } from './paths.js';
import { referenceLabel } from './registers.js';

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

export function chronologyItems(ctx: BuildContext): ChronologyItem[] {
  const out: ChronologyItem[] = [];
  const order = new Map(ctx.documents.map((d, i) => [d.id, i]));
  for (const d of ctx.documents) {
    const own = d.meta.date ? item(d.meta.date) : undefined;
    if (own) out.push({ ...own, doc: d.id, passage: '', kind: 'document', form: d.meta.date?.text ?? '', cert: d.meta.date?.cert ?? '' });
    const seen = new Set<string>();
    for (const m of d.meta.dates) {
      const it = item(m);
      if (!it) continue;
      const k = `${it.key}|${it.label}|${m.passage}|${m.form}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ ...it, doc: d.id, passage: m.passage, kind: 'mention', form: m.form, cert: m.cert });
    }
  }
  const passageN = (i: ChronologyItem) => ctx.documents[order.get(i.doc)!]?.meta.passages.find((p) => p.id === i.passage)?.n ?? 0;
  return out.sort(
    (a, b) =>
      a.key.localeCompare(b.key) ||
      (a.kind === b.kind ? 0 : a.kind === 'document' ? -1 : 1) ||
      order.get(a.doc)! - order.get(b.doc)! ||
      passageN(a) - passageN(b) ||
      a.form.localeCompare(b.form),
  );
}

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
  const title = (id: string) => ctx.documents.find((d) => d.id === id)?.meta.title || id;
  const row = (it: ChronologyItem) => {
    const target = it.passage ? `${docPage(it.doc)}#${it.passage}` : docPage(it.doc);
    const where = it.kind === 'document' ? '' : referenceLabel(ctx, { doc: it.doc, passage: it.passage, where: 'text' });
    const what: Child[] =
      it.kind === 'document'
        ? [h('span.chron-kind', 'Document: '), h('a', { href: rel(path, target) }, title(it.doc))]
        : [h('q.chron-form', it.form), ' in ', h('a', { href: rel(path, target) }, `${title(it.doc)}${where === 'text' ? '' : `, ${where}`}`)];
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
    ...[...years].map(([y, list]) =>
      h('section.chron-year', { ariaLabelledby: `year-${y}` }, [
        h('h2', { id: `year-${y}` }, y),
        h('table.chronology', [
          h('caption.visually-hidden', `Dates in ${y}`),
          h('thead', [h('tr', [h('th.chron-date', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Document or mention')])]),
          h('tbody', list.map(row)),
        ]),
      ]),
    ),
  ];
  return { path, content: page({ path, title: 'Chronology', lang: ctx.config.language, config: ctx.config, content, current: path, bodyClass: 'chronology' }), kind: 'html' };
}
