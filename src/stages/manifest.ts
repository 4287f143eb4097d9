/**
 * Stage "manifest": `manifest.json`, the inventory of a build — each document's
 * outputs by kind, and every file of the edition, sorted.
 *
 * It is made from the build's render records (per document and per edition-wide
 * part, per format: src/cache.ts RenderRecord). An edition of 10 000 letters has
 * ~480 000 files, and sorting and serialising them all again after a one-letter
 * edit costs most of a second; a `ManifestMaker` kept between the builds of a
 * watcher remembers the sorted list (in blocks, each with its text) and each
 * document's entry, and after an edit only the records that are not the same
 * objects as last time (a carried-over record is) are looked at, and only the
 * blocks their paths go into or out of are joined again. The text is byte for byte what
 * `JSON.stringify(manifest, null, 2)` gives (test/manifest.test.ts).
 */
import { joined, type OutputFile } from '../model.js';

export interface ManifestDocument {
  id: string;
  title: string;
  date: string;
  source: string;
  outputs: Record<string, string | string[]>;
}

export interface Manifest {
  title: string;
  documents: ManifestDocument[];
  files: string[];
}

type FileEntry = Pick<OutputFile, 'path' | 'kind' | 'doc'>;

/** What the manifest is made from: render records (any object with files; compared by identity between builds). */
export interface FilesRecord {
  files: FileEntry[];
}

/** A document of the build, as the manifest names it. */
export interface ManifestSource {
  id: string;
  title: string;
  date: string;
  source: string;
}

interface DocMemo {
  /** The document's fields and the records that gave it files, as last time. */
  fields: string;
  records: FilesRecord[];
  entry: ManifestDocument;
  text: string;
  /** The document as given (the caller may give the same object build after build: its fields are then not compared again). */
  source: ManifestSource;
}

const INDENT = '    ';
/** A string JSON.stringify quotes without escaping anything (no quote, backslash, control character or surrogate). */
const AS_IS = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** One document's entry, as JSON.stringify(manifest, null, 2) writes it inside "documents". */
function entryText(entry: ManifestDocument): string {
  return INDENT + JSON.stringify(entry, null, 2).replace(/\n/g, `\n${INDENT}`);
}

export class ManifestMaker {
  private docs = new Map<string, DocMemo>();
  /** The records of the last make, in their order. */
  private recordList?: FilesRecord[];
  /** Every file's path, sorted, in blocks with their text (the lines of the "files" array). */
  private paths = new PathBlocks([]);
  /** Each record's files by the document they name (once per record: a carried-over record is the same object). */
  private grouped = new WeakMap<FilesRecord, Map<string, FileEntry[]>>();
  /** The title and the documents' entry texts of the last make (to tell whether its text changed). */
  private lastTitle?: string;
  private lastTexts: string[] = [];
  /** The documents' ids and entries of the last make, in its order. */
  private lastIds: string[] = [];
  private lastDocuments: ManifestDocument[] = [];
  /**
   * The output stamp (src/pipeline.ts outputStamp) of the manifest.json that holds this maker's last
   * text; set by the caller once it is written (and committed), cleared by each make.
   */
  written?: string;
  /** The session's build whose manifest this maker made last (BuildContext.build), set by the caller. */
  build?: object;

  private byDocument(r: FilesRecord): Map<string, FileEntry[]> {
    let m = this.grouped.get(r);
    if (!m) this.grouped.set(r, (m = byDocument(r)));
    return m;
  }

