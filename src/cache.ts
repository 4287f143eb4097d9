/**
 * The build cache: what an incremental build reuses from the previous one.
 *
 * - Transform entries: each document's TransformResult, stored on disk by the
 *   worker that made it, keyed by sha256 of the file's bytes + its path + a
 *   salt (package version, SaxonJS version, hash of every stylesheet module,
 *   the edition config, the task parameters). Metadata and messages
 *   (`<key>.meta.json`) are read on every build; outputs and text
 *   (`<key>.out.json`) only when a format asks for them, so memory grows with
 *   the registers, not with the text of the corpus.
 * - File fingerprints: size, mtime and inode per source file, so unchanged
 *   files are not re-hashed (a file changed less than 2 s before it was
 *   recorded is always re-hashed).
 * - Render records: per document, the key its pages were rendered with, the
 *   files they became and the messages rendering reported, so an unchanged
 *   document's files are carried over from the previous output.
 *
 * Lives in `.cache/tei-edition/builds/<hash of the corpus path>/` (or under
 * $TEI_EDITION_CACHE), never in the output folder.
 *
 * The state (fingerprints, render records, entry list, output folder times) is a
 * base file and a log of changes (`state-<salt>.json`, `state-<salt>.log`): a
 * build that changed a few documents appends what changed (one JSON line)
 * instead of writing the state of every document again (~50 MB at 10 000
 * letters); the base is rewritten when the log would grow past half its size, or
 * when another process wrote the state since this one read it. A line cut short
 * by a kill is ignored, and with it that build's records (the state then no longer
 * describes the output, and the next build does not carry its files over).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from './diagnostics.js';
import type { BuildContext } from './formats/types.js';
import type { Chunks, DocMeta, OutputFile } from './model.js';
import type { FolderTimes } from './stages/presence.js';
import type { Registry } from './stages/index.js';
import { removeTree, writeContent } from './stages/write.js';
import { transformDocument, type SerializedMessage, type TransformResult, type TransformTask } from './stages/transform.js';
import { CACHE_DIR, PACKAGE_ROOT } from './xslt/sef.js';

const require = createRequire(import.meta.url);
/** Bump when the layout of cache entries changes. */
const CACHE_FORMAT = 1;

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A derived text from the build cache when the build keeps one (BuildContext.memo), else made. */
export function memoText(ctx: Pick<BuildContext, 'memo'>, key: string, make: () => Promise<string>): Promise<string> {
  return ctx.memo ? ctx.memo(key, make) : make();
}

/**
 * An edition-wide output kept in the build cache under `key` (see memoText). When it is already
 * there, its content is read only if something asks for it — the writer, when the file is not kept
 * from the previous output — so a part that gives its files a version (OutputFile.version) can
 * give files an incremental build keeps without reading them (e.g. ~80 search shards of 1 MB at 10 000
 * letters, of which an edit changes one). One made now is given the same way, so that a build that
 * makes them all holds one at a time.
 */
export async function memoOutput(ctx: Pick<BuildContext, 'memo' | 'memoFile'>, key: string, out: Omit<OutputFile, 'content'>, make: () => Promise<string>): Promise<OutputFile> {
  let file = ctx.memoFile?.(key);
  if (file === undefined) {
    const text = await memoText(ctx, key, make);
    // Made and kept now: given, like a kept one, from its file (a full build does not hold every shard until written).
    file = ctx.memoFile?.(key);
    if (file === undefined) return { ...out, content: text };
  }
  // Read on each access, not kept: the writer asks once, and the output list does not hold them all.
  return Object.defineProperty({ ...out }, 'content', { enumerable: true, get: () => readFileSync(file, 'utf8') }) as OutputFile;
}

/** Where the cache of a corpus lives. */
export function buildCacheDir(corpusDir: string): string {
  return path.join(CACHE_DIR, 'builds', sha256(path.resolve(corpusDir)).slice(0, 16));
}

/** Versions that invalidate every entry: cache layout, tei-edition, SaxonJS. */
export function versionSalt(): string {
  if (salted === undefined) {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    const saxon = require('saxon-js/package.json') as { version: string };
    salted = `cache@${CACHE_FORMAT} tei-edition@${pkg.version} saxon-js@${saxon.version}`;
  }
  return salted;
}
/** versionSalt's answer, once per process (as require() keeps SaxonJS's package file). */
let salted: string | undefined;

/** Where the worker stores a document's result. */
export interface StoreTarget {
  /** Absolute path prefix of the entry (`…/entries/ab/abcdef…`). */
  prefix: string;
}

/**
 * What the main thread keeps of a transform: the result without outputs and text (those are on
 * disk), its metadata without the texts of passages and notes (`withoutTexts`; `fullMeta` reads them).
 */
export type SlimResult = Omit<TransformResult, 'outputs' | 'results' | 'text'>;

