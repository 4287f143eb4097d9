/**
 * Register pages (persons, places, organisations, events): each entry with
 * the name forms as they occur, the description the encoding gives, its
 * identifiers, and every occurrence as a link to the document and passage
 * (¶ number) or note. Entries are grouped by initial letter, with a jump list.
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile, RegisterEntry } from '../model.js';
import { KIND_PAGES, sortKey } from '../stages/index.js';
import { aroundSlot, fillPieces, fragment, page, slot } from './layout.js';
import { documentById, documentsById, placeLabel } from './lookup.js';
import { docPage, rel } from './paths.js';
import { entriesOfKind, references, referencedEntries, type Reference } from './references.js';

type Child = ElementContent | string;

export const REGISTER_KINDS = ['person', 'place', 'org', 'event'] as const;

/** Label of a reference: ¶ number of the passage, note number, or where it stands. */
export function referenceLabel(ctx: BuildContext, r: Pick<Reference, 'doc' | 'passage' | 'where'>): string {
  if (r.where === 'metadata') return 'metadata';
  if (r.where === 'heading') return 'heading';
  return placeLabel(documentById(ctx, r.doc)?.meta, r.passage) ?? 'text';
}

/** The references to an entry, one list item per document, ¶ links in text order. */
export function occurrenceList(ctx: BuildContext, entry: RegisterEntry, pagePath: string): ElementContent[] {
  const refs = references(ctx).get(entry.id) ?? [];
  if (!refs.length) return [h('p.no-occurrences', 'No occurrence in the edition’s documents.')];
  const docs = documentsById(ctx);
  const byDoc = new Map<string, Reference[]>();
  for (const r of refs) {
    let l = byDoc.get(r.doc);
    if (!l) byDoc.set(r.doc, (l = []));
    l.push(r);
  }
  return [
    h(
      'ul.occurrences',
      { ariaLabel: `Occurrences of ${entry.label}` },
      [...byDoc].map(([id, list]) => {
        const d = docs.get(id)?.doc;
        const seen = new Set<string>();
        const links = list.filter((r) => {
          const key = `${r.where}|${r.passage}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        const href = rel(pagePath, docPage(id));
        return h('li', [
          h('a', { href }, d?.meta.title || id),
          ': ',
          ...links.flatMap((r, i) => {
            const label = referenceLabel(ctx, r);
            // Spoken form of the label (the visible "¶3" stays the start of the link's name).
            const spoken = label.startsWith('¶') ? ` (paragraph ${label.slice(1)})` : label.startsWith('n. ') ? ` (note ${label.slice(3)})` : '';
            const content: Child[] = spoken ? [label, h('span', { className: ['visually-hidden'] }, spoken)] : [label];
            return [...(i ? [', '] : []), h('a', { className: ['occurrence'], href: r.passage ? `${href}#${r.passage}` : href }, content)];
          }),
        ]);
      }),
    ),
  ];
}

/** A safe, readable link for an identifier: only when the encoding gives a web address. */
function idnoContent(i: { type: string; value: string }): Child[] {
  const label = i.type ? `${i.type}: ` : '';
  if (/^https?:\/\/[^\s]+$/i.test(i.value)) return [label, h('a', { href: i.value, rel: ['noopener', 'noreferrer'], className: ['external'] }, i.value)];
  return [label + i.value];
}

/** Initial for the jump list: A–Z after folding diacritics, else "#". */
export function initial(label: string): string {
  const c = sortKey(label).replace(/^[^\p{L}\p{N}]+/u, '').charAt(0).toUpperCase();
  return /\p{L}/u.test(c) ? c : '#';
}

function entryBlock(ctx: BuildContext, e: RegisterEntry, file: string): Element {
  const refs = references(ctx).get(e.id) ?? [];
  const forms = [...new Set(refs.filter((r) => r.where !== 'metadata').map((r) => r.form).filter(Boolean))].sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.localeCompare(b));
  const notes = e.notes.length ? e.notes : e.note ? [e.note] : [];
  const docs = new Set(refs.map((r) => r.doc)).size;
  return h(`div.register-entry.tei-${e.kind === 'org' ? 'org' : e.kind}`, { id: e.id }, [
    h('h3.entry-label', [h('dfn', e.label), e.type ? h('span.entry-type', ` (${e.type})`) : '']),
    ...notes.map((n) => h('p.entry-note', n)),
    ...(e.names.length > 1 ? [h('p.entry-names', [h('span.field-label', 'Names in the register: '), e.names.join('; ')])] : []),
    ...(forms.length ? [h('p.entry-forms', [h('span.field-label', 'Forms in the text: '), forms.join('; ')])] : []),
    ...(e.idnos.length
      ? [h('p.entry-ids', [h('span.field-label', 'Identifiers: '), ...e.idnos.flatMap((i, k) => [...(k ? ['; '] : []), ...idnoContent(i)])])]
      : []),
    h('p.entry-count', `${docs} document${docs === 1 ? '' : 's'}:`),
    ...occurrenceList(ctx, e, file),
  ]);
}

