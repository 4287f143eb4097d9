/**
 * Watch mode: build once, then rebuild (incrementally) whenever a file of the
 * corpus is added, changed or removed. Rebuilds never overlap: changes that
 * arrive during a build are collected and trigger one more build afterwards.
 * The cache and the worker pool stay warm between builds (a BuildSession).
 * Also watched: the package's stylesheets and assets (someone working on
 * them sees the result); a stylesheet change drops the compiled stylesheets of
 * this thread and replaces the worker pool, so the next build uses the new ones.
 * Used by `tei-edition build --watch` and by `serve`.
 *
 * Files are watched with @parcel/watcher (native: inotify, FSEvents, ReadDirectoryChangesW; the
 * events come batched, with their paths). chokidar, used before, read the whole folder again
 * and took the stats of every file in it on each change inside it: with 10 000 letters in one
 * folder that was ~0.5 s of this thread's time per save, in the middle of the rebuild.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { subscribe, type AsyncSubscription } from '@parcel/watcher';
import createDebug from 'debug';
import { build, type BuildOptions, type BuildResult, type BuildSession } from './pipeline.js';
import { forgetStylesheets, PACKAGE_ROOT, XSLT_DIR } from './xslt/sef.js';

export interface WatchOptions extends BuildOptions {
  /**
   * Quiet time after each change before a rebuild starts (ms, least 75). Default: 75 ms after the
   * change that starts a burst, 20 ms after each later batch of it (see quietAfter).
   */
  debounce?: number;
  /** Folders of stylesheets (default: the package's xslt/) and assets (its assets/) to watch too; [] for none. */
  packageDirs?: { stylesheets?: string[]; assets?: string[] };
}

export interface Rebuilt {
  /** Files (absolute) whose change triggered this build; empty for the first build. */
  changed: string[];
  /** First build: how long the warm-up after it took (ms; see `ready`). */
  warmUpMs?: number;
  result?: BuildResult;
  /** Set when the build threw (e.g. a broken config); the previous output stays in place. */
  error?: unknown;
}

export interface Watcher {
  /**
   * Resolves after the first build and the warm-up that follows it (BuildSession.warmUp: what the
   * first save would otherwise load; changes saved meanwhile are rebuilt after it).
   */
  ready: Promise<Rebuilt>;
  /** Resolves when no build is running or pending. */
  idle(): Promise<void>;
  /** Stops watching; waits for a running build and shuts the worker pool down. */
  close(): Promise<void>;
}

const debug = createDebug('tei-edition:watch');

/**
 * Events at once above which a watcher's build looks at every file again. When the kernel's queue
 * overflows (inotify: 16 384 events by default, e.g. a checkout of another branch), @parcel/watcher
 * drops events without a word; a burst this large is taken to mean that anything may have changed.
 */
export const LARGE_BURST = 1000;

/**
 * The changed paths a build may trust as the only changes (BuildSession.changed): those seen, unless
 * they came in a burst so large that some may have been lost (undefined: the build looks at everything).
 */
export function changesToTrust(changed: string[], events: number): ReadonlySet<string> | undefined {
  return changed.length >= LARGE_BURST || events >= LARGE_BURST ? undefined : new Set(changed);
}

/** The least quiet time before a rebuild: @parcel/watcher's batching (50 ms) and a margin. */
const LEAST_QUIET_MS = 75;
/** The quiet time after a later batch of a burst (@parcel/watcher has seen no change for 50 ms before it sends one). */
const AFTER_BATCH_MS = 20;

/**
 * How long a watcher waits, after a batch of changes, for more before it rebuilds (ms). @parcel/watcher
 * reports a change that comes after half a second without one at once, and every later change of its
 * burst in batches, each once no change has come for 50 ms (one save is often two changes: truncate,
 * then write, or write, then rename; the second is reported ~53 ms after the first). So the batch that
 * starts a burst is followed by the least quiet time, which the rest of the burst arrives within; a
 * later batch comes after 50 quiet milliseconds already, and needs only a margin (20 ms): a save is
 * built ~55 ms sooner than if each batch waited the full quiet time. A `debounce` the user gives is
 * the quiet time after every batch.
 */