interface OutputsPart {
  outputs: Record<string, string>;
  results: Record<string, string>;
  text?: string;
}

async function writeAtomic(file: string, data: string | Chunks): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeContent(tmp, data);
  await rename(tmp, file);
}

/**
 * `JSON.stringify(state)` in pieces, the same text: the render records one document at a time.
 * A full build's state is ~50 MB at 10 000 letters; made as one string, then encoded whole, it
 * was the last peak of the build's memory.
 */
export function* statePieces(state: object): Generator<string> {
  let first = true;
  for (const [key, value] of Object.entries(state)) {
    if (value === undefined) continue;
    yield `${first ? '{' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (key === 'render') yield* objectPieces(value as Record<string, unknown>);
    else yield JSON.stringify(value);
  }
  yield first ? '{}' : '}';
}

/** `JSON.stringify(o)` of a plain object, a piece per member. */
function* objectPieces(o: Record<string, unknown>): Generator<string> {
  let first = true;
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined) continue;
    yield `${first ? '{' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
    first = false;
  }
  yield first ? '{}' : '}';
}

/** A stored entry file, parsed; a clear error when another build removed it. */
function readEntry<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`build cache entry ${file} is missing or unreadable (another build removed it?); run again, or with --no-cache`, { cause: error });
  }
}

/** Stores a document's result (called in the worker); returns the slim part as the JSON text stored (`.meta.json`). */
export async function storeResult(target: StoreTarget, r: TransformResult): Promise<string> {
  const texts = entryTexts(r);
  await writeEntry(target, texts);
  return texts.meta;
}

/** A result's two entry files as text: its outputs, secondary results and text (`.out.json`), and the rest (`.meta.json`). */
function entryTexts(r: TransformResult): { out: string; meta: string } {
  const { outputs, results, text, ...slim } = r;
  return { out: JSON.stringify({ outputs, results, text } satisfies OutputsPart), meta: JSON.stringify(slim) };
}

/** Writes an entry's files: outputs first (a meta file is only ever seen with its outputs beside it). */
async function writeEntry(target: StoreTarget, texts: { out: string; meta: string }): Promise<void> {
  await mkdir(path.dirname(target.prefix), { recursive: true });
  await writeAtomic(`${target.prefix}.out.json`, texts.out);
  await writeAtomic(`${target.prefix}.meta.json`, texts.meta);
}

/** A message reported while rendering a document's files, stored so an incremental build reports it again. */
export interface StoredMessage extends SerializedMessage {
  file: string;
  url?: string;
}

/**
 * A message as the cache keeps it: its file absolute (revived so; the pipeline's `report` names files
 * relative to the working directory of the build that reports it: what is cached must not depend on it).
 */
export function storeMessage(m: VFileMessage): StoredMessage {
  return {
    file: m.file ? path.resolve(String(m.file)) : '', reason: m.reason, line: m.line, column: m.column, ruleId: m.ruleId ?? 'unknown',
    source: m.source ?? 'tei-edition', fatal: m.fatal ?? undefined, note: m.note, expected: m.expected, url: m.url,
  };
}

export function reviveStored(s: StoredMessage): VFileMessage {
  return diagnostic(s.reason, {
    file: s.file, line: s.line, column: s.column, ruleId: s.ruleId, source: s.source,
    severity: s.fatal === true ? 'error' : s.fatal === false ? 'warning' : 'info', note: s.note, expected: s.expected, url: s.url,
  });
}

export interface RenderRecord {
  /** Hash of everything the document's files were rendered from. */
  key: string;
  files: { path: string; kind: string; doc?: string; version?: string }[];
  messages: StoredMessage[];
  /** The document's contribution to the format's edition-wide files (DocumentOutput.data), stored under this name in the cache. */
  data?: string;
  /** sha256 of that contribution (edition-wide parts that read it are made again only when it changed). */
  dataHash?: string;
}

interface Fingerprint {
  size: number;
  mtimeMs: number;
  ino: number;
  sha: string;
  /** False when the file changed too shortly before it was recorded to trust its mtime. */
  trusted: boolean;
  /** The ingest stage found a single document (no teiCorpus, no xi:include). */
  plain?: boolean;
}

interface State {
  format: number;
  files: Record<string, Fingerprint>;
  /** Output folder the render records describe, and the sha256 of its manifest.json. */
  out?: string;
  manifest?: string;
  /** Per document id, per format: how its files were made. */
  render: Record<string, Record<string, RenderRecord>>;
  /** Entry keys the last build used (older ones are removed). */
  entries?: string[];
  /** Modification times of the output's folders after the last build (src/stages/presence.ts). */
  folders?: FolderTimes;
  /** Names the base file; a log line applies to the base it names. */
  base?: string;
}

