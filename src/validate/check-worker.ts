/**
 * Worker thread of check.ts: checks its share of the files (layers 1 and 2 in
 * one parse each) and posts each file's result, then `done`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSchema, SchemaError } from './rng/schema.js';
import { checkFile, fileToWire, type CheckTask, type WorkerReply } from './check.js';

const task = workerData as CheckTask;
const post = (m: WorkerReply) => parentPort!.postMessage(m);

try {
  // The main thread writes the schema cache when it had to compile.
  const schema = task.schema ? loadSchema(task.schema, { writeCache: false }) : undefined;
  for (let i = 0; i < task.files.length; i++) {
    const f = task.files[i]!;
    post({ kind: 'file', index: i, file: fileToWire(await checkFile(f.file, f.displayPath, task.load, schema, task.rng)) });
  }
  post({ kind: 'done' });
} catch (error) {
  const e = error as Error;
  post({ kind: 'error', message: e.message ?? String(error), schemaError: e instanceof SchemaError ? { file: e.file, line: e.line } : undefined });
}