export function quietAfter(batch: 'first' | 'later', debounce?: number): number {
  if (debounce !== undefined) return Math.max(debounce, LEAST_QUIET_MS);
  return batch === 'first' ? LEAST_QUIET_MS : AFTER_BATCH_MS;
}

/** Builds, then watches the corpus folder and calls `onRebuilt` after every build (the first one included). */
export function watchBuild(options: WatchOptions, onRebuilt: (r: Rebuilt) => void): Watcher {
  const corpusDir = path.resolve(options.corpus ?? 'tei');
  const outDir = path.resolve(options.out ?? 'build');
  const session: BuildSession = { caches: new Map() };
  let pending = new Set<string>();
  /** Events reported since the last build started (see changesToTrust). */
  let events = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  let settle: (() => void)[] = [];

  const stylesheetDirs = (options.packageDirs?.stylesheets ?? [XSLT_DIR]).map((d) => path.resolve(d));
  const assetDirs = (options.packageDirs?.assets ?? [path.join(PACKAGE_ROOT, 'assets')]).map((d) => path.resolve(d));
  const under = (dirs: string[], f: string) => dirs.some((d) => f === d || f.startsWith(d + path.sep));

  const runOnce = async (changed: string[]): Promise<Rebuilt> => {
    let r: Rebuilt;
    if (changed.some((f) => under(stylesheetDirs, f))) {
      forgetStylesheets();
      await session.pool?.pool.destroy();
      session.pool = undefined;
    }
    // What the build may take as unchanged: what this watcher did not see change (BuildSession.changed).
    session.changed = changesToTrust(changed, events);
    events = 0;
    try {
      r = { changed, result: await build({ ...options, session }) };
    } catch (error) {
      r = { changed, error };
    }
    if (!closed) onRebuilt(r);
    // The build's bookkeeping, after its report (BuildSession.settling): done before the next build
    // starts (it waits for it too) or the watcher closes; a failure is reported as a failed build.
    const settling = session.settling;
    session.settling = undefined;
    try {
      await settling;
    } catch (error) {
      r = { changed, error: new Error(`the build cache's state could not be saved: ${(error as Error).message}`, { cause: error }) };
      if (!closed) onRebuilt(r);
    }
    return r;
  };

  /**
   * After the warm-up, a build with nothing changed (every document and part carried over, nothing
   * written): a save's passes over the documents, their records, files and folders then run a second
   * time in this process before the first save's, in code the engine has optimised (at 10 000 letters
   * the first save ~40–50 ms quicker; it still takes ~0.15 s more than the next ones). Left out when a
   * change came meanwhile (the build it asks for comes next); not reported.
   */
  const rehearse = async (): Promise<void> => {
    if (closed || pending.size || events) return;
    session.changed = new Set();
    try {
      await build({ ...options, session });
    } finally {
      session.warmUp = undefined;
      const settling = session.settling;
      session.settling = undefined;
      await settling;
    }
  };

  const drain = (): void => {
    if (running || closed || timer) return;
    if (!pending.size) {
      for (const s of settle) s();
      settle = [];
      return;
    }
    const changed = [...pending].sort();
    pending = new Set();
    running = runOnce(changed).then(() => {
      running = undefined;
      // Changes seen while the build settled: the next one's folder times are taken while they do.
      if (pending.size) session.prefetch?.();
      drain();
    });
  };

  /** Notes the changed files of one batch, and (re)starts the quiet time before the build they ask for. */
  const schedule = (files: string[]): void => {
    if (closed || !files.length) return;
    for (const file of files) pending.add(path.resolve(file));
    // The first change after a build: the next build's look at the output folders starts now, while
    // the change settles (BuildSession.prefetch; a build running now leaves it to the next one).
    if (!running) session.prefetch?.();
    // (A batch that comes while an earlier one's quiet time runs is a later batch of its burst.)
    const quiet = quietAfter(timer ? 'later' : 'first', options.debounce);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      drain();
    }, quiet);
  };

  const ignored = (p: string): boolean => {
    const abs = path.resolve(p);
    if (abs === outDir || abs.startsWith(outDir + path.sep)) return true;
    const rel = path.relative(corpusDir, abs);
    return rel.split(path.sep).some((s) => s.startsWith('.') || s === 'node_modules');
  };

  let subscriptions: AsyncSubscription[] = [];
  // A failed unsubscribe (EINVAL from inotify for a folder already gone: parcel-bundler/watcher#129) changes nothing here.
  const unsubscribeAll = async () => {
    const all = subscriptions;
    subscriptions = [];
    await Promise.all(all.map((s) => s.unsubscribe().catch(() => undefined)));
  };
  const ready = (async () => {
    // Watching starts before the first build: a change saved while it runs is built after it, and a
    // build that takes the fingerprints of files no change named as they were needs every change seen.
    const packageDirs = [...stylesheetDirs, ...assetDirs];
    // In the corpus, the output folder (when inside it: a build writes thousands of files) and
    // dot folders (the build's staging folder, editors' and version control's) are left out natively.
    const ignoreFor = (dir: string) => (dir === corpusDir ? { ignore: ['**/.*', '**/node_modules', ...(outDir.startsWith(dir + path.sep) ? [outDir] : [])] } : {});
    const watchDir = async (dir: string): Promise<AsyncSubscription> => {
      let subscription: AsyncSubscription | undefined = await subscribe(dir, (error, batch) => {
        if (!error) {
          events += batch.length;
          schedule(batch.flatMap((e) => (under(packageDirs, e.path) || !ignored(e.path) ? [e.path] : [])));
          return;
        }
        // The native watcher stopped (e.g. a poll interrupted by a signal): watch the folder afresh,
        // and rebuild once in case a change went unseen meanwhile (the folder as the change: the
        // build discovers the corpus and takes every file's fingerprint again).
        const dead = subscription;
        if (!dead || closed) return; // already being replaced, or closing
        debug('watching %s failed (%s); watching it again', dir, error.message);
        subscription = undefined;
        void dead.unsubscribe().catch(() => undefined);
        void watchDir(dir).then((s) => {
          subscriptions = subscriptions.map((x) => (x === dead ? s : x));
          schedule([dir]);
        }, (e: Error) => debug('watching %s again failed: %s', dir, e.message));
      }, ignoreFor(dir));
      return subscription;
    };
    subscriptions = await Promise.all([corpusDir, ...packageDirs].filter((d) => existsSync(d)).map(watchDir));
    if (closed) await unsubscribeAll();
    const first = runOnce([]);
    running = first.then(() => undefined);
    const r = await first;
    running = undefined;
    if (!closed && session.warmUp && !r.error) {
      const t = performance.now();
      // A failed warm-up only leaves the work to the first save.
      const warming = session.warmUp().then(rehearse).catch(() => undefined);
      running = warming.then(() => undefined);
      await warming;
      running = undefined;
      r.warmUpMs = performance.now() - t;
    }
    drain();
    return r;
  })();

  return {
    ready,
    idle: async () => {
      await ready;
      if (!running && !timer && !pending.size) return;
      await new Promise<void>((resolve) => settle.push(resolve));
    },
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await ready.catch(() => undefined);
      await unsubscribeAll();
      await running;
      await session.pool?.pool.destroy();
      session.pool = undefined;
      session.folderWatch?.close();
      session.folderWatch = undefined;
      await session.spares?.clear().catch(() => undefined);
      session.spares = undefined;
      for (const s of settle) s();
    },
  };
}