/** What changed in the state from one build to the next: one line of the state log. */
interface StateChange {
  base: string;
  out?: string;
  manifest?: string;
  /** Set (or, with null, removed) fingerprints, render records and folder times. */
  files: Record<string, Fingerprint | null>;
  render: Record<string, Record<string, RenderRecord> | null>;
  folders: Record<string, number | null> | null;
  /** Entry keys added and removed. */
  entries: { add: string[]; del: string[] };
}

/** The change from one state to the next. Records are compared by identity: a carried-over record is the same object. */
function stateChange(a: State, b: State): StateChange {
  // (Loops over keys, not Object.entries: at 10 000 letters a save compares ~10 000 files and records and ~50 000 folders.)
  const diff = <T>(x: Record<string, T>, y: Record<string, T>, same: (u: T, v: T) => boolean): Record<string, T | null> => {
    const out: Record<string, T | null> = {};
    for (const k in y) if (!(k in x) || !same(x[k]!, y[k]!)) out[k] = y[k]!;
    for (const k in x) if (!(k in y)) out[k] = null;
    return out;
  };
  const sameRecords = (u: Record<string, RenderRecord>, v: Record<string, RenderRecord>) => {
    let n = 0;
    for (const k in v) {
      if (u[k] !== v[k]) return false;
      n++;
    }
    for (const k in u) if (--n < 0 || !(k in v)) return false;
    return n === 0;
  };
  const before = new Set(a.entries ?? []);
  const after = new Set(b.entries ?? []);
  return {
    base: a.base!,
    out: b.out,
    manifest: b.manifest,
    files: diff(a.files, b.files, (u, v) => u === v),
    render: diff(a.render, b.render, sameRecords),
    folders: b.folders ? diff(a.folders ?? {}, b.folders, (u, v) => u === v) : null,
    entries: { add: [...after].filter((k) => !before.has(k)), del: [...before].filter((k) => !after.has(k)) },
  };
}

/** Applies a line of the state log to the state it was written after. */
function applyChange(s: State, c: StateChange): void {
  const apply = <T>(into: Record<string, T>, change: Record<string, T | null>) => {
    for (const [k, v] of Object.entries(change)) {
      if (v === null) delete into[k];
      else into[k] = v;
    }
  };
  s.out = c.out;
  s.manifest = c.manifest;
  apply(s.files, c.files);
  apply(s.render, c.render);
  if (c.folders === null) delete s.folders;
  else apply((s.folders ??= {}), c.folders);
  const del = new Set(c.entries.del);
  s.entries = [...(s.entries ?? []).filter((k) => !del.has(k)), ...c.entries.add].sort();
}

export interface CacheOptions {
  /** Read nothing from the cache (a full build); the new results are still stored. */
  read?: boolean;
  /** Cache folder (default: buildCacheDir(corpus)). */
  dir?: string;
}

/** In each corpus's cache folder: the corpus path, so caches of corpora that are gone can be removed. */
const CORPUS_FILE = 'corpus.txt';
let pruned = false;

/** Removes (once per process) the caches of corpora that no longer exist, e.g. of temporary test corpora. */
async function pruneOrphans(buildsDir: string): Promise<void> {
  if (pruned) return;
  pruned = true;
  let names: string[];
  try {
    names = await readdir(buildsDir);
  } catch {
    return;
  }
  for (const n of names) {
    try {
      const corpus = (await readFile(path.join(buildsDir, n, CORPUS_FILE), 'utf8')).trim();
      if (corpus && !existsSync(corpus)) await removeTree(path.join(buildsDir, n));
    } catch {
      // no corpus.txt (being written): leave it
    }
  }
}

export class BuildCache {
  private state: State = { format: CACHE_FORMAT, files: {}, render: {} };
  private readonly metas = new Map<string, SlimResult>();
  private nextFiles: Record<string, Fingerprint> = {};
  /** Whether entries may be read (false for --no-cache). */
  reading: boolean;

  private constructor(
    readonly dir: string,
    /** Everything besides a document's bytes and path that its transform depends on. */
    readonly salt: string,
    options: CacheOptions,
  ) {
    this.reading = options.read !== false;
  }

  /** Opens the cache of a corpus for builds with this salt (each salt keeps its own state). */
  static async open(corpusDir: string, salt: string, options: CacheOptions = {}): Promise<BuildCache> {
    const cache = new BuildCache(options.dir ?? buildCacheDir(corpusDir), salt, options);
    cache.corpus = path.resolve(corpusDir);
    if (cache.reading) await cache.load();
    else cache.deferred = true;
    if (!options.dir) await pruneOrphans(path.dirname(cache.dir));
    return cache;
  }

  private corpus = '';

  private get stateFile(): string {
    return path.join(this.dir, `state-${sha256(this.salt).slice(0, 16)}.json`);
  }

  private get logFile(): string {
    return this.stateFile.replace(/\.json$/, '.log');
  }

  /** Size and time of the state files as this process last read or wrote them (another writer changes them). */
  private diskStamp = '';
  private baseBytes = 0;
  private logBytes = 0;

