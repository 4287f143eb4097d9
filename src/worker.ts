/**
 * Worker-thread entry for the pool: SaxonJS and the compiled stylesheets load once
 * per worker (src/xslt/run.ts caches them per thread). A task with a store target
 * writes its result to the build cache here and sends back only metadata.
 */
import path from 'node:path';
import { runTask } from './cache.js';
import type { TransformTask } from './stages/transform.js';

/**
 * TEST-ONLY fault injection (test/faults.test.ts): when TEI_EDITION_CRASH_ON names
 * a corpus file (its base name), the worker handling it dies (`process.exit`), or
 * throws when the value is prefixed `throw:`. It has no effect unless the variable
 * is set, and only in pool workers (`--jobs` > 1).
 */
function crashHook(task: TransformTask): void {
  const spec = process.env.TEI_EDITION_CRASH_ON;
  if (!spec) return;
  const name = path.basename(task.file);
  if (spec === name) process.exit(70);
  if (spec === `throw:${name}`) throw new Error(`simulated worker fault (TEI_EDITION_CRASH_ON) on ${name}`);
}

export default function run(task: TransformTask) {
  crashHook(task);
  return runTask(task);
}
