/**
 * Making one search index: the shared term processing (the asset the browser
 * also loads) and MiniSearch. Kept apart from src/search/index.ts so that a
 * worker thread indexing shards (src/search/worker.ts) loads only this.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import type { SearchRecord } from './records.js';

export interface SearchOptionsModule {
  OPTIONS: ConstructorParameters<typeof MiniSearch<SearchRecord>>[0];
  SEARCH_OPTIONS: Parameters<MiniSearch<SearchRecord>['search']>[1];
  fold(s: string): string;
  searchShards(shards: MiniSearch<SearchRecord>[], query: string, options?: Parameters<MiniSearch<SearchRecord>['search']>[1]): ReturnType<MiniSearch<SearchRecord>['search']>;
}

export const OPTIONS_FILE = path.join(PACKAGE_ROOT, 'assets', 'search-options.js');

/** The shared term processing, loaded from the asset the browser also loads. */
export async function searchOptions(): Promise<SearchOptionsModule> {
  return (await import(pathToFileURL(OPTIONS_FILE).href)) as SearchOptionsModule;
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
