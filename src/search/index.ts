/**
 * Static full-text search: at build time the records (src/search/records.ts)
 * go into MiniSearch indexes, one per shard of a few hundred documents
 * (`search/s-<hash>.json`, listed in `search/index.json` with the hash of
 * their content, which the browser puts in the URL it fetches); the browser
 * (assets/search.js) loads them with the same term processing and merges the
 * hits (assets/search-options.js, one definition for both sides), so search is
 * case- and diacritic-insensitive and needs no server process. Shards keep an
 * incremental build from indexing the whole edition again after one edit.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import createDebug from 'debug';
import MiniSearch from 'minisearch';
import { Piscina } from 'piscina';
import { memoOutput, sha256 } from '../cache.js';
import { withTexts, type BuildContext, type BuiltDocument } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { referencedIds } from '../site/references.js';
import { warmThread, workerEntry } from '../workers.js';
import { indexRecords, OPTIONS_FILE, searchOptions, type SearchOptionsModule } from './indexer.js';
import { documentSearchRecords, numberRecords, registerSearchRecords, type SearchRecord, type SearchRecordData } from './records.js';

export { indexRecords, searchOptions, type SearchOptionsModule };

const debug = createDebug('tei-edition:build');

/** The search manifest: which index shards the browser loads (file names relative to search/). */
export const SEARCH_INDEX = 'search/index.json';

/**
 * Documents per shard, on average. Shard boundaries are content-defined (after
 * a document whose id hashes to 0 modulo this): an edit remakes one shard, and
 * adding or removing a document moves no boundary but its own — so an
 * incremental build indexes a few hundred documents, not the whole edition.
 */
export const SHARD_DOCS = 128;

/**
 * At most this many documents per shard: a run without a content-defined boundary is cut by count
 * (the sizes of content-defined runs are geometric: at 10 000 letters up to 462, and the shard of a
 * letter picked at random had ~226 on average; a save re-indexes its letter's shard). Adding or
 * removing a document in such a run moves the cuts by count after it, up to the run's end.
 */
export const MAX_SHARD_DOCS = 2 * SHARD_DOCS;

export interface SearchManifest {
  version: 2;
  /**
   * The shards, each a file in search/ and the hash of what its index is made from (the browser
   * fetches `<file>?v=<hash>`: a cache that keeps URLs for ever never serves a shard's old index).
   */
  shards: { file: string; hash: string }[];
}

/** The installed MiniSearch package: its folder and package.json (its CommonJS entry is dist/cjs/index.cjs). */
export function minisearchPackage(): { root: string; version: string; license: string } {
  const root = path.resolve(path.dirname(createRequire(import.meta.url).resolve('minisearch')), '..', '..');
  return { root, ...(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; license: string }) };
}

/** What an index depends on besides its records: the term processing and the MiniSearch version. */
let indexSalt: string | undefined;
function salt(): string {
  indexSalt ??= sha256(`${readFileSync(OPTIONS_FILE, 'utf8')}\nminisearch@${minisearchPackage().version}`);
  return indexSalt;
}

/** Whether a shard ends after the document of this id (content-defined), remembered per id (a watcher asks for the same 10 000 each save). */
const boundaries = new Map<string, boolean>();
function isBoundary(id: string): boolean {
  let b = boundaries.get(id);
  if (b === undefined) {
    if (boundaries.size >= 1_000_000) boundaries.clear();
    boundaries.set(id, (b = parseInt(sha256(id).slice(0, 8), 16) % SHARD_DOCS === 0));
  }
  return b;
}

/** The documents of each shard, in edition order, cut at content-defined boundaries. */
function shardDocuments(ctx: BuildContext): BuildContext['documents'][] {
  const shards: BuildContext['documents'][] = [];
  let current: BuildContext['documents'] = [];
  for (const d of ctx.documents) {
    current.push(d);
    if (current.length >= MAX_SHARD_DOCS || isBoundary(d.id)) {
      shards.push(current);
      current = [];
    }
  }
  if (current.length) shards.push(current);
  return shards;
}

/** The records of each shard: documents in edition order, cut at content-defined boundaries; the register entries last. */
export function shardRecords(ctx: BuildContext): SearchRecordData[][] {
  const shards = shardDocuments(ctx).map((docs) => docs.flatMap((d) => documentSearchRecords(d.id, withTexts(d))));
  const registers = registerSearchRecords(ctx);
  if (registers.length) shards.push(registers);
  return shards;
}

