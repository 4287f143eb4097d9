/**
 * Stage "render": a document's files of the formats whose `document()` is pure
 * (html, text, cite: see Format.pureDocument) are made on the worker pool, like
 * the transforms, so that every core renders pages, not just the main thread.
 *
 * A pure `document()` reads only the document itself and the corpus outline
 * (src/cache.ts `interfaceDigest`). The main thread writes that outline once per
 * build as a *snapshot* (JSON: config, enabled formats, web pages, and of every
 * document what the Registry resolves pointers with: `workerOutline`; JSON, not
 * v8.serialize, because JSON.parse makes the same objects in about half the heap —
 * at 10 000 letters the snapshot is 7 MB, ~15 MB in each worker). Each worker reads the snapshot
 * once, rebuilds the Registry exactly as the main thread did (same documents,
 * same order) and sets the formats up; a task then names one document (its full
 * metadata, and its cache entry for the transform outputs) and the formats to
 * render, and gets back the files and the messages reported while making them.
 *
 * Rendering from the outline instead of the full corpus also enforces the
 * contract that makes incremental builds correct: a format that read more of the
 * corpus in `document()` would render differently with 1 job and with 2, and the
 * determinism tests compare those byte for byte.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256, storeMessage, type StoredMessage } from '../cache.js';
import type { EditionConfig, FormatName } from '../config.js';
import { formatsFor } from '../formats/index.js';
import type { BuildContext, BuiltDocument, DocumentOutput, Format } from '../formats/types.js';
import type { DocMeta, OutputFile } from '../model.js';
import { existingPages } from '../site/layout.js';
import { Registry } from './index.js';

export interface SnapshotDocument {
  id: string;
  file: string;
  displayPath: string;
  meta: DocMeta;
}

/**
 * What a render worker is told of every document (a task brings its own document's metadata
 * whole): what the Registry resolves pointers with — the register entries it carries, the ids
 * and numbers of its passages and notes and its other ids, whether it is a register file, the
 * date that orders the edition — and its title. The other fields are left empty: the whole
 * outline made the snapshot 28 MB, 42 MB in each worker's heap, at 10 000 letters. A format
 * whose `document()` read more of other documents would render differently with 1 job and with
 * 2 (test/determinism.test.ts).
 */
export function workerOutline(meta: DocMeta): DocMeta {
  return {
    id: meta.id, root: meta.root, title: meta.title, titles: [], lang: '', isRegister: meta.isRegister, textType: '', date: meta.date,
    authors: [], editors: [], resp: [], publisher: '', pubPlace: '', pubDate: '', licence: { text: '', url: '' }, series: [], idnos: [],
    source: {
      hasMs: false, country: '', settlement: '', institution: '', repository: '', repositoryRef: '', collection: '', idnos: [],
      locus: '', locusFrom: '', locusTo: '', witnesses: 0, bibls: [], text: '',
    },
    correspondence: [], keywords: [], entries: meta.entries,
    passages: meta.passages.map((p) => ({ id: p.id, n: p.n, kind: '', page: '', text: '' })),
    notes: meta.notes.map((n) => ({ id: n.id, n: n.n, type: '', place: '', passage: '', text: '' })),
    mentions: [], dates: [], datelines: [], pages: [], ids: meta.ids,
  };
}

export interface RenderSnapshot {
  config: EditionConfig;
  corpusDir: string;
  /** Enabled formats (setup runs for the pure ones). */
  formats: FormatName[];
  /** Web pages of this build (the navigation lists only these). */
  pages: string[];
  /** Every document and register file, in the order the main thread added them to its Registry. */
  added: SnapshotDocument[];
  /** Ids of the built documents, in edition order (ctx.documents). */
  documents: string[];
}

export interface RenderTask {
  kind: 'render';
  snapshot: string;
  doc: SnapshotDocument;
  /** Path of the transform outputs in the build cache (`<prefix>.out.json`). */
  outputs: string;
  formats: FormatName[];
}

export interface RenderResult {
  /** Per format, in the order asked: its files and the messages reported while making them. */
  formats: { name: FormatName; files: OutputFile[]; data?: unknown; messages: StoredMessage[] }[];
}

/** A format's `document()` result as files and (optional) contribution. */
export function documentOutput(out: OutputFile[] | DocumentOutput): DocumentOutput {
  return Array.isArray(out) ? { files: out } : out;
}

/**
 * Writes the snapshot of a build (atomically) and returns its path. The path is named by the
 * interface digest (which covers everything a snapshot holds) and the working directory (display
 * paths are relative to it): a snapshot already there is the same and is not written again — a
 * watcher's next build after a word edit serialises nothing, and its workers keep what they read.
 * Writing a new one removes the others.
 */
export async function writeSnapshot(dir: string, digest: string, s: () => RenderSnapshot): Promise<string> {
  const name = `snapshot-${sha256(`${digest}\n${process.cwd()}`).slice(0, 24)}.json`;
  const file = path.join(dir, name);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(s()));
  await rename(tmp, file);
  for (const other of await readdir(dir)) {
    if (other !== name && /^snapshot-\w+\.(?:json|bin)$/.test(other)) await rm(path.join(dir, other), { force: true });
  }
  return file;
}

/** The formats of a build that render in workers. */
export function workerFormats(formats: Format[]): Format[] {
  return formats.filter((f) => f.pureDocument && f.document);
}

interface WorkerState {
  snapshot: string;
  ctx: BuildContext;
  formats: Map<FormatName, Format>;
  byId: Map<string, SnapshotDocument>;
  capture: StoredMessage[];
}

let state: WorkerState | undefined;

async function open(file: string): Promise<WorkerState> {
  if (state?.snapshot === file) return state;
  const s = JSON.parse(readFileSync(file, 'utf8')) as RenderSnapshot;
  const registry = new Registry();
  for (const d of s.added) registry.add({ id: d.id, file: d.file, meta: d.meta });
  registry.finish();
  const byId = new Map(s.added.map((d) => [d.id, d]));
  const next: WorkerState = { snapshot: file, ctx: undefined as never, formats: new Map(), byId, capture: [] };
  const ctx: BuildContext = {
    config: s.config,
    corpusDir: s.corpusDir,
    registry,
    documents: s.documents.map((id) => ({ ...byId.get(id)!, outputs: {}, results: {} })),
    report: (m) => next.capture.push(storeMessage(m)),
    hooks: { documentHead: [], documentAside: [], textHeader: [] },
    formats: new Set(s.formats),
  };
  next.ctx = ctx;
  for (const f of workerFormats(formatsFor(s.formats))) {
    await f.setup?.(ctx);
    next.formats.set(f.name, f);
  }
  // The main thread decided which pages exist (from the whole corpus, mentions included).
  existingPages.clear();
  for (const p of s.pages) existingPages.add(p);
  state = next;
  return next;
}

/** Worker body of a render task. */
export async function renderTask(task: RenderTask): Promise<RenderResult> {
  const s = await open(task.snapshot);
  const part = JSON.parse(readFileSync(task.outputs, 'utf8')) as Pick<BuiltDocument, 'outputs' | 'results' | 'text'>;
  const doc: BuiltDocument = { ...task.doc, outputs: part.outputs, results: part.results, text: part.text };
  const out: RenderResult = { formats: [] };
  for (const name of task.formats) {
    const f = s.formats.get(name);
    if (!f?.document) throw new Error(`format ${name} cannot render in a worker`);
    s.capture = [];
    const { files, data } = documentOutput(await f.document(doc, s.ctx));
    out.formats.push({ name, files, ...(data === undefined ? {} : { data }), messages: s.capture });
  }
  s.capture = [];
  return out;
}
