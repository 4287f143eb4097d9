/** Minimal register entries and document metadata for unit tests of the registry and the edition-wide pages. */
import type { DocMeta, RegisterEntry } from '../../src/model.js';

export function entry(id: string, kind: RegisterEntry['kind'], label: string): RegisterEntry {
  return { id, kind, type: '', names: [label], label, note: '', notes: [], idnos: [], refs: [], bibl: {}, sameAs: [], parent: '' };
}

export function meta(id: string, o: Partial<DocMeta> = {}): DocMeta {
  return {
    id, root: 'TEI', title: id, titles: [], lang: 'en', isRegister: false, textType: '', date: null, authors: [], editors: [], resp: [],
    publisher: '', pubPlace: '', pubDate: '', licence: { text: '', url: '' }, series: [], idnos: [],
    source: { hasMs: false, country: '', settlement: '', institution: '', repository: '', repositoryRef: '', collection: '', idnos: [], locus: '', locusFrom: '', locusTo: '', witnesses: 0, bibls: [], text: '' },
    correspondence: [], keywords: [], entries: [], passages: [], notes: [], mentions: [], dates: [], datelines: [], pages: [], ids: [], ...o,
  };
}