/**
 * The search manifest and one MiniSearch index per shard. A shard's file is named by the ids of
 * its documents (`search/s-<hash>.json`; the register entries' shard is `search/registers.json`),
 * so an edit of a document's words leaves every name, and the edition's file list (manifest.json),
 * as it was; the manifest gives each shard the hash of what its index is made from, and a shard
 * whose hash did not change keeps its bytes, its index coming from the build cache (ctx.memo).
 * A shard of documents whose keys the pipeline gives (BuiltDocument.key: what their metadata was
 * made from) is hashed by their ids and keys, so an edit hashes the ids and keys of the edition, not
 * the text of every record; its records are made only when its index is (a shard that lacks a key
 * is hashed by its records).
 */
export async function searchFiles(ctx: BuildContext): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  const shards = documentShards(ctx);
  const registers = registerShard(ctx);
  if (registers.records.length) shards.push({ file: REGISTERS_SHARD, name: registers.name, hash: registers.hash, records: () => registers.records });
  const hashes = shards.map(shardHash);
  // Shards a watcher's save began to index before the documents were rendered (prepareSearch).
  const started = early;
  early = new Map();
  // Shards to index (not in the build cache): several at once on worker threads when there are enough.
  const toMake = hashes.filter((h) => ctx.memoFile?.(`search-${h}`) === undefined).length;
  const jobs = Math.max(1, ctx.jobs ?? 1);
  const pool = jobs > 1 && toMake >= MIN_SHARDS_FOR_WORKERS ? indexingPool(jobs) : undefined;
  // A shard too large for a thread's heap is indexed here instead.
  const index = (records: SearchRecord[]): Promise<string> => pool
    ? (pool.run({ records }) as Promise<string>).catch((error: { code?: string }) => (error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? indexRecords(records) : Promise.reject(error)))
    : indexRecords(records);
  try {
    const out: OutputFile[] = new Array(shards.length);
    let next = 0;
    await Promise.all(Array.from({ length: pool ? jobs : 1 }, async () => {
      for (let i = next++; i < shards.length; i = next++) {
        const hash = hashes[i]!;
        const records = () => numberRecords([shards[i]!.records()]);
        const ahead = started.get(hash);
        // (Should the thread that began it have failed, the shard is indexed here.)
        const make = ahead ? () => (debug('search: shard %s indexed ahead', hash), ahead.catch(() => index(records()))) : () => index(records());
        out[i] = await memoOutput(ctx, `search-${hash}`, { path: `search/${shards[i]!.file}`, kind: 'search-index', version: hash }, make);
      }
    }));
    files.push(...out);
  } finally {
    await pool?.destroy();
  }
  const manifest: SearchManifest = { version: 2, shards: shards.map((shard, i) => ({ file: shard.file, hash: hashes[i]! })) };
  return [{ path: SEARCH_INDEX, content: JSON.stringify(manifest) + '\n', kind: 'search-index' }, ...files];
}

/** The file of the register entries' shard (in search/). */
const REGISTERS_SHARD = 'registers.json';

/** A shard: its file (in search/), what its hash is made from, and its records (made when its index is). */
interface Shard {
  file: string;
  name: string;
  records: () => SearchRecordData[];
  /** Its hash (shardHash), when known already. */
  hash?: string;
}

/**
 * The keyed document shards last made, by place, with the ids and keys they were made from: a watcher's
 * save makes the same shards but one, whose file name, name and hash are then not made again (at 10 000
 * letters ~1 MB of names joined and hashed, twice a save: ~25 ms each).
 */
let lastShards: { ids: string[]; keys: string[]; file: string; name: string; hash: string }[] = [];

/**
 * The shards of documents, each in a file named by its documents' ids. One whose documents the
 * pipeline gives keys (BuiltDocument.key: what their metadata was made from) is hashed by their ids
 * and keys; one that lacks a key, by its records.
 */
