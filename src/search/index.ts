/**
 * Static full-text search: at build time the records (src/search/records.ts)
 * go into a MiniSearch index, serialised to `search/index.json`; the browser
 * (assets/search.js) loads it with the same term processing
 * (assets/search-options.js, one definition for both sides), so search is
 * case- and diacritic-insensitive and needs no server process.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import { searchRecords, type SearchRecord } from './records.js';

export const SEARCH_INDEX = 'search/index.json';

export interface SearchOptionsModule {
  OPTIONS: ConstructorParameters<typeof MiniSearch<SearchRecord>>[0];
  SEARCH_OPTIONS: Parameters<MiniSearch<SearchRecord>['search']>[1];
  fold(s: string): string;
}

/** The shared term processing, loaded from the asset the browser also loads. */
export async function searchOptions(): Promise<SearchOptionsModule> {
  const file = path.join(PACKAGE_ROOT, 'assets', 'search-options.js');
  return (await import(pathToFileURL(file).href)) as SearchOptionsModule;
}

export async function buildSearchIndex(ctx: BuildContext): Promise<{ index: MiniSearch<SearchRecord>; json: string; records: number }> {
  return indexRecords(searchRecords(ctx));
}

/**
 * Indexes records with the shared options. The term processing (Unicode
 * folding) runs once per distinct word instead of once per occurrence: the
 * same function, remembered for the call (a corpus has far fewer distinct
 * words than words).
 */
export async function indexRecords(records: SearchRecord[]): Promise<{ index: MiniSearch<SearchRecord>; json: string; records: number }> {
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
  return { index, json: JSON.stringify(index), records: records.length };
}

export async function searchFiles(ctx: BuildContext): Promise<OutputFile[]> {
  const { json } = await buildSearchIndex(ctx);
  return [{ path: SEARCH_INDEX, content: json, kind: 'search-index' }];
}

/** Loads a serialised index (tests, tools) with the shared options. */
export async function loadSearchIndex(json: string): Promise<{ index: MiniSearch<SearchRecord>; options: SearchOptionsModule }> {
  const options = await searchOptions();
  return { index: MiniSearch.loadJSON<SearchRecord>(json, options.OPTIONS), options };
}