  /**
   * The manifest of a build: `docs` in edition order, `records` every render record of the build
   * (documents' and edition-wide parts'). Gives the object and its text (with a final newline), in pieces,
   * and whether the text differs from the last make's (an edit that changed no title, date or file:
   * the text is the same, and a file that holds it need not be written again). `changedDocs`, when the
   * caller knows it (a watcher's save), names the only documents whose source or records may differ
   * from the last make's: the others' entries are then not looked at, if the documents are the last
   * make's in the same order.
   */
  make(title: string, docs: ManifestSource[], records: FilesRecord[], changedDocs?: ReadonlySet<string>): { manifest: Manifest; chunks: string[]; changed: boolean } {
    this.written = undefined;
    // The records that are not, at their place in the list, the same objects as last time, with those they
    // replace (a watcher's build after an edit: the list as long as before, all but a few the same): compared
    // place by place, no set of the ~40 000 records of 10 000 letters made (~25 ms); else, as sets.
    const last = this.recordList;
    const changes: number[] = [];
    // (A document the last make did not list may be named by records that did not change: its list is made from all.)
    const byPlace = last !== undefined && last.length === records.length && docs.every((d) => this.docs.has(d.id));
    if (byPlace) for (let i = 0; i < records.length; i++) if (records[i] !== last[i]) changes.push(i);
    const lastSet = byPlace ? undefined : new Set(last);
    const now = byPlace ? undefined : new Set(records);
    // The sorted file list: the files of records gone since last time out, those of new records in.
    // (In place: a record that only moved goes out and in again.)
    const gone = new Set<string>();
    const added: string[] = [];
    if (byPlace) {
      for (const i of changes) for (const f of last[i]!.files) gone.add(f.path);
      for (const i of changes) for (const f of records[i]!.files) added.push(f.path);
    } else {
      for (const r of lastSet!) if (!now!.has(r)) for (const f of r.files) gone.add(f.path);
      for (const r of now!) if (!lastSet!.has(r)) for (const f of r.files) added.push(f.path);
    }
    // A rebuilt document or part usually gives the same paths as before: nothing to change then.
    const same = gone.size === added.length && added.every((p) => gone.has(p));
    let filesChanged = false;
    if (!same) {
      filesChanged = true;
      const add = added.sort();
      // A few paths (a document added or removed: its files and its search shard's) go out and in where they are; many, in one pass.
      if (gone.size + add.length <= this.paths.size / 64) {
        for (const p of gone) this.paths.delete(p);
        // A file carried over whose path a file made in this build has (the writer does not note the
        // paths it carries over in place: src/stages/write.ts keepAll).
        for (const p of add) if (!this.paths.insert(p)) throw new Error(`two outputs want the same path: ${p}`);
      } else {
        const sorted: string[] = [];
        let j = 0;
        for (const p of this.paths.all()) {
          while (j < add.length && add[j]! < p) sorted.push(add[j++]!);
          if (gone.has(p)) continue;
          if (add[j] === p) throw new Error(`two outputs want the same path: ${p}`);
          sorted.push(p);
        }
        while (j < add.length) sorted.push(add[j++]!);
        this.paths = new PathBlocks(sorted);
      }
    }
    this.recordList = records;

    // The records that gave each document files (by the document the files name): in place, the last
    // lists of the documents the changed records name, those records out and their replacements in (the
    // others' lists are as they were: a record's place in a list does not change its entry, whose files
    // are sorted by path); else, from every record.
    let ownOf: (id: string) => FilesRecord[];
    // (In place: the lists of the documents the changed records name.)
    const changedLists = new Map<string, FilesRecord[]>();
    if (byPlace) {
      const listOf = (id: string) => {
        let l = changedLists.get(id);
        if (!l) changedLists.set(id, (l = [...(this.docs.get(id)?.records ?? [])]));
        return l;
      };
      for (const i of changes) {
        for (const doc of this.byDocument(last[i]!).keys()) {
          const l = listOf(doc);
          const at = l.indexOf(last[i]!);
          if (at >= 0) l.splice(at, 1);
        }
      }
      for (const i of changes) for (const doc of this.byDocument(records[i]!).keys()) listOf(doc).push(records[i]!);
      ownOf = (id) => changedLists.get(id) ?? this.docs.get(id)?.records ?? [];
    } else {
      const byDoc = new Map<string, FilesRecord[]>();
      for (const r of records) {
        for (const doc of this.byDocument(r).keys()) {
          const l = byDoc.get(doc);
          if (l) l.push(r);
          else byDoc.set(doc, [r]);
        }
      }
      ownOf = (id) => byDoc.get(id) ?? [];
    }
    // The documents as last time but a few (those named changed, and those the changed records name): only theirs looked at.
    const lastIds = this.lastIds;
    const touched = byPlace && changedDocs !== undefined && lastIds.length === docs.length && docs.every((d, i) => d.id === lastIds[i])
      ? new Set([...changedDocs, ...changedLists.keys()])
      : undefined;
    const memo = touched ? this.docs : new Map<string, DocMemo>();
    const documents: ManifestDocument[] = touched ? [...this.lastDocuments] : [];
    const texts: string[] = touched ? [...this.lastTexts] : [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      if (touched && !touched.has(d.id)) continue;
      const own = ownOf(d.id);
      const known = this.docs.get(d.id);
      const fields = known?.source === d ? known.fields : JSON.stringify([d.title, d.date, d.source]);
      let m: DocMemo;
      if (known && known.fields === fields && (known.records === own || sameList(known.records, own))) m = known.source === d ? known : { ...known, source: d };
      else {
        const outputs: Record<string, string | string[]> = {};
        for (const f of own.flatMap((r) => this.byDocument(r).get(d.id)!).sort((a, b) => a.path.localeCompare(b.path))) {
          const prev = outputs[f.kind];
          outputs[f.kind] = prev === undefined ? f.path : Array.isArray(prev) ? [...prev, f.path] : [prev, f.path];
        }
        const entry: ManifestDocument = { id: d.id, title: d.title, date: d.date, source: d.source, outputs };
        m = { fields, records: own, entry, text: entryText(entry), source: d };
      }
      memo.set(d.id, m);
      documents[i] = m.entry;
      texts[i] = m.text;
    }
    this.docs = memo;
    if (!touched) this.lastIds = docs.map((d) => d.id);
    this.lastDocuments = documents;
    // Entry texts are the memo's own strings: the same object when the entry was not made again.
    const changed = filesChanged || this.lastTitle !== title || !sameList(this.lastTexts, texts);
    this.lastTitle = title;
    this.lastTexts = texts;

    // The text in pieces (Chunks, written one after the other: at 10 000 letters it is 50 MB).
    const chunks = [`{\n  "title": ${JSON.stringify(title)},\n`];
    if (texts.length) chunks.push('  "documents": [\n', ...joined(texts, ',\n'), '\n  ],\n');
    else chunks.push('  "documents": [],\n');
    if (this.paths.size) chunks.push('  "files": [\n', ...joined(this.paths.texts(), ',\n'), '\n  ]\n}\n');
    else chunks.push('  "files": []\n}\n');
    // The flat list only when asked for (blocks are replaced, never changed: this one stays as it is).
    const blocks = this.paths.snapshot();
    let files: string[] | undefined;
    const manifest = { title, documents, get files() { return (files ??= blocks.flat()); } };
    return { manifest, chunks, changed };
  }
}

