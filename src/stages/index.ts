/**
 * Stage "index": corpus-wide registers and document metadata, built from
 * every document's meta (register files, and the listPerson/listPlace/… each
 * document carries in back or standOff). References resolve against the
 * document's own entries first, then the corpus registers.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from '../diagnostics.js';
import type { DocMeta, RegisterEntry } from '../model.js';
import { safeStem } from '../site/paths.js';

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
  readonly entries: Map<string, RegisterEntry>;
  /** Entries defined inside a given document (id → entry), for local-first resolution. */
  private readonly local: Map<string, Map<string, RegisterEntry>>;
  readonly documents: RegistryDocument[];
  readonly registerFiles: RegistryDocument[];
  private readonly byFile: Map<string, string>;
  /** Ids defined in each document (passages, notes, any xml:id listed by meta). */
  private readonly docIds: Map<string, Set<string>>;
  /** Those of the documents whose metadata derived registries replaced (before `docIds`; not a copy of it each time). */
  private readonly newerIds: Map<string, Set<string>>;
  /** Ids of the documents (not register files), for bare document ids. */
  private readonly documentIds: Set<string>;
  /** What `entriesMemo` made: shared with the registries derived from this one (which share its entries). */
  private readonly byEntries: Map<string, unknown>;
  /** Derived from another registry (`withDocuments`): shares its maps, takes no more documents. */
  private readonly derived: boolean;
  /**
   * Set on a registry derived from another (`withDocuments`): that registry, and each document whose
   * metadata was replaced, as it was there and is here. Cut when a registry is derived from this one
   * (a watcher's registries would otherwise hold every one before them).
   */
  derivedFrom: { base: Registry; replaced: { then: RegistryDocument; now: RegistryDocument }[] } | undefined;

  constructor(base?: Registry, replaced?: ReadonlyMap<string, RegistryDocument>) {
    const swaps: { then: RegistryDocument; now: RegistryDocument }[] = [];
    this.derived = base !== undefined;
    this.derivedFrom = base ? { base, replaced: swaps } : undefined;
    if (base) base.derivedFrom = undefined;
    this.entries = base?.entries ?? new Map();
    this.local = base?.local ?? new Map();
    this.byFile = base?.byFile ?? new Map();
    this.documentIds = base?.documentIds ?? new Set();
    this.byEntries = base?.byEntries ?? new Map();
    this.registerFiles = base ? [...base.registerFiles] : [];
    this.documents = !base ? [] : !replaced?.size ? [...base.documents] : base.documents.map((then) => {
      const now = replaced.get(then.id);
      if (!now) return then;
      swaps.push({ then, now });
      return now;
    });
    this.docIds = base?.docIds ?? new Map();
    this.newerIds = base && replaced?.size ? new Map(base.newerIds) : (base?.newerIds ?? new Map());
    for (const d of replaced?.values() ?? []) this.newerIds.set(d.id, derivedOf(d.meta).ids);
    this.signature = base?.signature;
  }

  /**
   * A registry like this finished one but for the metadata of some documents (by id), each standing as
   * it stood: the same id, file and sort key, no register entries of its own, then or now (`standsAlike`).
   * It shares this registry's entries, files and documents' ids — a watcher's build after an edit of
   * words, at 10 000 letters, does not add every document again — and answers every pointer as a
   * registry made afresh would (tests: test/registry.test.ts).
   */
  withDocuments(replaced: ReadonlyMap<string, RegistryDocument>): Registry {
    return new Registry(this, replaced);
  }

  /**
   * A value that depends on the register entries alone, made once for them (made again after `add`
   * brings entries): registries derived from one another (`withDocuments`) share their entries, and
   * what was made from them.
   */
  entriesMemo<T>(key: string, make: () => T): T {
    if (!this.byEntries.has(key)) this.byEntries.set(key, make());
    return this.byEntries.get(key) as T;
  }

  /** The entries as JSON, one line each (in the order they were added), made once for them. */
  entriesText(): string {
    return this.entriesMemo('json lines', () => [...this.entries.values()].map((e) => JSON.stringify(e) + '\n').join(''));
  }

  add(doc: RegistryDocument): void {
    if (this.derived) throw new Error('a registry derived from another takes no more documents');
    if (doc.meta.entries.length) this.byEntries.clear();
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
    const key = sortDate;
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

  private signature: string | undefined;

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
    if ((this.newerIds.get(fromDoc) ?? this.docIds.get(fromDoc))?.has(id)) return { kind: 'doc', doc: fromDoc, fragment: id };
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

/** A document's place in the order of a registry's documents (then its id). */
function sortDate(d: { meta: DocMeta }): string {
  return d.meta.date?.when || d.meta.date?.from || d.meta.date?.value || '9999';
}

/** What the index stage needs of a transform result. */
export interface IndexableResult {
  ok: boolean;
  file: string;
  displayPath: string;
  meta?: DocMeta;
}

/** A build's results indexed: each one's document id (by place), the registry of them all, the place of each id's result. */
export interface IndexedResults<R extends IndexableResult> {
  results: readonly R[];
  /** The document id of the result at each place (undefined: not indexed, e.g. a failed transform). */
  ids: readonly (string | undefined)[];
  registry: Registry;
  /** The place in `results` of each document id's result. */
  places: ReadonlyMap<string, number>;
  /** The notes of giving the ids (ids sanitised or made unique: `assignIds`), made anew for each build that reports them. */
  notes(): VFileMessage[];
}

/**
 * Indexes a build's results: ids given (`assignIds`), a registry of them all (finished). With the last
 * build's index (a watcher's), when each result that differs from the one at its place stands as that one
 * stood (`standsAlike`), the index is derived from the last one (Registry.withDocuments; the ids and
 * places are the last ones): at 10 000 letters ~50–100 ms less a save.
 */
export function indexResults<R extends IndexableResult>(results: readonly R[], last?: IndexedResults<R>): IndexedResults<R> {
  return (last && derivedIndex(last, results)) ?? freshIndex(results);
}

function freshIndex<R extends IndexableResult>(results: readonly R[]): IndexedResults<R> {
  const noted: { reason: string; file: string; ruleId: string }[] = [];
  const ids = assignIds(results, (m) => noted.push({ reason: m.reason, file: m.file ?? '', ruleId: m.ruleId ?? '' }));
  const registry = new Registry();
  const places = new Map<string, number>();
  results.forEach((r, i) => {
    const id = ids[i];
    if (id === undefined || !r.meta) return;
    registry.add({ id, file: r.file, meta: r.meta });
    places.set(id, i);
  });
  registry.finish();
  const notes = () => noted.map((n) => diagnostic(n.reason, { file: n.file, line: 1, column: 1, ruleId: n.ruleId, severity: 'warning' }));
  return { results, ids, registry, places, notes };
}

/** The last index with the results that changed put in, or undefined when one of them does not stand as the last did. */
function derivedIndex<R extends IndexableResult>(last: IndexedResults<R>, results: readonly R[]): IndexedResults<R> | undefined {
  if (results.length !== last.results.length) return undefined;
  const replaced = new Map<string, RegistryDocument>();
  for (let i = 0; i < results.length; i++) {
    const now = results[i]!;
    const then = last.results[i]!;
    if (now === then) continue;
    if (now.file !== then.file || now.displayPath !== then.displayPath) return undefined;
    const id = last.ids[i];
    if ((id !== undefined) !== (now.ok && now.meta !== undefined)) return undefined;
    if (id === undefined) continue;
    if (!standsAlike(then.meta!, now.meta!)) return undefined;
    replaced.set(id, { id, file: now.file, meta: now.meta! });
  }
  return { results, ids: last.ids, registry: last.registry.withDocuments(replaced), places: last.places, notes: last.notes };
}

/**
 * Whether a document's new metadata leaves its standing in the registry as the old: a document (not a
 * register file) with the same id asked for and the same sort date, carrying no register entries of its
 * own, then or now (its entries would be merged into the corpus entries).
 */
function standsAlike(then: DocMeta, now: DocMeta): boolean {
  return !then.isRegister && !now.isRegister && then.entries.length === 0 && now.entries.length === 0 && then.id === now.id && sortDate({ meta: then }) === sortDate({ meta: now });
}

/**
 * Gives each indexed result (ok, with metadata) a document id usable in file names, unique in the corpus
 * (in the results' order): the ids by place, undefined for a result not indexed.
 */
export function assignIds(results: readonly IndexableResult[], report: (m: VFileMessage) => void): (string | undefined)[] {
  const used = new Set<string>();
  return results.map((r) => {
    if (!r.ok || !r.meta) return undefined;
    const wanted = r.meta.id || path.basename(r.file, path.extname(r.file));
    let id = safeStem(wanted);
    if (id !== wanted) {
      report(diagnostic(`document id "${wanted}" changed to "${id}" for use in file names`, { file: r.displayPath, line: 1, column: 1, ruleId: 'doc-id-sanitised', severity: 'warning' }));
    }
    if (used.has(id)) {
      let i = 2;
      while (used.has(`${id}-${i}`)) i++;
      report(diagnostic(`document id "${id}" is used by another document; this one becomes "${id}-${i}"`, { file: r.displayPath, line: 1, column: 1, ruleId: 'doc-id-duplicate', severity: 'warning' }));
      id = `${id}-${i}`;
    }
    used.add(id);
    return id;
  });
}
