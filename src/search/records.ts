/**
 * What the full-text search finds: every passage of every document, every
 * note, each document's title and metadata line, and every register and
 * bibliography entry listed on the site. Each record carries the URL of its
 * exact target (document#passage, document#note, register#entry), relative
 * to the output root.
 */
import type { BuildContext } from '../formats/types.js';
import type { RegisterEntry } from '../model.js';
import { KIND_PAGES } from '../stages/index.js';
import { docPage } from '../site/paths.js';
import { referencedEntries } from '../site/references.js';
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

export function searchRecords(ctx: BuildContext): SearchRecord[] {
  const out: SearchRecord[] = [];
  const add = (r: Omit<SearchRecord, 'id'>) => out.push({ id: out.length, ...r });
  for (const d of ctx.documents) {
    const title = d.meta.title || d.id;
    const page = docPage(d.id);
    const people = [...d.meta.authors, ...d.meta.correspondence.flatMap((c) => [...c.persons, ...c.places])].map((a) => a.name);
    add({ title, text: [...new Set(people)].join(' · '), t: title, d: d.id, k: 'd', n: '', u: page });
    for (const p of d.meta.passages) {
      if (p.text) add({ title: '', text: p.text, t: title, d: d.id, k: 'p', n: `¶${p.n}`, u: `${page}#${p.id}` });
    }
    for (const n of d.meta.notes) {
      if (n.text) add({ title: '', text: n.text, t: title, d: d.id, k: 'n', n: `n. ${n.n}`, u: `${page}#${n.id}` });
    }
  }
  const kinds: RegisterEntry['kind'][] = [...registerKinds(ctx), 'bibl'];
  for (const kind of kinds) {
    const entries = kind === 'bibl' ? ctx.registry.byKind('bibl') : referencedEntries(ctx, kind);
    for (const e of entries) {
      const text = [...e.names.filter((x) => x !== e.label), ...e.notes].join(' · ') || e.note;
      add({ title: e.label, text, t: e.label, d: '', k: kind === 'bibl' ? 'b' : 'r', n: KIND_LABEL[kind], u: `${KIND_PAGES[kind].file}#${e.id}` });
    }
  }
  return out;
}
