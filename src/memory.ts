/**
 * Process-wide memory and garbage-collection settings of the command line's one-shot builds.
 *
 * V8 lets a heap grow to several times what its last full collection kept before it collects again
 * (its own choice, up to 4×, by how fast the program allocates). A build holds a few hundred MB
 * (documents' metadata, render records, register references, the workers' corpus outline and
 * citation engines) while it makes gigabytes of short-lived strings and trees, so its peak was
 * mostly garbage: at 10 000 letters the main thread's heap reached 2.0 GB with ~0.7 GB live.
 * `--heap-growing-percent` makes the growth a fixed share instead, for every heap of the process
 * (worker threads started after it is set have it too). docs/performance.md has the measurements.
 *
 * Set only when the documents are transformed and rendered on worker threads (more than one job);
 * with one job the main thread does all that work on a heap that also holds every document's
 * metadata, and collecting it that often cost 25 % (1 000 letters: 204 s against 163 s). It costs
 * the workers' transformations time too (measured later, one thread: 42–44 s → 65–66 s for 1 000
 * letters), so it is eased while they run (easedForTransforms), when the main thread holds least.
 * A watcher does not set it either: it keeps ~0.8 GB between
 * rebuilds (that is what makes them fast), and a heap held that close to its live size would be
 * collected again and again during each rebuild.
 *
 * TEI_EDITION_HEAP_GROWTH=<percent> sets another share; 0 leaves the growth to V8.
 */
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** How far past its live size a heap may grow before V8 collects it, in percent. */
export const HEAP_GROWTH_PERCENT = 20;

/** The growth bound the last call of boundHeapGrowth set, and how it set it (undefined: none). */
let bound: { percent: number; setFlags: (flags: string) => void } | undefined;

/**
 * Sets the heap growth of this process for a build on `jobs` threads (before its worker threads
 * start) from TEI_EDITION_HEAP_GROWTH, else HEAP_GROWTH_PERCENT; returns the share set, or
 * undefined when the growth is left to V8 (one job, or 0).
 */
export function boundHeapGrowth(jobs: number, env: NodeJS.ProcessEnv = process.env, setFlags: (flags: string) => void = setFlagsFromString): number | undefined {
  bound = undefined;
  if (jobs <= 1) return undefined;
  const value = env.TEI_EDITION_HEAP_GROWTH?.trim();
  const percent = value ? Number(value) : HEAP_GROWTH_PERCENT;
  if (!Number.isInteger(percent) || percent <= 0 || percent > 1000) return undefined;
  setFlags(`--heap-growing-percent=${percent}`);
  bound = { percent, setFlags };
  return percent;
}

/**
 * The heap growth while the worker threads transform the documents, in percent. A bound that tight
 * costs the transformations time, in whichever thread runs them: 1 000 letters on one thread, the
 * transform stage took 42–44 s with V8's own growth, 65–66 s with 20 %, 50 s with 50 %, 43 s with
 * 100 % (peak 0.47–0.50, 0.27–0.29, 0.30, 0.34 GB). During that stage the main thread only collects
 * the documents' metadata; the large heap it grows to later (pages written, edition-wide parts) is
 * made under the tighter bound again.
 */
export const TRANSFORM_HEAP_GROWTH_PERCENT = 100;

/**
 * Runs the transform stage of a build with the heap growth bound (if boundHeapGrowth set one, lower
 * than TRANSFORM_HEAP_GROWTH_PERCENT) eased to TRANSFORM_HEAP_GROWTH_PERCENT, and set back after it.
 * V8 reads the flag each time it sets a heap's next limit, so the change holds for the heaps of
 * every thread from their next collection on.
 */
export async function easedForTransforms<T>(stage: () => Promise<T>): Promise<T> {
  const was = bound;
  if (!was || was.percent >= TRANSFORM_HEAP_GROWTH_PERCENT) return stage();
  was.setFlags(`--heap-growing-percent=${TRANSFORM_HEAP_GROWTH_PERCENT}`);
  try {
    return await stage();
  } finally {
    was.setFlags(`--heap-growing-percent=${was.percent}`);
  }
}

/**
 * Turns V8's garbage-collection helper threads off for a build with a worker thread on every core:
 * concurrent marking (it traces the heap on helper threads while the program runs) and parallel
 * scavenging (young-generation collections split over helper threads). Both pay when a core is
 * idle; with every core running a worker (whose heaps, bounded as above, are collected often) the
 * helpers take their time from the workers instead, and each collection waits for its helpers.
 * 1 000 letters, 2 jobs on 2 cores: concurrent marking off, the transform phase 44–48 → 32–34 s
 * (the whole build ~110 → 92 s) for the same peak; then parallel scavenging off too (html, text,
 * cite, exchange), the transform stage 27.3–27.9 → 23.7–24.7 s and the build 90.2–92.2 → 80.7–86.9 s,
 * peak no higher. With one job (a core free for the helpers) concurrent marking was the other way
 * round, 36 s with and 45 s without, so one job keeps the helpers, as does a watcher (its rebuilds
 * run on the main thread). TEI_EDITION_GC_HELPERS=1 keeps them, =0 turns them off, whatever the
 * jobs. Returns whether they stay on.
 */
export function gcHelpers(jobs: number, cores: number = cpus().length, env: NodeJS.ProcessEnv = process.env, setFlags: (flags: string) => void = setFlagsFromString): boolean {
  const value = env.TEI_EDITION_GC_HELPERS?.trim();
  const on = value === '1' ? true : value === '0' ? false : jobs <= 1 || jobs < cores;
  if (!on) setFlags('--no-concurrent-marking --no-parallel-scavenge');
  return on;
}

/** The heap settings of a one-shot build on `jobs` threads (the command line's and the bench's): both of the above, before any worker starts. */
export function oneShotHeap(jobs: number): void {
  boundHeapGrowth(jobs);
  gcHelpers(jobs);
}