  private stamp(): string {
    const one = (f: string) => {
      try {
        const st = statSync(f);
        return `${st.ino}:${st.size}:${st.mtimeMs}`;
      } catch {
        return '-';
      }
    };
    return `${one(this.stateFile)} ${one(this.logFile)}`;
  }

  /**
   * The saved state is not read yet: the cache was opened for a build that reads nothing from it
   * (--no-cache, a full build). Such a build needs of the previous state only what its save removes
   * (entries and contributions no longer used), so it reads the state then (`save`), once the
   * documents are rendered, and not before: at 10 000 letters the parsed state is ~150–200 MB of heap,
   * which the build would otherwise hold through the render stage, where its memory peaks.
   */
  private deferred = false;

  /** Sets whether this build reads the cache (a session's cache serves builds with and without); reads a deferred state when it does. */
  async use(reading: boolean): Promise<void> {
    this.reading = reading;
    if (reading) await this.loadDeferred();
  }

  /** Reads the saved state if its reading was deferred; true when it was. */
  private async loadDeferred(): Promise<boolean> {
    if (!this.deferred) return false;
    this.deferred = false;
    await this.load();
    return true;
  }

  private async load(): Promise<void> {
    try {
      const base = await readFile(this.stateFile, 'utf8');
      const s = JSON.parse(base) as State;
      if (s.format !== CACHE_FORMAT) return;
      this.baseBytes = base.length;
      let log = '';
      try {
        log = await readFile(this.logFile, 'utf8');
      } catch {
        // no changes since the base
      }
      this.logBytes = log.length;
      let whole = true;
      for (const line of log.split('\n')) {
        if (!line) continue;
        let change: StateChange | undefined;
        try {
          change = JSON.parse(line) as StateChange;
        } catch {
          // cut short by a kill: that build's changes are not applied
        }
        if (!change || change.base !== s.base) {
          whole = false;
          break;
        }
        applyChange(s, change);
      }
      this.state = s;
      // A log cut short is not appended to: the next save writes a new base.
      this.diskStamp = whole ? this.stamp() : '';
    } catch {
      // no state yet, or unreadable: start afresh
    }
  }

  /** Stats taken by knownPlain for the fingerprint of the same build (one stat per file, not two). */
  private readonly stats = new Map<string, { size: number; mtimeMs: number; ino: number }>();

  /**
   * Files a watcher saw change since this cache's last build (BuildSession.changed), when that build's
   * fingerprints are the saved state's: the files it does not name keep them, without a stat each
   * (10 000 letters: ~10 000 stats per save). Set for one build's fingerprints (dropStats clears it).
   */
  private changedOnly?: ReadonlySet<string>;

  /** Takes the fingerprints of files not in `changed` as they were (see changedOnly); undefined: stat every file. */
  onlyChanged(changed: ReadonlySet<string> | undefined): void {
    this.changedOnly = changed;
  }

  /** Whether a file's saved fingerprint stands without a stat (named by no change a watcher saw). */
  private unchanged(file: string): Fingerprint | undefined {
    const known = this.state.files[file];
    return this.reading && known?.trusted && this.changedOnly && !this.changedOnly.has(file) ? known : undefined;
  }

  /** Forgets the stats knownPlain took (call once the build's fingerprints are taken: the next build stats afresh). */
  dropStats(): void {
    this.stats.clear();
    this.changedOnly = undefined;
  }

  /**
   * The sha256 of a source file's bytes when it stands without a stat (no change a watcher saw names it:
   * `unchanged`), taken for this build as `fingerprint` would; else undefined (call `fingerprint`).
   */
  knownFingerprint(file: string): string | undefined {
    const same = this.unchanged(file);
    if (!same) return undefined;
    this.nextFiles[file] = same;
    return same.sha;
  }