/** Paths per block: an edit's few paths go out and in by a binary search, and re-join one block's text. */
const BLOCK = 2048;

/**
 * Sorted paths, in blocks of at most 2 × BLOCK, each with its text (its lines of the "files" array,
 * joined) made when first asked for. A block is replaced when a path goes in or out, never changed,
 * so a snapshot of the block list stays as it was. (At 10 000 letters: ~480 000 paths, 240 blocks;
 * sorting, joining and escaping them all again after each edit took ~0.2 s.)
 */
class PathBlocks {
  private blocks: { paths: string[]; text?: string }[] = [];
  size: number;

  constructor(sorted: string[]) {
    for (let i = 0; i < sorted.length; i += BLOCK) this.blocks.push({ paths: sorted.slice(i, i + BLOCK) });
    this.size = sorted.length;
  }

  *all(): Generator<string> {
    for (const b of this.blocks) yield* b.paths;
  }

  snapshot(): string[][] {
    return this.blocks.map((b) => b.paths);
  }

  /** The blocks' texts (made for blocks new since last time). */
  texts(): string[] {
    return this.blocks.map((b) => (b.text ??= b.paths.every((p) => AS_IS.test(p))
      // Paths JSON writes as they are (nearly all) are joined at once, without a string per line.
      ? `${INDENT}"${b.paths.join(`",\n${INDENT}"`)}"`
      : b.paths.map((p) => `${INDENT}${JSON.stringify(p)}`).join(',\n')));
  }

  /** The block that holds `p` or would: the first whose last path is not before it (else the last block). */
  private blockOf(p: string): number {
    return Math.min(firstNotBefore(this.blocks.length, (i) => this.blocks[i]!.paths.at(-1)! < p), this.blocks.length - 1);
  }

  delete(p: string): void {
    if (!this.blocks.length) return;
    const b = this.blockOf(p);
    const paths = this.blocks[b]!.paths;
    const i = firstNotBefore(paths.length, (j) => paths[j]! < p);
    if (paths[i] !== p) return;
    const next = paths.slice(0, i).concat(paths.slice(i + 1));
    if (next.length) this.blocks[b] = { paths: next };
    else this.blocks.splice(b, 1);
    this.size--;
  }

  /** Puts `p` in its place; false when it is there already. */
  insert(p: string): boolean {
    if (!this.blocks.length) this.blocks.push({ paths: [] });
    const b = this.blockOf(p);
    const paths = this.blocks[b]!.paths;
    const i = firstNotBefore(paths.length, (j) => paths[j]! < p);
    if (paths[i] === p) return false;
    const next = paths.slice(0, i).concat(p, paths.slice(i));
    this.blocks.splice(b, 1, ...(next.length > 2 * BLOCK ? [{ paths: next.slice(0, BLOCK) }, { paths: next.slice(BLOCK) }] : [{ paths: next }]));
    this.size++;
    return true;
  }
}

/** Binary search over 0…length-1, `before` true for a prefix: the first index it is false for (length if none). */
function firstNotBefore(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A record's files by the document they name. */
function byDocument(r: FilesRecord): Map<string, FileEntry[]> {
  const m = new Map<string, FileEntry[]>();
  for (const f of r.files) {
    if (f.doc === undefined) continue;
    const l = m.get(f.doc);
    if (l) l.push(f);
    else m.set(f.doc, [f]);
  }
  return m;
}

const sameList = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