function documentShards(ctx: BuildContext): Shard[] {
  const last = lastShards;
  const keyed: typeof lastShards = [];
  const shards = shardDocuments(ctx).map((docs, i): Shard => {
    const make = () => recordsOf(ctx, docs);
    if (docs.every((d) => d.key)) {
      const was = last[i];
      if (was && was.ids.length === docs.length && docs.every((d, j) => d.id === was.ids[j] && d.key === was.keys[j])) {
        keyed.push(was);
        return { file: was.file, name: was.name, hash: was.hash, records: make };
      }
      const ids = docs.map((d) => d.id);
      const keys = docs.map((d) => d.key!);
      const name = `keys\n${ids.map((id, j) => `${id}\t${keys[j]}`).join('\n')}`;
      const made = { ids, keys, file: shardFile(ids), name, hash: nameHash(name) };
      keyed.push(made);
      return { file: made.file, name, hash: made.hash, records: make };
    }
    const records = make();
    return { file: shardFile(docs.map((d) => d.id)), name: JSON.stringify(numberRecords([records])), records: () => records };
  });
  // (Kept only while every shard is keyed: places shift otherwise.)
  lastShards = keyed.length === shards.length ? keyed : [];
  return shards;
}

/**
 * A watcher's search records of the documents of the shard it made last, by document id and key (what
 * its metadata was made from): a save makes its letter's shard again, ~200 documents of which one changed,
 * whose full metadata would otherwise each be read from the build cache again.
 */
let lastRecords = new Map<string, SearchRecordData[]>();

/** The search records of a shard's documents, in order. */
function recordsOf(ctx: BuildContext, docs: readonly BuiltDocument[]): SearchRecordData[] {
  if (!ctx.session || !docs.every((d) => d.key)) return docs.flatMap((d) => documentSearchRecords(d.id, withTexts(d)));
  const made = new Map<string, SearchRecordData[]>();
  const records = docs.flatMap((d) => {
    const key = `${d.id}\n${d.key}`;
    const own = lastRecords.get(key) ?? documentSearchRecords(d.id, withTexts(d));
    made.set(key, own);
    return own;
  });
  lastRecords = made;
  return records;
}

/** A document shard's file (in search/), named by its documents' ids. */
const shardFile = (ids: string[]): string => `s-${sha256(`ids\n${ids.join('\n')}`).slice(0, 20)}.json`;

/** The hash of what a shard's index is made from: its version in the search manifest, and its build-cache memo's name. */
const shardHash = (shard: Shard): string => shard.hash ?? nameHash(shard.name);
const nameHash = (name: string): string => sha256(`${salt()}\n${name}`).slice(0, 20);

/** Indexes of document shards begun before the documents were rendered, by shard hash (prepareSearch). */
let early = new Map<string, Promise<string>>();

/**
 * A watcher's thread for the shards a save indexes ahead (prepareSearch), started and warmed by its
 * warm-up (a cold thread indexes a shard four times slower than a warm one). An idle Piscina thread
 * keeps no process alive.
 */
let aheadIndexer: Piscina | undefined;

/**
 * Begins indexing, on the watcher's indexing thread, the document shards not in the build cache, when
 * they are a few (a save: its letter's shard, ~200 documents, ~0.2 s): a shard's records come from
 * the documents' metadata alone, so it is indexed on the second core while the documents render and
 * the other edition-wide parts are made (Format.prepare). The search part takes the index if its
 * shard's hash is still the same (its documents and their keys: a document whose rendering failed leaves
 * the edition, and its shard is another).
 */
export function prepareSearch(ctx: BuildContext): void {
  early = new Map();
  const indexer = aheadIndexer;
  if (!indexer || !ctx.session || (ctx.jobs ?? 1) < 2 || !ctx.memoFile) return;
  const missing = documentShards(ctx)
    .filter((shard) => shard.name.startsWith('keys\n'))
    .map((shard) => ({ shard, hash: shardHash(shard) }))
    .filter(({ hash }) => ctx.memoFile!(`search-${hash}`) === undefined);
  if (missing.length >= MIN_SHARDS_FOR_WORKERS) return;
  for (const { shard, hash } of missing) {
    const run = indexer.run({ records: numberRecords([shard.records()]) }) as Promise<string>;
    run.catch(() => undefined); // (taken, or not, by the search part; a failure is its to handle)
    early.set(hash, run);
  }
}