  /** sha256 of a source file's bytes; trusts size+mtime+inode of a file recorded earlier. */
  async fingerprint(file: string): Promise<string> {
    const standing = this.knownFingerprint(file);
    if (standing !== undefined) return standing;
    let st = this.stats.get(file);
    this.stats.delete(file);
    try {
      st ??= await stat(file);
    } catch {
      return `unreadable ${Date.now()} ${Math.random()}`; // the load stage reports it; never reused
    }
    const known = this.state.files[file];
    if (this.reading && known?.trusted && known.size === st.size && known.mtimeMs === st.mtimeMs && known.ino === st.ino) {
      this.nextFiles[file] = known;
      return known.sha;
    }
    const sha = sha256(await readFile(file));
    const trusted = Date.now() - st.mtimeMs > 2000;
    this.nextFiles[file] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha, trusted };
    return sha;
  }

  /** Whether a file is, unchanged since the last build (size, mtime, inode), one the ingest stage found a single document. */
  knownPlain(file: string): boolean {
    const known = this.state.files[file];
    if (!this.reading || !known?.trusted || !known.plain) return false;
    if (this.unchanged(file)) return true;
    try {
      const st = statSync(file);
      this.stats.set(file, st);
      return known.size === st.size && known.mtimeMs === st.mtimeMs && known.ino === st.ino;
    } catch {
      return false;
    }
  }

  /** Records what the ingest stage found a file to be (saved with its fingerprint). */
  markPlain(file: string): void {
    const f = this.nextFiles[file];
    // A copy: the saved state's fingerprint may be this very object, and save() finds changes by identity.
    if (f && !f.plain) this.nextFiles[file] = { ...f, plain: true };
  }

  /** The entry key of a document: its bytes, its path, the salt. */
  entryKey(file: string, fileSha: string): string {
    const known = this.entryKeys.get(file);
    if (known?.sha === fileSha) return known.key;
    const key = sha256(`${this.salt}\n${file}\n${fileSha}`);
    this.entryKeys.set(file, { sha: fileSha, key });
    return key;
  }

  /** Each file's last entry key, with the sha256 it was made from (a watcher's build makes ~10 000 again otherwise). */
  private readonly entryKeys = new Map<string, { sha: string; key: string }>();

  target(key: string): StoreTarget {
    return { prefix: path.join(this.dir, 'entries', key.slice(0, 2), key) };
  }

  /** A stored result this process holds (read or remembered by an earlier build), if the build reads the cache. */
  heldResult(key: string): SlimResult | undefined {
    return this.reading ? this.metas.get(key) : undefined;
  }

  /** The stored result of an entry, if any (kept in memory once read). */
  async cached(key: string): Promise<SlimResult | undefined> {
    if (!this.reading) return undefined;
    const known = this.heldResult(key);
    if (known) return known;
    try {
      const slim = keptResult(JSON.parse(await readFile(`${this.target(key).prefix}.meta.json`, 'utf8')) as SlimResult);
      if (!existsSync(`${this.target(key).prefix}.out.json`)) return undefined;
      this.metas.set(key, slim);
      return slim;
    } catch {
      return undefined;
    }
  }

  /** Remembers a fresh result (from a worker) for later builds of this process. */
  remember(key: string, slim: SlimResult): void {
    this.metas.set(key, slim);
  }

  /** Forget in-memory results not in `keys` (a long-running watcher would otherwise grow). */
  retainOnly(keys: Set<string>): void {
    for (const k of this.metas.keys()) if (!keys.has(k)) this.metas.delete(k);
  }

  /** An entry's metadata with the texts of its passages and notes (read from disk each call; see `withoutTexts`). */
  fullMeta(key: string): DocMeta {
    const { prefix } = this.target(key);
    const file = `${prefix}.meta.json`;
    const held = this.held.get(prefix);
    const { meta } = held ? (JSON.parse(held.meta) as SlimResult) : readEntry<SlimResult>(file);
    if (!meta) throw new Error(`build cache entry ${file} has no metadata`);
    return meta;
  }

  /** Outputs, secondary results and text of an entry (read from disk each call). */
  outputs(key: string): OutputsPart {
    const prefix = this.target(key).prefix;
    const held = this.held.get(prefix);
    return held ? (JSON.parse(held.out) as OutputsPart) : readEntry<OutputsPart>(`${prefix}.out.json`);
  }

  /**
   * Entries being written (storeLater), by prefix: their texts, which fullMeta and outputs give until the
   * files are there.
   */
  private readonly held = new Map<string, { out: string; meta: string }>();
  /** The writes of storeLater and storeData under way; written() and save() wait for them. */
  private writes: Promise<void>[] = [];

  /**
   * Stores a transform result as storeResult does (outputs first, then the metadata), in the background:
   * gives the metadata's JSON text at once, and the entry from memory until its files are written (a
   * watcher's save transforms its letter on this thread: ~9 trips to the thread pool it no longer waits for).
   */
  storeLater(target: StoreTarget, r: TransformResult): string {
    const entry = entryTexts(r);
    this.held.set(target.prefix, entry);
    this.background(writeEntry(target, entry).finally(() => {
      if (this.held.get(target.prefix) === entry) this.held.delete(target.prefix);
    }));
    return entry.meta;
  }

  /** A write that goes on beside the build (its failure is save()'s, or written()'s, to report). */
  private background(write: Promise<void>): void {
    write.catch(() => undefined);
    this.writes.push(write);
  }

  /** Waits for the writes under way (before another thread reads the entries, e.g. the render pool). */
  async written(): Promise<void> {
    const writes = this.writes;
    this.writes = [];
    await Promise.all(writes);
  }

  /**
   * Stores a document's contribution to a format's edition-wide files; returns its name and hash for the
   * render record. When contributions are kept (keepData: a watcher's build), it is kept now, as read back,
   * and written to disk beside the rest of the build, not before the next format renders (a save's letter:
   * ~25 ms of its rendering waited for its web contribution's file); save() waits for the writes.
   */
  async storeData(renderKey: string, format: string, data: unknown): Promise<{ data: string; dataHash: string }> {
    const name = `${renderKey.slice(0, 2)}/${renderKey}.${format}.json`;
    const file = path.join(this.dir, 'data', name);
    const json = JSON.stringify(data);
    const stored = (async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeAtomic(file, json);
    })();
    if (this.keepData) {
      this.background(stored);
      this.data.set(name, { value: JSON.parse(json), read: this.builds });
    } else await stored;
    return { data: name, dataHash: sha256(json) };
  }

  /**
   * Keep the contributions read (parsed) in memory for the next build of this process: a watcher's
   * edition-wide parts then read only the edited documents' from disk (at 10 000 letters, reading
   * every exchange contribution again takes ~0.75 s). Off for a single build, whose memory they would
   * only add to. A contribution's name is the key it was rendered with, so a kept one never goes stale;
   * save() drops those the build did not read.
   */
  keepData = false;
  /**
   * The contributions kept, each with the number of the last build that read it (one lookup a read: a
   * save's edition-wide parts read ~20 000 at 10 000 letters; a set of the names read beside the map
   * took three).
   */
  private readonly data = new Map<string, { value: unknown; read: number }>();
  /** The number of this build among those of this process (save() counts them). */
  private builds = 0;

  /** A stored contribution (read from disk, or kept from an earlier build of this process: never mutate it). */
  readData(name: string): unknown {
    if (this.keepData) {
      const kept = this.data.get(name);
      if (kept) {
        kept.read = this.builds;
        return kept.value;
      }
    }
    const file = path.join(this.dir, 'data', name);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`build cache file ${file} is missing or unreadable (another build removed it?); run again, or with --no-cache`, { cause: error });
    }
    if (this.keepData) this.data.set(name, { value, read: this.builds });
    return value;
  }

  private memoUsed = new Set<string>();
  /** Memo keys this build made (their files are this build's, even when it reads nothing from the cache). */
  private memoMade = new Set<string>();

  /** The file of a memo key (a plain name: keys are `<kind>-<hash>`). */
  private memoPath(key: string): string {
    if (!/^[\w.-]+$/.test(key)) throw new Error(`unsafe memo key ${key}`);
    return path.join(this.dir, 'memo', key);
  }

  /** A derived text kept under `key` (BuildContext.memo: `<kind>-<hash>`); save() removes those of a kind this build made that it did not use. */
  async memo(key: string, make: () => Promise<string>): Promise<string> {
    const file = this.memoPath(key);
    this.memoUsed.add(key);
    if (this.reading) {
      try {
        return await readFile(file, 'utf8');
      } catch {
        // not made yet
      }
    }
    const text = await make();
    await mkdir(path.dirname(file), { recursive: true });
    await writeAtomic(file, text);
    this.memoMade.add(key);
    return text;
  }

  /** The file of the derived text kept under `key`, if it is there (BuildContext.memoFile; counts as used). */
  memoFile(key: string): string | undefined {
    const file = this.memoPath(key);
    if ((!this.reading && !this.memoMade.has(key)) || !existsSync(file)) return undefined;
    this.memoUsed.add(key);
    return file;
  }

  /**
   * Writes the state: the change from `previous` (what this process last read or wrote) as one line
   * of the log, or the whole state as a new base when there is no base yet, the log would grow past half
   * the base, or another process wrote the state since (its files are not as this process left them).
   */
  private async writeState(previous: State, next: State): Promise<void> {
    const ours = previous.base !== undefined && this.diskStamp !== '' && this.stamp() === this.diskStamp;
    // (A build that changed most documents, e.g. a full one, writes a base rather than a line as large.)
    const line = ours ? JSON.stringify(stateChange(previous, next)) + '\n' : '';
    if (ours && this.logBytes + line.length < Math.max(this.baseBytes / 2, 1 << 20)) {
      next.base = previous.base;
      await appendFile(this.logFile, line);
      this.logBytes += line.length;
    } else {
      next.base = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      let length = 0;
      const counted = function* (): Generator<string> {
        for (const piece of statePieces(next)) {
          length += piece.length;
          yield piece;
        }
      };
      await writeAtomic(this.stateFile, counted());
      await rm(this.logFile, { force: true });
      this.baseBytes = length;
      this.logBytes = 0;
    }
    this.diskStamp = this.stamp();
  }

  /** Whether the saved state describes `out`: the previous build wrote it, and its manifest is unchanged since. */
  private describes(out: string, manifestSha: string | undefined): boolean {
    return this.reading && this.state.out === out && !!manifestSha && this.state.manifest === manifestSha;
  }

  /** Every render record of the previous build (per document id, and the edition-wide parts), when it wrote `out` and it is unchanged since. */
  previousRender(out: string, manifestSha: string | undefined): Record<string, Record<string, RenderRecord>> | undefined {
    return this.describes(out, manifestSha) ? this.state.render : undefined;
  }

  /** The output's folder times recorded after the previous build, when it wrote `out` and it is unchanged since. */
  outputFolders(out: string, manifestSha: string | undefined): FolderTimes | undefined {
    return this.describes(out, manifestSha) ? this.state.folders : undefined;
  }

  /** Saves fingerprints, render records and the entry list of the build just written; removes entries no longer used. */
  async save(out: string, manifestSha: string, render: Record<string, Record<string, RenderRecord>>, usedKeys: Set<string>, folders?: FolderTimes): Promise<void> {
    // The state names this build's entries and contributions: their files are written first.
    await this.written();
    // (A deferred state is read now, for what it names, and let go: this build wrote every record anew, so its
    // state is saved whole, as a new base, and not as a change from that one.)
    if (await this.loadDeferred()) this.state = { ...this.state, base: undefined };
    const stale = (this.state.entries ?? []).filter((k) => !usedKeys.has(k));
    // Contributions of the previous records that this build's do not name. (A contribution is named by its record's
    // render key, which names its document: only the same document's record in the same format can keep it.)
    const staleData: string[] = [];
    for (const id in this.state.render) {
      const was = this.state.render[id]!;
      const now = render[id];
      for (const format in was) {
        const name = was[format]!.data;
        if (name !== undefined && now?.[format]?.data !== name) staleData.push(name);
      }
    }
    const previous = this.state;
    const next: State = { format: CACHE_FORMAT, files: this.nextFiles, out, manifest: manifestSha, render, entries: [...usedKeys].sort(), folders };
    this.state = next;
    this.nextFiles = {};
    await mkdir(this.dir, { recursive: true });
    await this.writeState(previous, next);
    if (this.corpus && !existsSync(path.join(this.dir, CORPUS_FILE))) await writeAtomic(path.join(this.dir, CORPUS_FILE), this.corpus);
    for (const n of staleData) await rm(path.join(this.dir, 'data', n), { force: true });
    for (const k of stale) {
      const { prefix } = this.target(k);
      this.metas.delete(k);
      await rm(`${prefix}.meta.json`, { force: true });
      await rm(`${prefix}.out.json`, { force: true });
    }
    this.retainOnly(usedKeys);
    for (const [name, kept] of this.data) if (kept.read !== this.builds) this.data.delete(name);
    this.builds++;
    // Of the kinds of memo this build made (the key up to its first '-'), those it did not use are stale;
    // a part carried over used none, and its memos stay.
    const memoDir = path.join(this.dir, 'memo');
    const kinds = new Set([...this.memoUsed].map((k) => k.split('-')[0]));
    for (const name of kinds.size ? await readdir(memoDir).catch(() => [] as string[]) : []) {
      if (kinds.has(name.split('-')[0]!) && !this.memoUsed.has(name)) await rm(path.join(memoDir, name), { force: true });
    }
    this.memoUsed.clear();
    this.memoMade.clear();
  }
}

