/**
 * Worker thread of check.ts: loads the schema at once, then checks the files
 * it is sent (layers 1 and 2 in one parse each), posting each file's result,
 * then `done`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSchema, SchemaError, type CompiledSchema } from './rng/schema.js';
import { checkFile, fileToWire, type CheckSetup, type CheckTask, type WorkerReply } from './check.js';

const setup = workerData as CheckSetup;
const post = (m: WorkerReply) => parentPort!.postMessage(m);
const failure = (error: unknown): WorkerReply => {
  const e = error as Error;
  return { kind: 'error', message: e?.message ?? String(error), schemaError: e instanceof SchemaError ? { file: e.file, line: e.line } : undefined };
};

// The main thread writes the schema cache when it had to compile.
let schema: CompiledSchema | undefined;
let schemaFailure: unknown;
try {
  schema = setup.schema ? loadSchema(setup.schema, { writeCache: false }) : undefined;
} catch (error) {
  schemaFailure = error;
}

parentPort!.once('message', async ({ files }: { files: CheckTask['files'] }) => {
  if (schemaFailure !== undefined) return post(failure(schemaFailure));
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      post({ kind: 'file', index: i, file: fileToWire(await checkFile(f.file, f.displayPath, setup.load, schema, setup.rng)) });
    }
    post({ kind: 'done' });
  } catch (error) {
    post(failure(error));
  }
});
