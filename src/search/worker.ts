/**
 * Worker-thread entry of the search indexing pool (src/search/index.ts): one
 * shard's records in, its MiniSearch index (JSON) out. Loads MiniSearch and the
 * term processing only.
 */
import { indexRecords } from './indexer.js';
import type { SearchRecord } from './records.js';

export default function index(task: { records: SearchRecord[] }): Promise<string> {
  return indexRecords(task.records);
}