/**
 * Worker body: transforms a document and, when the task names a store target, stores it and returns
 * the slim result as its JSON text. The main thread parses it (`slimResult`): the metadata of every
 * document stays there for the whole build, and JSON.parse makes it ~⅓ smaller than a structured
 * clone of the same objects (the worker's message) would be — ~70 MB less at 10 000 letters.
 */
export async function runTask(task: TransformTask): Promise<TransformResult | string> {
  const r = await transformDocument(task);
  return task.store ? storeResult(task.store, r) : r;
}

/**
 * runTask on the build's own thread for a watcher (a save's few documents): the result stored in
 * the background (BuildCache.storeLater), its JSON text given back at once.
 */
export async function runTaskHeld(task: TransformTask, cache: BuildCache): Promise<TransformResult | string> {
  const r = await transformDocument(task);
  return task.store ? cache.storeLater(task.store, r) : r;
}

/** A transform's result as runTask gives it, with the slim result's JSON text parsed (as the main thread keeps it: `keptResult`). */
export function slimResult(r: TransformResult | string): TransformResult | SlimResult {
  return typeof r === 'string' ? keptResult(JSON.parse(r) as SlimResult) : r;
}

/**
 * A stored result as the main thread keeps it for the whole build: without the texts of passages and
 * notes (`withoutTexts`), and without its mentions (each name or date in the text that points somewhere:
 * ~35 objects with an array and strings per letter, ~50 MB at 10 000 letters). Nothing in the main
 * thread reads the mentions but the digest edition-wide parts are keyed by (`mentionsDigest`), made
 * here from the whole list and kept beside the object; the parts that need them read the full metadata
 * from the build cache (`BuiltDocument.fullMeta`).
 */
