/**
 * Stage "manifest": `manifest.json`, the inventory of a build — each document's
 * outputs by kind, and every file of the edition, sorted.
 *
 * It is made from the build's render records (per document and per edition-wide
 * part, per format: src/cache.ts RenderRecord). An edition of 10 000 letters has
 * ~480 000 files, and sorting and serialising them all again after a one-letter
 * edit costs most of a second; a `ManifestMaker` kept between the builds of a
 * watcher remembers the sorted list and each document's entry, and after an edit
 * only the records that are not the same objects as last time (a carried-over
 * record is) are looked at. The text is byte for byte what
 * `JSON.stringify(manifest, null, 2)` gives (test/manifest.test.ts).
 */
import { joined, type Chunks, type OutputFile } from '../model.js';

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
  private records = new Set<FilesRecord>();
  private sorted: string[] = [];
  /** The sorted paths as the lines of the "files" array, joined. */
  private filesText = '';
  /** Each record's files by the document they name (once per record: a carried-over record is the same object). */
  private grouped = new WeakMap<FilesRecord, Map<string, FileEntry[]>>();

  private byDocument(r: FilesRecord): Map<string, FileEntry[]> {
    let m = this.grouped.get(r);
    if (!m) this.grouped.set(r, (m = byDocument(r)));
    return m;
  }

  /**
   * The manifest of a build: `docs` in edition order, `records` every render record of the build
   * (documents' and edition-wide parts'). Gives the object and its text (with a final newline), in pieces.
   */
  make(title: string, docs: ManifestSource[], records: FilesRecord[]): { manifest: Manifest; chunks: Chunks } {
    const now = new Set(records);
    // The sorted file list: the files of records gone since last time out, those of new records in.
    const gone = new Set<string>();
    for (const r of this.records) if (!now.has(r)) for (const f of r.files) gone.add(f.path);
    const added: string[] = [];
    for (const r of now) if (!this.records.has(r)) for (const f of r.files) added.push(f.path);
    // A rebuilt document or part usually gives the same paths as before: nothing to re-sort then.
    const same = gone.size === added.length && added.every((p) => gone.has(p));
    if (!same || !this.filesText) {
      // One pass: the paths gone out, the new ones (sorted) in.
      const add = added.sort();
      const sorted: string[] = [];
      let j = 0;
      for (const p of this.sorted) {
        while (j < add.length && add[j]! < p) sorted.push(add[j++]!);
        if (gone.has(p)) continue;
        // A file carried over whose path a file made in this build has (the writer does not note the
        // paths it carries over in place: src/stages/write.ts keepAll).
        if (add[j] === p) throw new Error(`two outputs want the same path: ${p}`);
        sorted.push(p);
      }
      while (j < add.length) sorted.push(add[j++]!);
      this.sorted = sorted;
      // Paths JSON writes as they are (nearly all) are joined at once, without a string per line.
      this.filesText = sorted.every((p) => AS_IS.test(p))
        ? `${INDENT}"${sorted.join(`",\n${INDENT}"`)}"`
        : sorted.map((p) => `${INDENT}${JSON.stringify(p)}`).join(',\n');
    }
    this.records = now;

    // The records that gave each document files (by the document the files name).
    const byDoc = new Map<string, FilesRecord[]>();
    for (const r of records) {
      for (const doc of this.byDocument(r).keys()) {
        const l = byDoc.get(doc);
        if (l) l.push(r);
        else byDoc.set(doc, [r]);
      }
    }
    const memo = new Map<string, DocMemo>();
    const documents: ManifestDocument[] = [];
    const texts: string[] = [];
    for (const d of docs) {
      const own = byDoc.get(d.id) ?? [];
      const fields = JSON.stringify([d.title, d.date, d.source]);
      const known = this.docs.get(d.id);
      let m: DocMemo;
      if (known && known.fields === fields && sameList(known.records, own)) m = known;
      else {
        const outputs: Record<string, string | string[]> = {};
        for (const f of own.flatMap((r) => this.byDocument(r).get(d.id)!).sort((a, b) => a.path.localeCompare(b.path))) {
          const prev = outputs[f.kind];
          outputs[f.kind] = prev === undefined ? f.path : Array.isArray(prev) ? [...prev, f.path] : [prev, f.path];
        }
        const entry: ManifestDocument = { id: d.id, title: d.title, date: d.date, source: d.source, outputs };
        m = { fields, records: own, entry, text: entryText(entry) };
      }
      memo.set(d.id, m);
      documents.push(m.entry);
      texts.push(m.text);
    }
    this.docs = memo;

    // The text in pieces (Chunks, written one after the other: at 10 000 letters it is 50 MB).
    const chunks = [`{\n  "title": ${JSON.stringify(title)},\n`];
    if (texts.length) chunks.push('  "documents": [\n', ...joined(texts, ',\n'), '\n  ],\n');
    else chunks.push('  "documents": [],\n');
    chunks.push(this.sorted.length ? `  "files": [\n${this.filesText}\n  ]\n}\n` : '  "files": []\n}\n');
    return { manifest: { title, documents, files: this.sorted }, chunks };
  }
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
