/**
 * Worker-thread entry for the pool: SaxonJS and the compiled stylesheets load once
 * per worker; so do the corpus outline and the formats for rendering (src/xslt/run.ts caches them per thread). A task with a store target
 * writes its result to the build cache here and sends back only metadata.
 */
import path from 'node:path';
import { runTask } from './cache.js';
import { renderTask, type RenderTask } from './stages/render.js';
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

/** Pool tasks: a document's transform (src/stages/transform.ts), or its rendering (src/stages/render.ts). */
export default function run(task: TransformTask | RenderTask) {
  if ('kind' in task && task.kind === 'render') return renderTask(task);
  crashHook(task as TransformTask);
  return runTask(task as TransformTask);
}
