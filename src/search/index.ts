/**
 * Static full-text search: at build time the records (src/search/records.ts)
 * go into MiniSearch indexes, one per shard of a few hundred documents
 * (`search/s-<hash>.json`, listed in `search/index.json`); the browser
 * (assets/search.js) loads them with the same term processing and merges the
 * hits (assets/search-options.js, one definition for both sides), so search is
 * case- and diacritic-insensitive and needs no server process. Shards keep an
 * incremental build from indexing the whole edition again after one edit.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { memoOutput, sha256 } from '../cache.js';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import { documentSearchRecords, numberRecords, registerSearchRecords, type SearchRecord, type SearchRecordData } from './records.js';

/** The search manifest: which index shards the browser loads (file names relative to search/). */
export const SEARCH_INDEX = 'search/index.json';

/**
 * Documents per shard, on average. Shard boundaries are content-defined (after
 * a document whose id hashes to 0 modulo this): an edit remakes one shard, and
 * adding or removing a document moves no boundary but its own — so an
 * incremental build indexes a few hundred documents, not the whole edition.
 */
export const SHARD_DOCS = 128;

export interface SearchManifest {
  version: 1;
  shards: string[];
}

export interface SearchOptionsModule {
  OPTIONS: ConstructorParameters<typeof MiniSearch<SearchRecord>>[0];
  SEARCH_OPTIONS: Parameters<MiniSearch<SearchRecord>['search']>[1];
  fold(s: string): string;
  searchShards(shards: MiniSearch<SearchRecord>[], query: string, options?: Parameters<MiniSearch<SearchRecord>['search']>[1]): ReturnType<MiniSearch<SearchRecord>['search']>;
}

const OPTIONS_FILE = path.join(PACKAGE_ROOT, 'assets', 'search-options.js');

/** The shared term processing, loaded from the asset the browser also loads. */
export async function searchOptions(): Promise<SearchOptionsModule> {
  return (await import(pathToFileURL(OPTIONS_FILE).href)) as SearchOptionsModule;
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

/**
 * Indexes records with the shared options; gives the index as JSON. The term processing (Unicode
 * folding) runs once per distinct word instead of once per occurrence: the
 * same function, remembered for the call (a corpus has far fewer distinct
 * words than words).
 */
export async function indexRecords(records: SearchRecord[]): Promise<string> {
  const { OPTIONS } = await searchOptions();
  const process = OPTIONS.processTerm!;
  const folded = new Map<string, ReturnType<typeof process>>();
  const processTerm: typeof process = (term, field) => {
    if (folded.has(term)) return folded.get(term);
    const t = process(term, field);
    folded.set(term, t);
    return t;
  };
  const index = new MiniSearch<SearchRecord>({ ...OPTIONS, processTerm });
  index.addAll(records);
  return JSON.stringify(index);
}

/** The documents of each shard, in edition order, cut at content-defined boundaries. */
function shardDocuments(ctx: BuildContext): BuildContext['documents'][] {
  const shards: BuildContext['documents'][] = [];
  let current: BuildContext['documents'] = [];
  for (const d of ctx.documents) {
    current.push(d);
    if (parseInt(sha256(d.id).slice(0, 8), 16) % SHARD_DOCS === 0) {
      shards.push(current);
      current = [];
    }
  }
  if (current.length) shards.push(current);
  return shards;
}

/** The records of each shard: documents in edition order, cut at content-defined boundaries; the register entries last. */
export function shardRecords(ctx: BuildContext): SearchRecordData[][] {
  const shards = shardDocuments(ctx).map((docs) => docs.flatMap((d) => documentSearchRecords(d.id, d.meta)));
  const registers = registerSearchRecords(ctx);
  if (registers.length) shards.push(registers);
  return shards;
}

/**
 * The search manifest and one MiniSearch index per shard, named by what it is
 * made from (`search/s-<hash>.json`): a shard whose records did not change keeps
 * its name and bytes, and its index comes from the build cache (ctx.memo).
 * A shard of documents whose keys the pipeline gives (BuiltDocument.key: what
 * their metadata was made from) is named by their ids and keys, so an edit hashes
 * the ids and keys of the edition, not the text of every record; its records are
 * made only when its index is (a shard that lacks a key is named by its records).
 */
export async function searchFiles(ctx: BuildContext): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  const names: string[] = [];
  const shards: { name: string; records: () => SearchRecordData[] }[] = shardDocuments(ctx).map((docs) => {
    const make = () => docs.flatMap((d) => documentSearchRecords(d.id, d.meta));
    if (docs.every((d) => d.key)) return { name: `keys\n${docs.map((d) => `${d.id}\t${d.key}`).join('\n')}`, records: make };
    const records = make();
    return { name: JSON.stringify(numberRecords([records])), records: () => records };
  });
  const registers = registerSearchRecords(ctx);
  if (registers.length) shards.push({ name: JSON.stringify(numberRecords([registers])), records: () => registers });
  for (const shard of shards) {
    const hash = sha256(`${salt()}\n${shard.name}`).slice(0, 20);
    names.push(`s-${hash}.json`);
    files.push(await memoOutput(ctx, `search-${hash}`, { path: `search/s-${hash}.json`, kind: 'search-index', named: 'by-content' }, async () => indexRecords(numberRecords([shard.records()]))));
  }
  const manifest: SearchManifest = { version: 1, shards: names };
  return [{ path: SEARCH_INDEX, content: JSON.stringify(manifest) + '\n', kind: 'search-index' }, ...files];
}

/** Loads a built edition's search index (tests, tools): its shards, searched together as the browser does. */
export async function loadSearchIndex(outDir: string): Promise<{ index: { search: (q: string, o?: SearchOptionsModule['SEARCH_OPTIONS']) => ReturnType<MiniSearch<SearchRecord>['search']> }; shards: MiniSearch<SearchRecord>[]; options: SearchOptionsModule }> {
  const options = await searchOptions();
  const manifest = JSON.parse(readFileSync(path.join(outDir, SEARCH_INDEX), 'utf8')) as SearchManifest;
  const shards = manifest.shards.map((name) => MiniSearch.loadJSON<SearchRecord>(readFileSync(path.join(outDir, 'search', name), 'utf8'), options.OPTIONS));
  return { index: { search: (q, o) => options.searchShards(shards, q, o ?? options.SEARCH_OPTIONS) }, shards, options };
}