export function keptResult<R extends { meta?: DocMeta }>(r: R): R {
  const slim = withoutTexts(r);
  if (!r.meta || !slim.meta) return slim;
  // (withoutTexts made the slim metadata afresh: it is this result's own to change.)
  mentionsDigests.set(slim.meta, digestOfMentions(r.meta));
  slim.meta.mentions = [];
  return slim;
}

/** sha256 of a document's mentions, dates and datelines (what the `mentions` input of edition-wide parts covers). */
function digestOfMentions(meta: DocMeta): string {
  return sha256(JSON.stringify([meta.mentions, meta.dates, meta.datelines]));
}

/** The mentions digest of each metadata object: made from the full list before `keptResult` let it go, or on first use. */
const mentionsDigests = new WeakMap<DocMeta, string>();
export function mentionsDigest(meta: DocMeta): string {
  let d = mentionsDigests.get(meta);
  if (d === undefined) mentionsDigests.set(meta, (d = digestOfMentions(meta)));
  return d;
}

/**
 * A stored result as the main thread keeps it for the whole build: the texts of its passages and
 * notes empty. They are ~40 % of a document's metadata (~50 MB at 10 000 letters, twice that in
 * scripts outside Latin-1) and only the parts that index words read them, from the build cache
 * (`BuiltDocument.fullMeta`, `withTexts`). Ids, numbers and everything else are kept.
 */
