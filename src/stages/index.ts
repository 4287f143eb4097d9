/**
 * Stage "index": corpus-wide registers and document metadata, built from
 * every document's meta (register files, and the listPerson/listPlace/… each
 * document carries in back or standOff). References resolve against the
 * document's own entries first, then the corpus registers.
 */
import path from 'node:path';
import type { DocMeta, RegisterEntry } from '../model.js';

export interface RegistryDocument {
  id: string;
  file: string;
  meta: DocMeta;
}

export interface Occurrence {
  doc: string;
  /** Passage or note id the mention stands in ('' when outside any). */
  passage: string;
  form: string;
}

export const KIND_PAGES: Record<RegisterEntry['kind'], { file: string; title: string }> = {
  person: { file: 'registers/persons.html', title: 'Persons' },
  place: { file: 'registers/places.html', title: 'Places' },
  org: { file: 'registers/organisations.html', title: 'Organisations' },
  event: { file: 'registers/events.html', title: 'Events' },
  bibl: { file: 'bibliography.html', title: 'Bibliography' },
};

export type Resolved =
  | { kind: 'entry'; entry: RegisterEntry }
  | { kind: 'doc'; doc: string; fragment: string }
  | { kind: 'external'; url: string };

export class Registry {
  readonly entries = new Map<string, RegisterEntry>();
  /** Entries defined inside a given document (id → entry), for local-first resolution. */
  private readonly local = new Map<string, Map<string, RegisterEntry>>();
  readonly documents: RegistryDocument[] = [];
  readonly registerFiles: RegistryDocument[] = [];
  private readonly byFile = new Map<string, string>();
  readonly occurrences = new Map<string, Occurrence[]>();
  /** Ids defined in each document (passages, notes, any xml:id listed by meta). */
  private readonly docIds = new Map<string, Set<string>>();
  /** Ids of the documents (not register files), for bare document ids. */
  private readonly documentIds = new Set<string>();

  add(doc: RegistryDocument): void {
    if (doc.meta.isRegister) this.registerFiles.push(doc);
    else {
      this.documents.push(doc);
      this.documentIds.add(doc.id);
    }
    this.byFile.set(path.basename(doc.file), doc.id);
    const local = new Map<string, RegisterEntry>();
    for (const e of doc.meta.entries) {
      local.set(e.id, e);
      const known = this.entries.get(e.id);
      if (!known) this.entries.set(e.id, { ...e, names: [...e.names] });
      else {
        for (const n of e.names) if (!known.names.includes(n)) known.names.push(n);
        if (!known.note && e.note) known.note = e.note;
      }
    }
    this.local.set(doc.id, local);
    this.docIds.set(doc.id, new Set([...doc.meta.passages.map((p) => p.id), ...doc.meta.notes.map((n) => n.id), ...(doc.meta.ids ?? [])]));
  }

  /** Sorts documents by date, then id (deterministic). */
  finish(): void {
    const key = (d: RegistryDocument) => d.meta.date?.when || d.meta.date?.from || d.meta.date?.value || '9999';
    this.documents.sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
    for (const d of this.documents) {
      for (const m of d.meta.mentions) {
        for (const ref of m.refs) {
          const r = this.resolve(ref, d.id);
          if (r?.kind !== 'entry') continue;
          let list = this.occurrences.get(r.entry.id);
          if (!list) this.occurrences.set(r.entry.id, (list = []));
          list.push({ doc: d.id, passage: m.passage, form: m.form });
        }
      }
    }
  }

  docIdForFile(file: string): string | undefined {
    return this.byFile.get(path.basename(file));
  }

  /** Resolves a pointer (`#id`, `id`, `file.xml#id`, `https://…`) seen in document `fromDoc`. */
  resolve(ref: string, fromDoc: string): Resolved | undefined {
    const r = ref.trim();
    if (!r) return undefined;
    if (/^[a-z][a-z0-9+.-]*:/i.test(r)) {
      return /^(https?|mailto):/i.test(r) ? { kind: 'external', url: r } : undefined;
    }
    const hash = r.indexOf('#');
    const filePart = hash >= 0 ? r.slice(0, hash) : /\.xml$/i.test(r) ? r : '';
    const id = hash >= 0 ? r.slice(hash + 1) : filePart ? '' : r;
    if (filePart) {
      const doc = this.docIdForFile(filePart);
      if (doc === undefined) return undefined;
      const entry = id ? (this.local.get(doc)?.get(id) ?? undefined) : undefined;
      if (entry) return { kind: 'entry', entry: this.entries.get(entry.id) ?? entry };
      if (id && !this.documentIds.has(doc) && this.entries.has(id)) return { kind: 'entry', entry: this.entries.get(id)! };
      return { kind: 'doc', doc, fragment: id };
    }
    // A register entry the document itself carries comes first, then its other ids, then the corpus registers.
    if (this.local.get(fromDoc)?.has(id)) return { kind: 'entry', entry: this.entries.get(id)! };
    if (this.docIds.get(fromDoc)?.has(id)) return { kind: 'doc', doc: fromDoc, fragment: id };
    const entry = this.entries.get(id);
    if (entry) return { kind: 'entry', entry };
    // A bare document id (e.g. correspContext/ref/@target="L00152").
    if (this.documentIds.has(id)) return { kind: 'doc', doc: id, fragment: '' };
    return undefined;
  }

  byKind(kind: RegisterEntry['kind']): RegisterEntry[] {
    return [...this.entries.values()]
      .filter((e) => e.kind === kind)
      .sort((a, b) => sortKey(a.sortKey || a.label).localeCompare(sortKey(b.sortKey || b.label)) || a.id.localeCompare(b.id));
  }
}

/** Sort key: diacritics folded, case folded. */
export function sortKey(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
