/**
 * Worker-thread entry files: the compiled `.js` beside a module in dist/, or the
 * `.ts` source beside it when the sources run through tsx (tests, bench).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Piscina } from 'piscina';

/** The worker threads of a build: as many as asked for, else one per core. */
export function jobsOf(jobs?: number): number {
  return Math.max(1, jobs ?? cpus().length);
}

/** The entry file `name` (without extension) in the folder of the module at `moduleUrl` (its import.meta.url). */
export function workerEntry(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  return path.join(path.dirname(here), `${name}${path.extname(here) === '.ts' ? '.ts' : '.js'}`);
}

/**
 * A worker thread on the entry `name` beside the module at `moduleUrl` (see workerEntry): the
 * compiled `.js`, or the `.ts` source loaded through tsx's API when the sources run through tsx
 * (a worker thread does not inherit tsx's loader).
 */
export function startWorker(moduleUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const entry = workerEntry(moduleUrl, name);
  if (!entry.endsWith('.ts')) return new Worker(entry, options);
  // createRequire, not import.meta.resolve (the sources may be loaded as CommonJS by tsx, e.g. under
  // mocha); it finds tsx's CommonJS build of the API, the ES module build is beside it.
  const cjs = createRequire(moduleUrl).resolve('tsx/esm/api');
  const api = pathToFileURL(existsSync(cjs.replace(/\.cjs$/, '.mjs')) ? cjs.replace(/\.cjs$/, '.mjs') : cjs).href;
  const code = `import(${JSON.stringify(api)}).then((m) => (m.tsImport ?? m.default.tsImport)(${JSON.stringify(pathToFileURL(entry).href)}, ${JSON.stringify(moduleUrl)}))`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Runs of a task by which a watcher's warm-up warms the code a save runs: on its threads (the search
 * shard's indexer, the export thread) and on its own (a document's transformation and rendering).
 * V8 optimises code over its first few runs, not at once: a shard of ~128 letters indexed on a fresh
 * thread took 714, 306, 303, 190… ms. At 10 000 letters, four runs of each thread's task (against one)
 * made a watcher's first save ~0.1 s quicker, for ~1 s more of warm-up (idle time).
 */
export const WARM_RUNS = 4;

/** Runs `task` on a thread of `pool` WARM_RUNS times, one after the other (a watcher's warm-up). */
export async function warmThread(pool: Piscina, task: unknown): Promise<void> {
  for (let i = 0; i < WARM_RUNS; i++) await pool.run(task);
}
