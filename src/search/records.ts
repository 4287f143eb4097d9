/**
 * What the full-text search finds: every passage of every document, every
 * note, each document's title and metadata line, and every register and
 * bibliography entry listed on the site. Each record carries the URL of its
 * exact target (document#passage, document#note, register#entry), relative
 * to the output root.
 */
import { withTexts, type BuildContext } from '../formats/types.js';
import type { DocMeta, RegisterEntry } from '../model.js';
import { KIND_PAGES } from '../stages/index.js';
import { docPage } from '../site/paths.js';
import { entriesOfKind, referencedEntries } from '../site/references.js';
import { registerKinds } from '../site/registers.js';

export interface SearchRecord {
  id: number;
  /** Indexed: heading the result is shown under (document title, entry label). */
  title: string;
  /** Indexed: the text. */
  text: string;
  /** Stored: title to show. */
  t: string;
  /** Stored: document id ('' for register entries). */
  d: string;
  /** Stored: kind — p(assage), n(ote), d(ocument), r(egister entry), b(ibliography). */
  k: 'p' | 'n' | 'd' | 'r' | 'b';
  /** Stored: label of the place (¶3, n. 2, Persons…). */
  n: string;
  /** Stored: URL relative to the output root. */
  u: string;
}

const KIND_LABEL: Record<RegisterEntry['kind'], string> = { person: 'Person', place: 'Place', org: 'Organisation', event: 'Event', bibl: 'Bibliography' };

/** A record before it gets its number in the index. */
export type SearchRecordData = Omit<SearchRecord, 'id'>;

/**
 * One document's search records, from its id and metadata alone (no other
 * document, no registry): the document itself (title; people and places of
 * its header), then every passage and every note with text, in order. Pure
 * and deterministic, so a build can keep it per document and recombine with
 * `numberRecords`.
 */
export function documentSearchRecords(id: string, meta: DocMeta): SearchRecordData[] {
  const out: SearchRecordData[] = [];
  const title = meta.title || id;
  const page = docPage(id);
  const people = [...meta.authors, ...meta.correspondence.flatMap((c) => [...c.persons, ...c.places])].map((a) => a.name);
  out.push({ title, text: [...new Set(people)].join(' · '), t: title, d: id, k: 'd', n: '', u: page });
  for (const p of meta.passages) {
    if (p.text) out.push({ title: '', text: p.text, t: title, d: id, k: 'p', n: `¶${p.n}`, u: `${page}#${p.id}` });
  }
  for (const n of meta.notes) {
    if (n.text) out.push({ title: '', text: n.text, t: title, d: id, k: 'n', n: `n. ${n.n}`, u: `${page}#${n.id}` });
  }
  return out;
}

/** Records of the register and bibliography entries listed on the site (depend on the whole corpus). */
export function registerSearchRecords(ctx: BuildContext): SearchRecordData[] {
  const out: SearchRecordData[] = [];
  const kinds: RegisterEntry['kind'][] = [...registerKinds(ctx), 'bibl'];
  for (const kind of kinds) {
    const entries = kind === 'bibl' ? entriesOfKind(ctx.registry, 'bibl') : referencedEntries(ctx, kind);
    for (const e of entries) {
      const text = [...e.names.filter((x) => x !== e.label), ...e.notes].join(' · ') || e.note;
      out.push({ title: e.label, text, t: e.label, d: '', k: kind === 'bibl' ? 'b' : 'r', n: KIND_LABEL[kind], u: `${KIND_PAGES[kind].file}#${e.id}` });
    }
  }
  return out;
}

/** Numbers records in the order given (the index's ids): documents in edition order, then register entries. */
export function numberRecords(parts: SearchRecordData[][]): SearchRecord[] {
  const out: SearchRecord[] = [];
  for (const part of parts) for (const r of part) out.push({ id: out.length, ...r });
  return out;
}

export function searchRecords(ctx: BuildContext): SearchRecord[] {
  return numberRecords([...ctx.documents.map((d) => documentSearchRecords(d.id, withTexts(d))), registerSearchRecords(ctx)]);
}