export function withoutTexts<R extends { meta?: DocMeta }>(r: R): R {
  const meta = r.meta;
  return meta ? { ...r, meta: { ...meta, passages: meta.passages.map((p) => ({ ...p, text: '' })), notes: meta.notes.map((n) => ({ ...n, text: '' })) } } : r;
}

/**
 * A document as other documents' files may see it (the outline): its metadata
 * with the ids and numbers of its passages and notes but not their text, and
 * without its mentions and dates. The interface digest hashes exactly this; the
 * render workers get part of it (`workerOutline`, src/stages/render.ts).
 */
export function outlineMeta(meta: DocMeta): DocMeta {
  return { ...withoutTexts({ meta }).meta!, mentions: [], dates: [] };
}

/** sha256 of a document's outline (outlineMeta), once per metadata object (a watcher keeps them between builds). */
const outlineDigests = new WeakMap<DocMeta, string>();
function outlineDigest(meta: DocMeta): string {
  let d = outlineDigests.get(meta);
  if (d === undefined) outlineDigests.set(meta, (d = sha256(JSON.stringify(outlineMeta(meta)))));
  return d;
}

/**
 * What a document's own files may depend on besides the document itself: the
 * config, the enabled formats and pages, every register entry, and the outline
 * of every document (`outlineMeta`). When it is unchanged, an unchanged
 * document's files are unchanged. A format whose per-document files read more of the corpus than
 * this must say so in the digest (see docs/architecture.md, "Incremental builds").
 */
export function interfaceDigest(ctx: BuildContext, pages: Iterable<string>): string {
  const head = JSON.stringify({ config: ctx.config, formats: [...ctx.formats].sort(), pages: [...pages].sort(), corpus: ctx.corpusDir });
  const registry = ctx.registry;
  // A registry derived from the last one (a watcher's build after an edit of words): the digest is the last
  // one's when each replaced document's line is the same (the entries and the other lines are the same).
  const from = registry.derivedFrom;
  const last = from && interfaceDigests.get(from.base);
  let digest: string;
  if (last?.head === head && from!.replaced.every(({ then, now }) => outlineLine(ctx.corpusDir, then) === outlineLine(ctx.corpusDir, now))) digest = last.digest;
  else {
    const h = createHash('sha256');
    h.update(head);
    // Hashed as a few long strings, not 10 000 short ones (each update is a call into the hash).
    h.update(registry.entriesText());
    // The documents' ids and files (relative to the corpus, not as displayed: a build started from another
    // working directory carries the same files over) are in their outline lines: ctx.documents are the
    // registry's documents, in its order.
    h.update([...registry.registerFiles, ...registry.documents].map((d) => outlineLine(ctx.corpusDir, d)).join(''));
    digest = h.digest('hex');
  }
  interfaceDigests.set(registry, { head, digest });
  return digest;
}

/** Each registry's interface digest, with the head it was made with (config, formats, pages, corpus). */
const interfaceDigests = new WeakMap<Registry, { head: string; digest: string }>();

/** A document's line of the interface digest, once per metadata object, id and corpus folder (a watcher keeps them). */
const outlineLines = new WeakMap<DocMeta, { id: string; file: string; corpusDir: string; line: string }>();
function outlineLine(corpusDir: string, d: { id: string; file: string; meta: DocMeta }): string {
  const known = outlineLines.get(d.meta);
  if (known && known.id === d.id && known.file === d.file && known.corpusDir === corpusDir) return known.line;
  const line = `${d.id}\t${path.relative(corpusDir, d.file)}\t${outlineDigest(d.meta)}\n`;
  outlineLines.set(d.meta, { id: d.id, file: d.file, corpusDir, line });
  return line;
}
