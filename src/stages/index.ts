/**
 * Stage "index": corpus-wide registers and document metadata, built from
 * every document's meta (register files, and the listPerson/listPlace/… each
 * document carries in back or standOff). References resolve against the
 * document's own entries first, then the corpus registers.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DocMeta, RegisterEntry } from '../model.js';

export interface RegistryDocument {
  id: string;
  file: string;
  meta: DocMeta;
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

/**
 * What a document's metadata gives a registry, made once per metadata object: its own entries by id,
 * and the ids it defines (passages, notes, other xml:ids). A watcher's build adds every document again,
 * nearly all with the metadata of the last build (the build cache keeps the objects; never mutated).
 */
const derived = new WeakMap<DocMeta, { local: Map<string, RegisterEntry>; ids: Set<string> }>();
function derivedOf(meta: DocMeta): { local: Map<string, RegisterEntry>; ids: Set<string> } {
  let d = derived.get(meta);
  if (!d) {
    d = { local: new Map(meta.entries.map((e) => [e.id, e])), ids: new Set([...meta.passages.map((p) => p.id), ...meta.notes.map((n) => n.id), ...(meta.ids ?? [])]) };
    derived.set(meta, d);
  }
  return d;
}

/** The last order `finish` sorted documents into, with what it sorted (each document's sort key and id). */
let lastOrder: { input: string[]; order: number[]; metas: DocMeta[]; ids: string[] } | undefined;

export class Registry {
  readonly entries = new Map<string, RegisterEntry>();
  /** Entries defined inside a given document (id → entry), for local-first resolution. */
  private readonly local = new Map<string, Map<string, RegisterEntry>>();
  readonly documents: RegistryDocument[] = [];
  readonly registerFiles: RegistryDocument[] = [];
  private readonly byFile = new Map<string, string>();
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
    const { local, ids } = derivedOf(doc.meta);
    for (const e of doc.meta.entries) {
      const known = this.entries.get(e.id);
      if (!known) this.entries.set(e.id, { ...e, names: [...e.names] });
      else {
        for (const n of e.names) if (!known.names.includes(n)) known.names.push(n);
        if (!known.note && e.note) known.note = e.note;
      }
    }
    this.local.set(doc.id, local);
    this.docIds.set(doc.id, ids);
  }

  /**
   * Sorts documents by date, then id (deterministic). (Where entries occur is read from the documents'
   * rendered links when a page needs it: src/site/references.ts.)
   */
  finish(): void {
    const key = (d: RegistryDocument) => d.meta.date?.when || d.meta.date?.from || d.meta.date?.value || '9999';
    // The documents as added, each as its sort key and id: the same as the last registry's (a watcher's build
    // after a word edit), the same order (sorting 10 000 with localeCompare takes ~50 ms).
    // (A document whose metadata is the same object as last time, under the same id, has the same key.)
    const docs = [...this.documents];
    const last = lastOrder;
    const input = docs.map((d, i) => (last?.metas[i] === d.meta && last.ids[i] === d.id ? last.input[i]! : `${key(d)}\u0000${d.id}`));
    const same = last !== undefined && last.input.length === input.length && last.input.every((k, i) => k === input[i]);
    const order = same ? last.order : input.map((_, i) => i).sort((a, b) => key(docs[a]!).localeCompare(key(docs[b]!)) || docs[a]!.id.localeCompare(docs[b]!.id));
    order.forEach((from, i) => (this.documents[i] = docs[from]!));
    lastOrder = { input, order, metas: docs.map((d) => d.meta), ids: docs.map((d) => d.id) };
  }

  private signature?: string;

  /**
   * What `resolve` answers from besides the pointer and the document it stands in (whose own
   * entries and ids come with its version): the files and ids of the documents, the entries each
   * carries, the corpus entries — a digest, once the registry is complete. In registries of equal
   * signatures a document version's pointers resolve alike, so their resolution can be kept
   * between builds (src/site/references.ts).
   */
  resolutionSignature(): string {
    if (this.signature === undefined) {
      const h = createHash('sha256');
      for (const [file, id] of [...this.byFile].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        h.update(`${file}\t${id}\t${this.documentIds.has(id) ? 'd' : 'r'}\t${[...(this.local.get(id)?.keys() ?? [])].join(' ')}\n`);
      }
      h.update([...this.entries.keys()].sort().join(' '));
      this.signature = h.digest('hex');
    }
    return this.signature;
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
