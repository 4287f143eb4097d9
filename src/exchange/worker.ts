/**
 * Worker-thread entry of a watcher's export thread (src/formats/exchange.ts `ahead`): one document's
 * exchange transform. Loads SaxonJS and the exchange stylesheet only, and keeps the last context
 * document it parsed (a watcher's saves send the same one).
 */
import { exportTask, type ExportTask } from './run.js';

export default function run(task: ExportTask) {
  return exportTask(task);
}