/** A watcher's last shard of register entries, with what it was made from. */
let lastRegisters: { inputs: string; records: SearchRecordData[]; name: string; hash: string } | undefined;

/**
 * The records of the register entries' shard, its name (its records as JSON) and its hash. They depend on the
 * entries and on which of them the documents refer to: a watcher's build in which both are as in the
 * last one takes them as they were (at 10 000 letters, ~2 500 entries and ~300 000 references: ~0.1 s
 * a save otherwise).
 */
function registerShard(ctx: BuildContext): { records: SearchRecordData[]; name: string; hash: string } {
  const inputs = ctx.session ? `${ctx.registry.entriesText()}\n${JSON.stringify(referencedIds(ctx))}` : '';
  if (ctx.session && lastRegisters?.inputs === inputs) return lastRegisters;
  const records = registerSearchRecords(ctx);
  const name = JSON.stringify(numberRecords([records]));
  // (Its hash with it: at 10 000 letters the name is ~2 MB, hashed ~10 ms.)
  const made = { inputs, records, name, hash: nameHash(name) };
  lastRegisters = ctx.session ? made : undefined;
  return made;
}

/**
 * A watcher's warm-up (Format.warmUp): the register entries' shard made (its records kept for the
 * first save, whose edit of words leaves them as they are), and one document's records indexed and
 * dropped (MiniSearch and the term processing loaded and run once on this thread); with a second
 * core, the indexing thread for a save's shard started, and warmed by indexing the first shard.
 */
export async function warmUpSearch(ctx: BuildContext): Promise<void> {
  let warming: Promise<unknown> | undefined;
  if (ctx.session && (ctx.jobs ?? 1) > 1) {
    // The thread for a save's shard (prepareSearch), warmed by indexing the first shard (WARM_RUNS times), side by side with the rest.
    aheadIndexer ??= new Piscina({ filename: workerEntry(import.meta.url, 'worker'), minThreads: 1, maxThreads: 1, resourceLimits: { maxOldGenerationSizeMb: INDEXING_HEAP_MB } });
    const [shard] = documentShards(ctx);
    if (shard) warming = warmThread(aheadIndexer, { records: numberRecords([shard.records()]) }).catch(() => undefined);
  }
  registerShard(ctx);
  const first = ctx.documents[0];
  if (first) await indexRecords(numberRecords([documentSearchRecords(first.id, withTexts(first))]));
  await warming;
}

/** The watcher's thread for the shards a save indexes ahead, once its warm-up started it (tests). */
export function searchThread(): Piscina | undefined {
  return aheadIndexer;
}

/** Below this many shards to index, a pool's start costs more than it saves (a one-letter edit remakes one). */
const MIN_SHARDS_FOR_WORKERS = 4;

/**
 * Threads that index shards (src/search/worker.ts: MiniSearch only). Indexing makes much short-lived
 * garbage; in threads of their own, with a bounded heap each, it does not swell the build's heap,
 * and shards are indexed side by side.
 */
function indexingPool(jobs: number): Piscina {
  return new Piscina({ filename: workerEntry(import.meta.url, 'worker'), minThreads: jobs, maxThreads: jobs, idleTimeout: 1000, resourceLimits: { maxOldGenerationSizeMb: INDEXING_HEAP_MB } });
}

/** Heap bound of an indexing thread: a shard's index of ~128 letters needs a few tens of MB. */
const INDEXING_HEAP_MB = 256;

/** Loads a built edition's search index (tests, tools): its shards, searched together as the browser does. */
export async function loadSearchIndex(outDir: string): Promise<{ index: { search: (q: string, o?: SearchOptionsModule['SEARCH_OPTIONS']) => ReturnType<MiniSearch<SearchRecord>['search']> }; shards: MiniSearch<SearchRecord>[]; options: SearchOptionsModule }> {
  const options = await searchOptions();
  const manifest = JSON.parse(readFileSync(path.join(outDir, SEARCH_INDEX), 'utf8')) as SearchManifest;
  const shards = manifest.shards.map(({ file }) => MiniSearch.loadJSON<SearchRecord>(readFileSync(path.join(outDir, 'search', file), 'utf8'), options.OPTIONS));
  return { index: { search: (q, o) => options.searchShards(shards, q, o ?? options.SEARCH_OPTIONS) }, shards, options };
}