/**
 * A register page's content: count, jump list, entries grouped by initial. The groups are given as
 * HTML, serialised entry by entry as the page is written (`groups`, for the page's slot: see
 * `fillPieces` in layout.ts): a register of an edition of 10 000 letters has hundreds of thousands of
 * occurrence links.
 */
export function registerContent(ctx: BuildContext, kind: RegisterEntry['kind'], file: string, title: string): { content: ElementContent[]; groups: () => Iterable<string> } {
  const entries = referencedEntries(ctx, kind);
  const all = entriesOfKind(ctx.registry, kind).length;
  const groups = new Map<string, RegisterEntry[]>();
  for (const e of entries) {
    const k = initial(e.sortKey || e.label);
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    l.push(e);
  }
  const used = new Set(ctx.registry.entries.keys());
  const groupId = (k: string) => {
    let id = `initial-${k === '#' ? 'other' : k}`;
    while (used.has(id)) id += '_';
    return id;
  };
  const summary = `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} referred to in the documents` +
    (all > entries.length ? ` (the register files hold ${all - entries.length} more, not referred to in these documents).` : '.');
  const content: ElementContent[] = [
    h('h1', title),
    h('p.register-summary', summary),
    ...(groups.size > 1
      ? [h('nav.jump-list', { ariaLabel: `${title}: initials` }, [h('ul', [...groups.keys()].map((k) => h('li', [h('a', { href: `#${groupId(k)}` }, k)])))])]
      : []),
    slot('groups'),
  ];
  function* html(): Generator<string> {
    const blocks = keptBlocks(file, ctx.session === true);
    for (const [k, list] of groups) {
      const [before, after] = aroundSlot(fragment(h('section.register-group', { ariaLabelledby: groupId(k) }, [h('h2', { id: groupId(k) }, k === '#' ? 'Other' : k), slot('entries')])), 'entries');
      yield before;
      for (const e of list) yield blocks.html(ctx, e, () => fragment(entryBlock(ctx, e, file)));
      yield after;
    }
    blocks.done();
  }
  return { content, groups: html };
}

/**
 * Entries' HTML kept between builds of one process (a watcher's), per register page: an entry is
 * serialised again only when it, its references (the same objects while the documents they stand
 * in are unchanged: src/site/references.ts) or the metadata of those documents (titles, ¶ and note
 * numbers) changed. After a mention is added to one letter of 10 000, the persons register (49 MB,
 * hundreds of thousands of occurrence links) then serialises the entries that letter names.
 */
interface KeptBlock {
  entry: string;
  refs: readonly Reference[];
  metas: unknown[];
  html: string;
}
const keptByPage = new Map<string, Map<string, KeptBlock>>();

/** A single build keeps nothing (its memory would only grow by the registers' HTML). */
function keptBlocks(file: string, keep: boolean) {
  const kept = keptByPage.get(file) ?? new Map<string, KeptBlock>();
  const next = new Map<string, KeptBlock>();
  return {
    html(ctx: BuildContext, e: RegisterEntry, make: () => string): string {
      if (!keep) return make();
      const refs = references(ctx).get(e.id) ?? [];
      const docs = documentsById(ctx);
      const metas = [...new Set(refs.map((r) => r.doc))].map((id) => docs.get(id)?.doc.meta);
      const entry = JSON.stringify(e);
      const k = kept.get(e.id);
      const same = k !== undefined && k.entry === entry && k.refs.length === refs.length && k.refs.every((r, i) => r === refs[i]) &&
        k.metas.length === metas.length && k.metas.every((m, i) => m === metas[i]);
      const block = same ? k : { entry, refs, metas, html: make() };
      next.set(e.id, block);
      return block.html;
    },
    /** Keeps this build's entries only. */
    done(): void {
      if (keep) keptByPage.set(file, next);
      else keptByPage.delete(file);
    },
  };
}

/** Register kinds that get a page in this build (events only when there are any). */
export function registerKinds(ctx: BuildContext): RegisterEntry['kind'][] {
  // (Reading every document's references only when there are events to look for.)
  return REGISTER_KINDS.filter((k) => k !== 'event' || (entriesOfKind(ctx.registry, k).length > 0 && referencedEntries(ctx, k).length > 0));
}

export function registerPages(ctx: BuildContext): OutputFile[] {
  return registerKinds(ctx).map((kind) => {
    const { file, title } = KIND_PAGES[kind];
    const { content, groups } = registerContent(ctx, kind, file, title);
    const html = page({ path: file, title, lang: ctx.config.language, config: ctx.config, content, current: file, bodyClass: 'register' });
    return { path: file, content: fillPieces(html, 'groups', groups), kind: 'html' };
  });
}
