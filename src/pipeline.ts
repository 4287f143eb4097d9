/**
 * The build: discover → load+transform (worker pool, one parse per document)
 * → validate → index → format outputs → manifest → write (staging + swap).
 * One bad document never stops the others; every problem is a located message.
 *
 * Incremental: each document's transform result is cached (src/cache.ts) by the
 * content of the file, the stylesheets, the config and the package version; only
 * new or changed documents are transformed again. A document whose result and
 * whose view of the corpus (cache.ts `interfaceDigest`) are unchanged keeps its
 * files from the previous output; so does an edition-wide part whose inputs are
 * unchanged (Format.corpusParts). Files are written as they are made (memory grows
 * with the registers, not with the text of the corpus), into a staging folder
 * swapped in at the end, or into the previous output in place with a rollback
 * journal when most documents are unchanged (src/stages/write.ts).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import createDebug from 'debug';
import { Piscina } from 'piscina';
import type { VFileMessage } from 'vfile-message';
import { BuildCache, interfaceDigest, mentionsDigest, reviveStored, runTask, runTaskHeld, sha256, slimResult, storeMessage, versionSalt, type RenderRecord, type SlimResult, type StoredMessage } from './cache.js';
import { ConfigError, loadConfig, type EditionConfig, type FormatName } from './config.js';
import { diagnostic, isError, sortDiagnostics } from './diagnostics.js';
import { formatsFor } from './formats/index.js';
import type { BuildContext, BuiltDocument, CorpusPart, DocumentOutput, Format } from './formats/types.js';
import { isChunks, type DocMeta, type OutputFile } from './model.js';
import { easedForTransforms } from './memory.js';
import { discover, stillHolds, type Discovered } from './stages/discover.js';
import { loadDocument } from './stages/load.js';
import { ingest } from './stages/split.js';
import { indexResults, type IndexedResults } from './stages/index.js';
import { existingPages } from './site/layout.js';
import { documentOutput, renderTask, workerFormats, workerOutline, writeSnapshot, type RenderTask, type SnapshotDocument } from './stages/render.js';
import { META_STYLESHEET, reviveMessage, transformSettings, type TransformResult, type TransformTask } from './stages/transform.js';
import { ManifestMaker, type Manifest, type ManifestSource } from './stages/manifest.js';
import { FolderWatch } from './stages/folder-watch.js';
import { folderTimes, presence, recordedFolders, type FolderTimes, type Presence, type TakenTimes } from './stages/presence.js';
import { openInPlace, openStaging, sameContent, Spares, type Staging } from './stages/write.js';
import { jobsOf, WARM_RUNS, workerEntry } from './workers.js';
import { loadStylesheets } from './xslt/run.js';
import { compiledStylesheet, stylesheetsHash } from './xslt/sef.js';

export interface BuildOptions {
  corpus?: string;
  out?: string;
  /** Worker threads (default: one per core; 1 = in this thread). */
  jobs?: number;
  /** Restrict output formats. */
  only?: FormatName[];
  /** Overrides for edition.config.json. */
  config?: Partial<EditionConfig>;
  /** Progress callback (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Skip the validation stage. */
  validate?: boolean;
  /** Reuse results of earlier builds (default true); false forces a full build (the cache is still refreshed). */
  cache?: boolean;
  /** Kept across builds by a long-running caller (watch): warm cache and worker pool. */
  session?: BuildSession;
}

/** State a watcher keeps between builds. */
export interface BuildSession {
  caches: Map<string, BuildCache>;
  pool?: { jobs: number; pool: Piscina; run(task: unknown): Promise<unknown> };
  /**
   * Set by each build of the session: loads on this thread what the next build may need and the
   * last one did not load (the stylesheets a one-document rebuild runs here, the formats' warm-ups,
   * every document's stored contributions, kept by the session). A watcher runs it once idle after
   * its first build, whose documents and parts may all have been carried over.
   */
  warmUp?: () => Promise<void>;
  /**
   * Set by a watcher before each build: the files it saw change since the last build started. With
   * it, a build takes the last build's discovery when that still holds (stages/discover.ts
   * stillHolds), and the fingerprints of the files it does not name as the last build took them:
   * no reading of the corpus folder, no stat per file (BuildCache.onlyChanged).
   */
  changed?: ReadonlySet<string>;
  /** The last build's discovery, and the cache whose state it saved: set when a build completes. */
  discovered?: { corpusDir: string; found: Discovered; cache: BuildCache };
  /**
   * Set by each build of the session: starts taking the times of the output folders it recorded, for
   * the next build's presence check (src/stages/presence.ts `folderTimes`, on a thread). A watcher
   * calls it at the first change it sees after a build, so that the times (~50 000 folders at 10 000
   * letters, ~0.4 s) are taken while it waits for the change to settle, not while the build waits.
   */
  prefetch?: () => void;
  /** What `prefetch` started; the next build takes it if its output and cache state are still those. */
  prefetched?: PrefetchedTimes;
  /**
   * The output folders under watch (src/stages/folder-watch.ts), set up by each build's bookkeeping:
   * a build takes their times from it (no stat but of the folders that changed), and then needs no
   * `prefetch`. Closed by the watcher.
   */
  folderWatch?: FolderWatch;
  /**
   * Set by each build of the session once its files are committed: the build's bookkeeping, which
   * runs after it has returned (the output folders' times taken, the cache state saved, entries no
   * longer used removed; at 10 000 letters ~0.3 s a save need not wait for). The next build of the
   * session, its warm-up and a watcher (before it looks for more changes) wait for it; rejects when
   * the state could not be saved (the next build then throws that error).
   */
  settling?: Promise<void>;
  /**
   * The spare files of the session's output folder (src/stages/write.ts Spares): the last versions of
   * its large files, which the next in-place update writes over instead of writing new files. The
   * warm-up makes the first ones; removed by the watcher when it stops.
   */
  spares?: Spares;
}

/** The session's spares for an output folder (those of another folder removed). */
function sessionSpares(session: BuildSession, outDir: string): Spares {
  const out = path.resolve(outDir);
  if (session.spares?.out === out) return session.spares;
  void session.spares?.clear().catch(() => undefined);
  return (session.spares = new Spares(out));
}

/** Output folder times taken ahead of a build (BuildSession.prefetch). */
interface PrefetchedTimes {
  outDir: string;
  /** The output's stamp when they were taken (outputStamp). */
  stamp: string | undefined;
  /** The folder times recorded in the cache state (the object): the folders whose times were taken. */
  recorded: FolderTimes;
  times: Promise<TakenTimes | undefined>;
}

export type { Manifest } from './stages/manifest.js';

export interface BuildResult {
  documents: number;
  failed: number;
  files: number;
  errors: number;
  warnings: number;
  messages: VFileMessage[];
  /** Decoded source text per display path (for code frames). */
  manifest: Manifest;
  ms: number;
  outDir: string;
  /** Source files of the corpus (documents and register files). */
  sources: number;
  /** Documents transformed in this build (display paths); the others came from the cache. */
  rebuilt: string[];
  /** Documents for which some format made files afresh (ids); formats with `pureDocument` carry the others' files over. */
  rendered: string[];
}

const debug = createDebug('tei-edition:build');

/**
 * Heap bound of each worker thread. Without one, V8 lets each worker's heap grow towards the
 * process-wide limit before collecting in earnest (measured: 1.35 GB peak for 200 letters with
 * 2 workers, 0.79 GB with 384 MB each, for ~15% more CPU; the default, 512 MB, leaves room for
 * rendering, which needs 130–190 MB for the seed). A task that needs more (a very large
 * document) is not lost: the worker stops with ERR_WORKER_OUT_OF_MEMORY and the task is run again
 * in the main thread (`orInline`). TEI_EDITION_WORKER_HEAP_MB sets the bound (0: none).
 *
 * The young generation (where new objects are made) is bounded too, to WORKER_YOUNG_MB: V8 gives a
 * worker 48 MB by default, and a rendering worker fills it with short-lived trees and strings
 * (1 000 letters, 2 jobs: each rendering worker's heap 138 → 113–115 MB, the build's peak 603 →
 * 587 MB, in the same time: 103.0 s both). TEI_EDITION_WORKER_YOUNG_MB sets it (0: V8's default).
 */
export function workerLimits(env: NodeJS.ProcessEnv = process.env): { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number } | undefined {
  const old = Number(env.TEI_EDITION_WORKER_HEAP_MB ?? 512);
  const young = Number(env.TEI_EDITION_WORKER_YOUNG_MB ?? WORKER_YOUNG_MB);
  const limits = {
    ...(Number.isFinite(old) && old > 0 ? { maxOldGenerationSizeMb: old } : {}),
    ...(Number.isFinite(young) && young > 0 ? { maxYoungGenerationSizeMb: young } : {}),
  };
  return Object.keys(limits).length ? limits : undefined;
}

/** The young generation of each worker thread, in MB (see workerLimits). */
export const WORKER_YOUNG_MB = 16;

/** Runs a pool task; when the worker ran out of its heap (workerLimits), says so and runs the task in this thread instead. */
async function orInline<T>(fromPool: Promise<unknown>, inline: () => Promise<T>, fellBack: (error: Error) => void): Promise<T> {
  try {
    return (await fromPool) as T;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
    fellBack(error as Error);
    return inline();
  }
}

/** The note that a document was too large for a worker's heap. */
function workerMemory(displayPath: string, what: string): VFileMessage {
  const limit = workerLimits()?.maxOldGenerationSizeMb;
  return diagnostic(`${what} needed more memory than a worker thread has (${limit} MB, TEI_EDITION_WORKER_HEAP_MB); done in the main thread instead`, {
    file: displayPath, line: 1, column: 1, ruleId: 'worker-memory', severity: 'info',
  });
}

function crashed(t: TransformTask, error: unknown): SlimResult {
  return {
    file: t.file, displayPath: t.displayPath, ok: false,
    messages: [{ reason: `worker failed: ${(error as Error).message}`, line: 1, column: 1, ruleId: 'worker-crash', source: 'tei-edition', fatal: true }],
  };
}

/**
 * Transforms documents: in this thread for one job or a handful of documents,
 * else on a pool of `jobs` worker threads (each loads SaxonJS and the SEFs once).
 * Tasks with a store target come back slim (outputs are in the build cache).
 */
export async function runTransforms(
  tasks: TransformTask[], jobs: number, onDone: () => void, session?: BuildSession, shared?: BuildPool, onNote?: (m: VFileMessage) => void, holder?: BuildCache,
): Promise<(TransformResult | SlimResult)[]> {
  // Compile every stylesheet once, before the workers start.
  const sheets = new Set<string>([META_STYLESHEET, ...tasks.flatMap((t) => t.stylesheets)]);
  await Promise.all([...sheets].map((s) => compiledStylesheet(s)));
  if (jobs <= 1 || tasks.length < 4) {
    const out: (TransformResult | SlimResult)[] = [];
    for (const t of tasks) {
      try {
        // (A watcher's: stored in the background, the entry given from memory meanwhile.)
        out.push(slimResult(holder ? await runTaskHeld(t, holder) : await runTask(t)));
      } catch (error) {
        out.push(crashed(t, error));
      }
      onDone();
    }
    return out;
  }
  const pool = shared ? { run: shared.run, close: async () => {} } : openPool(jobs, session);
  try {
    // (Under the eased heap growth of a one-shot build: src/memory.ts.)
    return await easedForTransforms(() => Promise.all(
      tasks.map(async (t) => {
        try {
          return slimResult(await orInline(pool.run(t), () => runTask(t), () => onNote?.(workerMemory(t.displayPath, 'the transformation'))));
        } catch (error) {
          // A crashed worker is replaced by the pool; the document is reported.
          return crashed(t, error);
        } finally {
          onDone();
        }
      }),
    ));
  } finally {
    await pool.close();
  }
}

/** The worker pool of a build, as the build uses it (see openPool). */
interface BuildPool {
  /** Runs a task on a worker; rejects, never hangs, once the pool's workers have died outside a task. */
  run(task: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The worker pool of a build: the session's (kept warm for the next build of a
 * watcher) or one of its own, destroyed by `close()`. A worker that dies outside a task (e.g. its
 * heap bound is below what loading SaxonJS and the stylesheets takes) is not replaced by Piscina,
 * and the tasks waiting for it would wait for ever: the pool is then given up, its pending and
 * later tasks rejected with that error (an out-of-memory one runs in the main thread, orInline).
 */
function openPool(jobs: number, session?: BuildSession): BuildPool {
  let entry = session?.pool?.jobs === jobs ? session.pool : undefined;
  if (!entry) {
    if (session?.pool) void session.pool.pool.destroy();
    const pool = new Piscina({ filename: workerEntry(import.meta.url, 'worker'), minThreads: jobs, maxThreads: jobs, idleTimeout: session ? 60_000 : 1000, resourceLimits: workerLimits() });
    // The tasks waiting for a worker, to reject if the pool dies (not a Promise.race with a promise
    // that never settles: that one would keep every task's result reachable for the pool's life).
    const waiting = new Set<(error: Error) => void>();
    let died: Error | undefined;
    const made = {
      jobs, pool,
      run: (task: unknown) => died
        ? Promise.reject(died)
        : new Promise<unknown>((resolve, reject) => {
          waiting.add(reject);
          pool.run(task).then(resolve, reject).finally(() => waiting.delete(reject));
        }),
    };
    pool.on('error', (error: Error) => {
      debug('worker error outside a task: %s', error.message);
      if (session?.pool === made) session.pool = undefined;
      died ??= error;
      for (const reject of waiting) reject(error);
      waiting.clear();
      void pool.destroy().catch(() => undefined);
    });
    entry = made;
    if (session) session.pool = made;
  }
  const { pool, run } = entry;
  return {
    run,
    close: async () => (session ? undefined : void (await pool.destroy())),
  };
}

/**
 * The output folder is replaced as a whole: refuse one that holds the corpus (or is
 * it), and an existing non-empty folder that is not a previous build (no manifest.json).
 */
function checkOutDir(corpusDir: string, outDir: string): void {
  const up = path.relative(outDir, corpusDir);
  if (up === '' || (up.split(path.sep)[0] !== '..' && !path.isAbsolute(up))) {
    throw new ConfigError(`output folder ${outDir} contains the corpus ${corpusDir}; it would be replaced by the build (choose another --out)`);
  }
  let names: string[] = [];
  try {
    names = readdirSync(outDir).filter((n) => !n.startsWith('.'));
  } catch {
    return;
  }
  if (names.length && !existsSync(path.join(outDir, 'manifest.json'))) {
    throw new ConfigError(`output folder ${outDir} is not empty and holds no previous build (manifest.json); refusing to replace it`);
  }
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  // The last build of the session saves its state first (BuildSession.settling).
  const settling = options.session?.settling;
  if (options.session) options.session.settling = undefined;
  await settling;
  const corpusDir = path.resolve(options.corpus ?? 'tei');
  const outDir = path.resolve(options.out ?? 'build');
  checkOutDir(corpusDir, outDir);
  const config = await loadConfig(corpusDir, { ...options.config, ...(options.only ? { formats: options.only } : {}) });
  const formats: Format[] = formatsFor(config.formats);
  const messages: VFileMessage[] = [];
  // Messages name files relative to the working directory, as the load stage does.
  const report = (m: VFileMessage) => {
    if (m.file && path.isAbsolute(m.file)) m.file = path.relative(process.cwd(), m.file) || '.';
    messages.push(m);
  };

  const display = displayPaths();
  const { stylesheets, params, load } = transformSettings(config, formats);

  // Cache: one state per salt (everything a transform depends on besides the file).
  const salt = sha256(JSON.stringify({ v: versionSalt(), xslt: await stylesheetsHash(), config, stylesheets, params, load }));
  let cache = options.session?.caches.get(salt);
  if (!cache) {
    cache = await BuildCache.open(corpusDir, salt, { read: options.cache !== false });
    options.session?.caches.set(salt, cache);
  }
  await cache.use(options.cache !== false);
  cache.keepData = options.session !== undefined;
  // The previous output's folder times, taken on a thread of their own while this build discovers,
  // transforms and indexes (src/stages/presence.ts; worth a thread for a large edition only).
  // A watcher may have started taking them at the first change it saw (BuildSession.prefetch).
  const startStamp = outputStamp(outDir);
  const startRecorded = cache.outputFolders(outDir, startStamp);
  const ahead = options.session?.prefetched;
  if (options.session) options.session.prefetch = options.session.prefetched = undefined;
  let folderStats: Promise<TakenTimes | undefined>;
  // A watcher's output folders under watch: their times now, from memory but for those that changed.
  const watched = startRecorded && options.session?.folderWatch?.outDir === outDir ? options.session.folderWatch.times(recordedFolders(startRecorded).folders) : undefined;
  if (watched) {
    folderStats = Promise.resolve(watched);
    debug('output folder times from the folder watch');
  } else if (ahead && startRecorded && ahead.outDir === outDir && ahead.stamp === startStamp && ahead.recorded === startRecorded) {
    folderStats = ahead.times;
    debug('output folder times taken ahead of the build');
  } else {
    const startFolders = startRecorded ? recordedFolders(startRecorded).folders : [];
    folderStats = startFolders.length >= FOLDER_STATS_THREAD ? folderTimes(outDir, startFolders) : Promise.resolve(undefined);
  }
  // A watcher's build after edits of documents only finds the same files as the last one (and their
  // fingerprints as they were, but those of the edited files); a failed build leaves nothing to reuse.
  const { changed, discovered: last } = options.session ?? {};
  if (options.session) options.session.changed = options.session.discovered = undefined;
  const reuse = last?.corpusDir === corpusDir && changed !== undefined && stillHolds(last.found, changed);
  const discovered = reuse ? last.found : await discover(corpusDir, undefined, outDir);
  if (reuse && last.cache === cache) cache.onlyChanged(changed);
  // Files an earlier build found to be single documents, unchanged since, are not read again here.
  const found = await ingest(discovered, { corpusDir, split: config.split, load, knownPlain: (f) => cache.knownPlain(f) });
  messages.push(...found.messages);
  // (A watcher's save: all but the edited files' fingerprints stand as they were, taken without a promise each.)
  const keys: string[] = new Array(found.files.length);
  await Promise.all(found.files.flatMap((file, i) => {
    const sha = cache.knownFingerprint(file);
    if (sha !== undefined) {
      keys[i] = cache.entryKey(file, sha);
      return [];
    }
    return [cache.fingerprint(file).then((s) => void (keys[i] = cache.entryKey(file, s)))];
  }));
  cache.dropStats();
  for (const f of found.plain) cache.markPlain(f);
  // (Results this process holds are taken without a promise each: a watcher's save, all but the edited files'.)
  const cached = keys.map((k) => cache.heldResult(k));
  await Promise.all(cached.flatMap((held, i) => (held ? [] : [cache.cached(keys[i]!).then((r) => void (cached[i] = r))])));
  const tasks: TransformTask[] = [];
  found.files.forEach((file, i) => {
    if (cached[i]) return;
    tasks.push({ file, displayPath: display(file), stylesheets, params, load, keepText: true, store: cache.target(keys[i]!) });
  });
  let done = 0;
  const jobs = jobsOf(options.jobs);
  // A watcher's save of a few documents (transformed, and rendered, on this thread: no render pool), with a second
  // core: formats may begin, on threads of their own, work that needs only the edited files' text (Format.ahead).
  const early = options.session && !options.session.pool && jobs > 1 && tasks.length > 0 && tasks.length < 4 ? formats.filter((f) => f.ahead) : [];
  if (early.length) {
    // (Loaded once: the task is transformed from the same text, here.)
    const sources = (await Promise.all(tasks.map(async (t) => {
      const loaded = (t.loaded = await loadDocument(t.file, t.displayPath, t.load));
      return loaded.ok ? [{ file: t.file, text: loaded.text }] : [];
    }))).flat();
    for (const f of early) f.ahead!(sources, config);
  }
  debug('discovered %d files; %d to transform, %d from the cache', found.files.length, tasks.length, found.files.length - tasks.length);
  let t0 = performance.now();
  // One pool for the build (transforms, then rendering), opened when first needed.
  let pool: ReturnType<typeof openPool> | undefined;
  const getPool = () => (pool ??= openPool(jobs, options.session));
  try {
    const fresh = await runTransforms(tasks, jobs, () => options.onProgress?.(++done, tasks.length), options.session, jobs > 1 && tasks.length >= 4 ? getPool() : undefined, report, options.session && tasks.length < 4 ? cache : undefined);
    debug('transform: %d documents on %d job(s) in %d ms', tasks.length, jobs, Math.round(performance.now() - t0));
    const lap = laps();
    const freshByFile = new Map(fresh.map((r) => [r.file, r]));
    const results: (SlimResult & { key: string })[] = found.files.map((file, i) => {
      const key = keys[i]!;
      const r = cached[i] ?? freshByFile.get(file)!;
      // A crashed worker stored nothing: not remembered, so the next build tries again.
      if (!cached[i] && r.messages.every((m) => m.ruleId !== 'worker-crash')) cache.remember(key, r);
      return resultOf(r, display(file), key);
    });
    for (const r of results) for (const m of r.messages) messages.push(reviveMessage(m, r.displayPath));
    lap('  results');

    // (A watcher's build derives its index from the last one's when the edited documents stand in it as they stood.)
    const last = options.session ? sessionBuilds.get(cache) : undefined;
    const indexed = indexResults(results, last?.index);
    const thisBuild = { index: indexed, token: {}, whole: false, log: [] as ChangeLog };
    if (options.session) sessionBuilds.set(cache, thisBuild);
    const { ids, registry, places } = indexed;
    for (const m of indexed.notes()) report(m);
    lap('  registry');

    if (options.validate !== false) {
      try {
        t0 = performance.now();
        const { validateResults } = await import('./stages/validate.js');
        const withText = results.map((r) => lazyResult(r, cache));
        messages.push(...(await validateResults(withText, { corpusDir, config, registry })));
        debug('validate: %d ms', Math.round(performance.now() - t0));
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      }
    }

    // The documents (not register files) in the registry's order (by date, then id).
    const recent: Recent = {};
    const documents: (BuiltDocument & { key: string; release(): void })[] = registry.documents.map((d) => {
      const r = results[places.get(d.id)!]!;
      return new CachedDocument({ id: d.id, file: r.file, displayPath: r.displayPath, meta: r.meta! }, r.key, cache, recent);
    });
    lap('  document wrappers');

    // Messages reported while a document's files are made are recorded with them.
    let capture: StoredMessage[] | undefined;
    const ctx: BuildContext = {
      config, corpusDir, registry, documents,
      report: (m) => {
        report(m);
        capture?.push(storeMessage(m));
      },
      hooks: { documentHead: [], documentAside: [], textHeader: [] },
      formats: new Set(formats.map((f) => f.name)),
      memo: (key, make) => cache.memo(key, make),
      memoFile: (key) => cache.memoFile(key),
      jobs,
      session: options.session !== undefined,
      build: options.session ? thisBuild.token : undefined,
    };
    for (const f of formats) await f.setup?.(ctx);
    for (const f of formats) f.prepare?.(ctx);
    t0 = performance.now();

    // What documents' files may depend on: the corpus outline, and the register files as they are
    // (the exchange format copies register entries whole into each export).
    const registerKeys = results.filter((r) => r.meta?.isRegister).map((r) => r.key).sort();
    const digest = sha256(`${interfaceDigest(ctx, existingPages)}\n${registerKeys.join('\n')}`);
    lap('  setup, interface digest');
    const previousOut = outputStamp(outDir);
    // Few documents to render into a previous build this cache describes: update it in place
    // (with a rollback journal); otherwise write a new folder and swap it in.
    const previousRender = cache.previousRender(outDir, previousOut);
    // Per document: the key its files are rendered with, and how the previous build rendered them.
    const renderKey = renderKeys(cache, digest);
    // (In the documents' order: a map keyed by the 10 000 wrappers, new objects each build, took ~20-40 ms.)
    const plans = documents.map((doc) => ({ key: renderKey(doc), previous: previousRender?.[doc.id] }));
    let reusable = 0;
    for (const { key, previous } of plans) {
      if (previous && formats.every((f) => !f.document || !f.pureDocument || previous[f.name]?.key === key)) reusable++;
    }
    const inPlace = previousRender !== undefined && reusable > 0 && reusable >= documents.length / 2;
    lap('  plans');
    // Which previous files are still there: one stat per output folder, not per file (src/stages/presence.ts).
    const present = presence(outDir, cache.outputFolders(outDir, previousOut), previousOut === startStamp ? await folderStats : undefined);
    const spares = inPlace && options.session ? sessionSpares(options.session, outDir) : undefined;
    const staging = inPlace ? await openInPlace(outDir, { present: present.has, spares }) : await openStaging(outDir);
    // In place, the journal and the files being written are made in the output folder itself: its time
    // changes whatever the build writes, and is taken again after (else the next build would find it
    // changed, and look at every folder one by one).
    if (inPlace) present.touched('.tei-edition-rollback');
    const write = (f: OutputFile) => {
      present.touched(f.path);
      return staging.write(f);
    };
    /** In place, a file made again whose bytes the output already holds (`same`) stays as it is: true when kept. */
    const keptAsItIs = async (f: OutputFile, same: () => boolean): Promise<boolean> => inPlace && present.has(f.path) && same() && (await staging.keep(f.path));
    debug('writing %s (%d of %d documents unchanged)', inPlace ? 'in place' : 'a new output folder', reusable, documents.length);
    const built: BuiltDocument[] = [];
    const render: Record<string, Record<string, RenderRecord>> = {};
    const rendered: string[] = [];
    let manifest: Manifest;
    let files: (readonly { path: string }[])[] = [];
    let dropped: string[] = [];
    // Pure formats render on the worker pool (src/stages/render.ts) when there are enough documents to render
    // to pay for starting it (a one-letter rebuild renders here), or a watcher's pool is already running.
    const toRender = documents.length - reusable;
    const poolWorth = toRender >= 4 || (options.session?.pool !== undefined && toRender > 0);
    const inWorker = new Set<FormatName>(jobs > 1 && poolWorth ? workerFormats(formats).map((f) => f.name) : []);
    // (The render pool's threads read the stored results from disk: those being written are waited for.)
    if (inWorker.size) await cache.written();
    const snapshot = inWorker.size
      ? await writeSnapshot(path.join(cache.dir, 'snapshots'), digest, () => ({
          config, corpusDir, formats: [...ctx.formats], pages: [...existingPages],
          // (What the registry was made from, in the same order.)
          added: results.flatMap((r, i): SnapshotDocument[] => {
            const id = ids[i];
            return id && r.meta ? [{ id, file: r.file, displayPath: r.displayPath, meta: workerOutline(r.meta) }] : [];
          }),
          documents: documents.map((d) => d.id),
        }))
      : '';
    /** What rendering gave for a document (undefined: it failed and has no files). */
    interface Slot { doc: BuiltDocument; records: Record<string, RenderRecord>; remade: boolean }
    const slots: (Slot | Promise<Slot | undefined>)[] = [];
    lap('  presence, staging');
    const inflight = new Set<Promise<unknown>>();
    // The formats that make files per document; when all are pure, a document whose records all carry over
    // is recorded by its previous records as they are (a save's ~10 000: nothing made for each).
    const documentFormats = formats.filter((f) => f.document);
    const allPure = documentFormats.every((f) => f.pureDocument);
    try {
      for (const [i, doc] of documents.entries()) {
        const { key, previous } = plans[i]!;
        if (allPure && previous && carriedWhole(previous, documentFormats, key, present)) {
          for (const f of documentFormats) for (const m of previous[f.name]!.messages) report(reviveStored(m));
          doc.release();
          if (!inPlace) await keepAll(staging, documentFormats.map((f) => previous[f.name]!.files));
          // (In place this loop would not wait for anything: the writes of documents rendered before go on meanwhile.)
          else if (inflight.size && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
          slots.push({ doc, records: previous, remade: false });
          continue;
        }
        const made: OutputFile[] = [];
        const kept: FileEntry[][] = [];
        const records: Record<string, RenderRecord> = {};
        const remote: FormatName[] = [];
        let failure: unknown;
        // Formats whose files are unchanged are carried over; pure ones go to a worker; the others render here.
        const local: Format[] = [];
        for (const f of formats) {
          if (!f.document) continue;
          const prev = f.pureDocument ? previous?.[f.name] : undefined;
          if (prev && carriedOver(prev, key, present)) {
            kept.push(prev.files);
            for (const m of prev.messages) report(reviveStored(m));
            records[f.name] = prev;
          } else if (inWorker.has(f.name)) remote.push(f.name);
          else local.push(f);
        }
        if (!remote.length && !local.length) {
          // Carried over whole (after an edit, all documents but one): recorded now, without a slot to wait for.
          doc.release();
          // carriedOver() found them there; in place they stay where they are, with nothing to note (a save's
          // ~10 000 documents: no trip through the staging's promises each).
          if (!inPlace) await keepAll(staging, kept);
          // (In place this loop would not wait for anything: the writes of documents rendered before go on meanwhile.)
          else if (inflight.size && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
          slots.push({ doc, records, remade: false });
          continue;
        }
        const task: RenderTask | undefined = remote.length
          ? { kind: 'render', snapshot, doc: { id: doc.id, file: doc.file, displayPath: doc.displayPath, meta: doc.meta }, outputs: `${cache.target(doc.key).prefix}.out.json`, formats: remote }
          : undefined;
        const fromWorker = task
          ? orInline(getPool().run(task), () => renderTask(task), () => report(workerMemory(doc.displayPath, `rendering (${task.formats.join(', ')})`)))
          : undefined;
        fromWorker?.catch(() => undefined); // handled below, once the local formats are done
        try {
          for (const f of local) {
            capture = [];
            const out = documentOutput(await f.document!(doc, ctx));
            made.push(...out.files);
            records[f.name] = await recordOf(cache, key, f.name, out, capture);
          }
        } catch (error) {
          failure = error;
        } finally {
          capture = undefined;
          doc.release();
        }
        const slot = (async (): Promise<Slot | undefined> => {
          try {
            const res = fromWorker ? await fromWorker : undefined;
            for (const part of res?.formats ?? []) {
              for (const m of part.messages) report(reviveStored(m));
              made.push(...part.files);
              records[part.name] = await recordOf(cache, key, part.name, part, part.messages);
            }
          } catch (error) {
            failure ??= error;
          }
          if (failure !== undefined) {
            report(diagnostic(`could not write outputs: ${(failure as Error).message}`, { file: doc.displayPath, line: 1, column: 1, ruleId: 'output-failed', cause: failure }));
            return undefined;
          }
          // Side by side: each write is a few trips to the thread pool (journal, link, write, rename); one after the
          // other, a save's ~50 files of its letter left this thread idle ~0.1 s. In place, a file made again with
          // the bytes the output holds stays as it is (a word edit changes one or two of a letter's ~40 files: its
          // page, its text, the DTS passage it is in; a small file is read and compared in well under a millisecond).
          // (Every write settled before a failure goes on: the abort rolls back only once none is under way.)
          const put = async (file: OutputFile): Promise<void> => {
            if (!(await keptAsItIs(file, () => sameBytes(path.join(outDir, file.path), file.content)))) await write(file);
          };
          const writes = await Promise.allSettled(made.map(put));
          for (const w of writes) if (w.status === 'rejected') throw w.reason;
          await keepAll(staging, kept); // carriedOver() found them there
          return { doc, records, remade: made.length > 0 || local.length + remote.length > 0 };
        })();
        slots.push(slot);
        // A bounded number of documents in flight: memory stays flat however large the corpus.
        // (Settles either way: a failure surfaces from Promise.all(slots) below.)
        const tracked: Promise<unknown> = slot.then(
          () => inflight.delete(tracked),
          () => inflight.delete(tracked),
        );
        inflight.add(tracked);
        if (inflight.size >= Math.max(4, jobs * 4)) await Promise.race(inflight);
      }
      const settled = await Promise.all(slots);
      // The workers are done: a pool of this build's own goes now (with the heaps of its threads), before
      // the edition-wide parts, which run here (a watcher keeps its pool warm for the next build).
      await pool?.close();
      pool = undefined;
      for (const slot of settled) {
        if (!slot) continue;
        render[slot.doc.id] = slot.records;
        if (slot.remade) rendered.push(slot.doc.id);
        built.push(slot.doc);
      }
      capture = undefined;
      ctx.documents = built;
      // The last build's documents but for a few (the index derived from the last one's; every document built then
      // and now): the parts may ask which changed since a build of the session (BuildContext.changedSince).
      thisBuild.whole = built.length === documents.length;
      if (options.session && last?.whole && thisBuild.whole && registry.derivedFrom?.base === last.index.registry) {
        const changed = new Set([...registry.derivedFrom.replaced.map((d) => d.now.id), ...rendered]);
        thisBuild.log = [...last.log.slice(1 - CHANGE_LOG), { build: thisBuild.token, since: last.token, changed }];
      }
      ctx.changedSince = (since) => changedSince(thisBuild, since);
      ctx.contributions = function* (format) {
        for (const doc of built) {
          const name = render[doc.id]?.[format]?.data;
          if (name) yield { doc, data: cache.readData(name) };
        }
      };
      ctx.contribution = (format, docId) => {
        const name = render[docId]?.[format]?.data;
        return name ? cache.readData(name) : undefined;
      };
      // Edition-wide files, part by part: made again only when what the part reads changed.
      lap('documents');
      const previousParts = previousRender?.[CORPUS_RECORD] ?? {};
      // A watcher's edition-wide texts as last written: what a part makes again is compared with these, not with the files.
      const written = options.session ? partTexts(cache) : undefined;
      const parts: Record<string, RenderRecord> = {};
      const inputs = corpusInputs(built, render, formats, cache, ctx);
      /** A part: its key, and the previous record it is carried over from, or its files being made. */
      type PartRun = { key: string; prev?: RenderRecord; out?: Promise<OutputFile[]>; messages: StoredMessage[] };
      const begin = async (name: string, part: CorpusPart): Promise<PartRun> => {
        // Each part sees the build's context through an object of its own: what formats cache per
        // context (references, citation records, lookups) goes with the part, not into the next one's heap;
        // and what it reports is recorded with it.
        const partCtx = Object.create(ctx) as BuildContext;
        const messages: StoredMessage[] = [];
        partCtx.report = (m) => {
          report(m);
          messages.push(storeMessage(m));
        };
        const key = sha256(JSON.stringify([name, digest, ...part.reads.map((r) => inputs[r]), (await part.key?.(partCtx)) ?? '']));
        const prev = previousParts[name];
        if (prev && carriedOver(prev, key, present)) return { key, prev, messages: prev.messages };
        // (One after the other, what is reported through the build's own context while it runs is the part's too.)
        if (!sideBySide) capture = messages;
        const out = (async () => part.files(partCtx))();
        out.catch(() => undefined); // (awaited in turn below)
        return { key, out, messages };
      };
      // A watcher's save makes the parts it needs side by side (one waits for a thread — the search
      // shard indexed on the second core — while the next works: ~0.1 s of a save at 10 000 letters);
      // a build of more documents, one after the other (the heap holds one part's work at a time).
      const partList = formats.flatMap((f) => corpusPartsOf(f).map((part) => ({ f, part, name: `${f.name}/${part.name}` })));
      const sideBySide = options.session !== undefined && rendered.length < SIDE_BY_SIDE_RENDERED;
      const begun = sideBySide ? partList.map(({ name, part }) => begin(name, part)) : [];
      begun.forEach((b) => b.catch(() => undefined));
      if (sideBySide) debug('edition-wide parts begun side by side');
      for (const [i, { f, part, name }] of partList.entries()) {
        // A part that cannot be made is reported and left out; a file that cannot be written fails the build.
        let made: { key: string; out?: OutputFile[]; prev?: RenderRecord; messages: StoredMessage[] };
        try {
          const run = await (begun[i] ?? begin(name, part));
          made = { key: run.key, prev: run.prev, out: run.out && (await run.out), messages: run.messages };
        } catch (error) {
          report(diagnostic(`${f.name} edition-wide outputs failed: ${(error as Error).message}`, { file: display(corpusDir), ruleId: 'output-failed', cause: error }));
          continue;
        } finally {
          capture = undefined;
        }
        if (made.prev) {
          await keepAll(staging, [made.prev.files]);
          for (const m of made.prev.messages) report(reviveStored(m));
        }
        const before = new Map(previousParts[name]?.files.map((f) => [f.path, f]));
        for (const file of made.out ?? []) {
          // A file made again with the same bytes (e.g. a search shard no edit touched) is carried over, not rewritten.
          // (Presence answers for files the previous build wrote: here, those of the part's previous record.)
          // A file with a version is the one written before when the version is (without one then, its bytes say).
          const was = before.get(file.path);
          // (A text this watcher last wrote or found at the path answers for the file: no need to read it.)
          const same = () => (file.version !== undefined && was?.version !== undefined ? file.version === was.version : written?.knows(file) ? written.same(file) : sameBytes(path.join(outDir, file.path), file.content));
          if (!(was && (await keptAsItIs(file, same)))) await write(file);
          written?.set(file);
        }
        const record = made.prev ?? { key: made.key, files: fileEntries(made.out!), messages: made.messages };
        parts[name] = record;
        lap(`  ${name}${made.prev ? ' (carried over)' : ''}`);
      }
      render[CORPUS_RECORD] = parts;
      let maker = manifestMakers.get(cache);
      if (!maker) manifestMakers.set(cache, (maker = new ManifestMaker()));
      const writtenBefore = maker.written;
      // (One list, without a list per document: 10 000 of them at 10 000 letters.)
      const records: RenderRecord[] = [];
      for (const id in render) {
        const byFormat = render[id]!;
        for (const format in byFormat) records.push(byFormat[format]!);
      }
      // (A watcher's save: the documents changed since the maker's last build are the only ones whose entries may differ.)
      const made = maker.make(config.title, built.map(manifestEntry), records, maker.build !== undefined ? ctx.changedSince?.(maker.build) : undefined);
      maker.build = ctx.build;
      manifest = made.manifest;
      // A text the same as the last build's (an edit that changed no title, date or file), in the file this
      // maker wrote, stays as it is (at 10 000 letters it is 50 MB), and with it the output's stamp: the
      // cache state saved below names the output by that stamp (outputStamp), and the files it describes
      // are the ones this build wrote (an update cut short is rolled back by the journal).
      // A maker new to this output (a command's build, a watcher's first) compares its text with the file.
      const manifestKept = inPlace && present.has('manifest.json') && (writtenBefore !== undefined
        ? !made.changed && writtenBefore === previousOut
        : sameContent(path.join(outDir, 'manifest.json'), made.chunks));
      if (manifestKept) await staging.keep('manifest.json');
      else await write({ path: 'manifest.json', content: made.chunks, kind: 'manifest' });
      // What the maker remembers serves a watcher's next build (at 10 000 letters, ~100 MB: the sorted
      // file list, its text, each document's entry); a single build lets it go before saving its state.
      if (!options.session) manifestMakers.delete(cache);
      // The build's files, as the records' own lists (one entry per file: an edition of 10 000 letters has ~480 000).
      files = [...records.map((r) => r.files), [{ path: 'manifest.json' }]];
      lap('manifest');
      // The previous build's files this one may no longer make: those of its records not carried over as they were.
      dropped = inPlace ? droppedFiles(previousRender!, render) : [];
      await staging.commit(dropped); // (a commit that fails rolls back: the abort below then does nothing)
    } catch (error) {
      await Promise.allSettled(slots);
      await staging.abort();
      lastTexts.delete(cache); // the files are as they were before this build
      throw error;
    }
    lap('commit');
    for (const p of dropped) if (!staging.has(p)) present.touched(p);
    const fileCount = files.reduce((n, l) => n + l.length, 0);
    debug('formats and write: %d files in %d ms (%d documents rendered, pure formats on %s)', fileCount, Math.round(performance.now() - t0), rendered.length, inWorker.size ? `${jobs} workers` : 'the main thread');
    const stamp = outputStamp(outDir) ?? '';
    const maker = manifestMakers.get(cache);
    if (maker) maker.written = stamp;
    // The output is complete: what is left records it for the next build (the cache state names the
    // output by its stamp; a state not saved, e.g. a watcher stopped meanwhile, leaves the next build
    // to write a new output folder, as after any change to the output it does not know of).
    const bookkeeping = async () => {
      // (A watcher's build: after the caller has had the result; the next turn of the event loop.)
      if (options.session) await new Promise((resolve) => setImmediate(resolve));
      // What the commit left of the previous output goes before the folder times are taken.
      await staging.settle();
      const folders = present.after(files, !inPlace);
      await cache.save(outDir, stamp, render, new Set(results.map((r) => r.key)), folders);
      lap('cache state');
      const session = options.session;
      if (!session) return;
      // The recorded folders as arrays, made now (idle time) for the next build's look at them, and watched
      // (after a build that wrote many files in place, their times taken afresh: the system queues a
      // bounded number of change events).
      const { folders: recordedList } = recordedFolders(folders);
      if (session.folderWatch?.outDir !== outDir) {
        session.folderWatch?.close();
        session.folderWatch = new FolderWatch(outDir);
      }
      session.folderWatch.cover(recordedList, inPlace && rendered.length > RESYNC_RENDERED);
      session.discovered = { corpusDir, found: discovered, cache };
      // Idle time (a watcher waiting for a change to settle): worth a thread at any size, unless the folders are watched.
      session.prefetch = () => {
        session.prefetch = undefined;
        const recorded = cache.outputFolders(outDir, stamp);
        if (recorded && session.folderWatch?.outDir === outDir && session.folderWatch.covers(recordedFolders(recorded).folders)) return;
        if (recorded) session.prefetched = { outDir, stamp: outputStamp(outDir), recorded, times: folderTimes(outDir, recordedFolders(recorded).folders) };
      };
    };
    if (options.session) {
      const session = options.session;
      // After this build has returned (BuildSession.settling); a failure is the next build's to throw.
      const settled = bookkeeping();
      settled.catch(() => undefined);
      session.settling = settled;
      // Once: the closure holds this build's context (and what parts cached for it) until it has run.
      session.warmUp = async () => {
        session.warmUp = undefined;
        await session.settling;
        // A rebuild of a few documents transforms them on this thread (runTransforms): the stylesheets
        // loaded, and one document transformed (nothing kept) WARM_RUNS times — V8 optimises SaxonJS's code
        // over its first runs — so that the first save's run is not among them.
        await loadStylesheets([META_STYLESHEET, ...stylesheets]);
        const first = documents[0];
        const runs = first ? WARM_RUNS : 0;
        for (let i = 0; first && i < runs; i++) {
          await runTask({ file: first.file, displayPath: first.displayPath, stylesheets, params, load, keepText: true }).catch(() => undefined);
        }
        for (const f of formats) await f.warmUp?.(ctx);
        for (const byFormat of Object.values(render)) {
          for (const r of Object.values(byFormat)) if (r.data) cache.readData(r.data);
        }
        // A save's document renders on this thread when no pool runs (poolWorth): one document rendered in
        // each pure format and dropped (nothing reported, nothing written), WARM_RUNS times, so a save's
        // rendering is not among the first.
        const doc = built[0];
        const renders = doc && !session.pool ? WARM_RUNS : 0;
        if (doc && renders) {
          const quiet = Object.create(ctx) as BuildContext;
          quiet.report = () => undefined;
          for (let i = 0; i < renders; i++) {
            for (const f of formats) if (f.pureDocument && f.document) await Promise.resolve(f.document(doc, quiet)).catch(() => undefined);
          }
          (doc as Partial<CachedDocument>).release?.();
        }
        debug('warm-up: a document transformed %d times, rendered %d times', runs, renders);
        // The edition-wide parts an edit of words makes again (those that read the documents: the search
        // index, the exchange files), when this build carried them over: made here, nothing written, so that
        // a save's run of them is not the first, and what they give — the files in the output, made from the
        // same inputs — kept as the texts last written there, which a save compares its own with (at 10 000
        // letters the DTS collection, 13 MB, is then not encoded and compared with the file).
        // Their files are also the large files a save makes again, with the manifest: copied below as spares,
        // which a save writes over instead of writing new files (src/stages/write.ts Spares).
        const written = partTexts(cache);
        const again = ['manifest.json'];
        for (const f of formats) {
          for (const part of corpusPartsOf(f)) {
            const record = render[CORPUS_RECORD]?.[`${f.name}/${part.name}`];
            if (!part.reads.includes('documents') || !record) continue;
            again.push(...record.files.map((e) => e.path));
            if (record.files.some((e) => written.knows(e))) continue;
            const quiet = Object.create(ctx) as BuildContext;
            quiet.report = () => undefined;
            const made = await Promise.resolve(part.files(quiet)).catch(() => [] as OutputFile[]);
            // (Only files at the paths of the record: what the output holds.)
            const paths = new Set(record.files.map((e) => e.path));
            let known = 0;
            for (const file of made) {
              if (!paths.has(file.path)) continue;
              written.set(file);
              if (written.knows(file)) known++;
            }
            debug('warm-up: %s/%s made, %d of its texts kept', f.name, part.name, known);
          }
        }
        const spared = await sessionSpares(session, outDir).prepare(again);
        debug('warm-up: %d spare files', spared);
      };
    } else await bookkeeping();

    const sorted = sortDiagnostics(messages);
    const failed = results.filter((r) => !r.ok).length;
    return {
      documents: built.length,
      failed,
      files: fileCount,
      errors: sorted.filter(isError).length,
      warnings: sorted.filter((m) => m.fatal === false).length,
      messages: sorted,
      manifest,
      ms: performance.now() - started,
      outDir,
      sources: results.length,
      rebuilt: tasks.map((t) => t.displayPath),
      rendered,
    };
  } finally {
    await pool?.close();
  }
}

type FileEntry = Pick<OutputFile, 'path' | 'kind' | 'doc' | 'version'>;

/**
 * Documents carried over in place between two turns of the event loop, while documents rendered before
 * are being written (a save's letter: ~40 files compared or written, each a few trips to the thread
 * pool, which otherwise wait for the loop over the ~10 000 others to end).
 */
const YIELD_EVERY = 256;

/** The changes of a session's last builds, oldest first: each build's token, the token of the build before it, the documents changed between them. */
type ChangeLog = { build: object; since: object; changed: ReadonlySet<string> }[];

/** The builds a session's change log goes back. */
const CHANGE_LOG = 16;

/**
 * A watcher's last build, per build cache state: its index of the results (src/stages/index.ts indexResults),
 * its token (BuildContext.build), whether every document of the index was built (rendered or carried over),
 * and the change log up to it (empty when its documents were not the last build's but for some).
 */
interface SessionBuild { index: IndexedResults<SlimResult & { displayPath: string; key: string }>; token: object; whole: boolean; log: ChangeLog }
const sessionBuilds = new WeakMap<BuildCache, SessionBuild>();

/** The documents changed since a build of the session, by its change log (BuildContext.changedSince). */
function changedSince(build: SessionBuild, since: object): ReadonlySet<string> | undefined {
  if (since === build.token) return new Set();
  const changed = new Set<string>();
  for (let i = build.log.length - 1; i >= 0; i--) {
    const step = build.log[i]!;
    for (const id of step.changed) changed.add(id);
    if (step.since === since) return changed;
  }
  return undefined;
}

/** A transform result as the build uses it (with its display path and entry key), once per stored result (a watcher's builds reuse them). */
const builtResults = new WeakMap<SlimResult, SlimResult & { displayPath: string; key: string }>();
function resultOf(r: SlimResult, displayPath: string, key: string): SlimResult & { displayPath: string; key: string } {
  const known = builtResults.get(r);
  if (known?.displayPath === displayPath && known.key === key) return known;
  const made = { ...r, displayPath, key };
  builtResults.set(r, made);
  return made;
}

/** Paths as messages name them: relative to the working directory (remembered while it stays the same). */
let displayed: { cwd: string; paths: Map<string, string> } | undefined;
function displayPaths(): (file: string) => string {
  const cwd = process.cwd();
  if (displayed?.cwd !== cwd) displayed = { cwd, paths: new Map() };
  const paths = displayed.paths;
  return (f) => {
    let d = paths.get(f);
    if (d === undefined) paths.set(f, (d = path.relative(cwd, f) || f));
    return d;
  };
}

/** A document's entry in manifest.json, once per metadata object, id and file (a watcher's builds reuse them). */
const manifestEntries = new WeakMap<BuiltDocument['meta'], { id: string; file: string; entry: ManifestSource }>();
function manifestEntry(d: BuiltDocument): ManifestSource {
  const known = manifestEntries.get(d.meta);
  if (known?.id === d.id && known.file === d.file) return known.entry;
  const entry = { id: d.id, title: d.meta.title, date: d.meta.date?.when || d.meta.date?.value || '', source: path.basename(d.file) };
  manifestEntries.set(d.meta, { id: d.id, file: d.file, entry });
  return entry;
}

/** Per build cache (one per salt; a watcher keeps it): the manifest of its last build, to update after an edit. */
const manifestMakers = new WeakMap<BuildCache, ManifestMaker>();

/**
 * The key a document's files are rendered with: its entry key and id under the interface digest.
 * A watcher's builds with the same digest (edits that change no outline) take the last build's keys
 * (10 000 hashes a save otherwise); only the last digest's are kept.
 */
const lastRenderKeys = new WeakMap<BuildCache, { digest: string; keys: Map<string, string> }>();
function renderKeys(cache: BuildCache, digest: string): (doc: { key: string; id: string }) => string {
  let known = lastRenderKeys.get(cache);
  if (known?.digest !== digest) lastRenderKeys.set(cache, (known = { digest, keys: new Map() }));
  const keys = known.keys;
  return (doc) => {
    const of = `${doc.key}\n${doc.id}`;
    let key = keys.get(of);
    if (key === undefined) keys.set(of, (key = sha256(`${digest}\n${of}`)));
    return key;
  };
}

/**
 * The edition-wide files given as text (one string, or its pieces) that a watcher's build wrote or
 * found in place, by path: the next build compares what it made with these instead of reading the
 * files (they are the build's own between builds; at 10 000 letters, e.g., the DTS collection: 13 MB,
 * at two paths, which a word edit leaves as it was).
 * Forgotten when a build's update is rolled back.
 */
const lastTexts = new WeakMap<BuildCache, Map<string, string | readonly string[]>>();
function partTexts(cache: BuildCache): { knows(file: { path: string }): boolean; same(file: OutputFile): boolean; set(file: OutputFile): void } {
  let texts = lastTexts.get(cache);
  if (!texts) lastTexts.set(cache, (texts = new Map()));
  const map = texts;
  return {
    knows: (file) => map.has(file.path),
    same: (file) => sameText(map.get(file.path), file.content),
    // (Not a file with a version: its version says what it holds, and its content may be read from the cache on each access.)
    // Text in pieces is kept as its array of pieces (at 10 000 letters the teiCorpus and the DTS collection: pieces
    // that the next build gives again, as the same strings, for every document the save did not change).
    set: (file) => void (file.version === undefined && (typeof file.content === 'string' || Array.isArray(file.content)) ? map.set(file.path, file.content as string | readonly string[]) : map.delete(file.path)),
  };
}

/**
 * Whether content is the text last written (partTexts): the same string, or the same pieces — compared
 * piece by piece, so that the pieces an edit left as they were (the same strings) cost a pointer each.
 */
function sameText(last: string | readonly string[] | undefined, content: OutputFile['content']): boolean {
  if (last === undefined) return false;
  if (typeof last === 'string' || typeof content === 'string') return last === content;
  if (!Array.isArray(content) || content.length !== last.length) return false;
  for (let i = 0; i < last.length; i++) if (last[i] !== content[i]) return false;
  return true;
}

/** Where the render records of edition-wide parts are kept (no document id can be this). */
const CORPUS_RECORD = '\u0000corpus';

/** A format's edition-wide parts (a plain `corpus()` is one part that reads everything). */
function corpusPartsOf(f: Format): CorpusPart[] {
  if (f.corpusParts) return f.corpusParts;
  const corpus = f.corpus?.bind(f);
  return corpus ? [{ name: 'corpus', reads: ['mentions', 'documents'], files: corpus }] : [];
}

/** Digests of what edition-wide parts may read besides the outline (see CorpusPart). */
function corpusInputs(docs: BuiltDocument[], render: Record<string, Record<string, RenderRecord>>, formats: Format[], cache: BuildCache, ctx: BuildContext): Record<CorpusPart['reads'][number], string> {
  let memo = inputBlocks.get(cache);
  if (!memo) inputBlocks.set(cache, (memo = { digests: new Map() }));
  const { digests } = memo;
  // A watcher's save: the last build's values but the changed documents' (BuildContext.changedSince), at their places.
  const changed = memo.build !== undefined ? ctx.changedSince?.(memo.build) : undefined;
  const at = changed?.size ? docs.flatMap((d, i) => (changed.has(d.id) ? [i] : [])) : [];
  let ids: string[] | undefined;
  const digestOf = (name: string, value: (d: BuiltDocument) => string) => {
    const last = digests.get(name);
    let made: Digested;
    if (changed && last?.ids.length === docs.length) {
      const values = at.length ? [...last.values] : last.values;
      for (const i of at) values[i] = value(docs[i]!);
      made = blockDigest(last.ids, values, last, at);
    } else made = blockDigest((ids ??= docs.map((d) => d.id)), docs.map(value), last);
    digests.set(name, made);
    return made.digest;
  };
  const out: Record<string, string> = {
    mentions: digestOf('mentions', (d) => mentionsDigest(d.meta)),
    documents: digestOf('documents', (d) => (d as { key?: string }).key ?? ''),
  };
  for (const f of formats) out[`data:${f.name}`] = digestOf(`data:${f.name}`, (d) => render[d.id]?.[f.name]?.dataHash ?? '');
  memo.build = ctx.build;
  return out as Record<CorpusPart['reads'][number], string>;
}

/** A build cache's last digests of corpus inputs, by input, with their blocks (see blockDigest), and the session's build they were made in. */
const inputBlocks = new WeakMap<BuildCache, { build?: object; digests: Map<string, Digested> }>();

interface Digested { ids: string[]; values: string[]; blocks: string[]; digest: string }

/** Documents per block of blockDigest. */
const DIGEST_BLOCK = 256;

/**
 * sha256 over documents' ids and one value each, in order: each block of DIGEST_BLOCK documents hashed
 * as one string, then the blocks' hashes. Given the last result, only blocks whose ids or values differ
 * are hashed again (a watcher's build after an edit: one block of ~40; joining and hashing 10 000 lines
 * took ~12 ms per input).
 */
export function blockDigest(ids: string[], values: string[], last?: Digested, changedAt?: readonly number[]): Digested {
  // Only the places named changed (the same ids as last time): the blocks they are in hashed again.
  if (last && changedAt && last.ids === ids) {
    const blocks = [...last.blocks];
    for (const b of new Set(changedAt.map((i) => Math.floor(i / DIGEST_BLOCK)))) blocks[b] = blockHash(ids, values, b * DIGEST_BLOCK);
    return { ids, values, blocks, digest: sha256(`${ids.length}\n${blocks.join('\n')}`) };
  }
  const blocks: string[] = [];
  for (let start = 0; start < ids.length; start += DIGEST_BLOCK) {
    const end = Math.min(start + DIGEST_BLOCK, ids.length);
    const b = start / DIGEST_BLOCK;
    let same = last !== undefined && last.blocks[b] !== undefined && Math.min(start + DIGEST_BLOCK, last.ids.length) === end;
    for (let i = start; same && i < end; i++) same = last!.ids[i] === ids[i] && last!.values[i] === values[i];
    if (same) {
      blocks.push(last!.blocks[b]!);
      continue;
    }
    blocks.push(blockHash(ids, values, start));
  }
  return { ids, values, blocks, digest: sha256(`${ids.length}\n${blocks.join('\n')}`) };
}

/** The hash of the block of blockDigest that starts at `start`. */
function blockHash(ids: string[], values: string[], start: number): string {
  let text = '';
  for (let i = start; i < Math.min(start + DIGEST_BLOCK, ids.length); i++) text += `${ids[i]}\t${values[i]}\n`;
  return sha256(text);
}

/** Whether files rendered earlier can be carried over: made with this key, and all still in the output. */
function carriedOver(prev: RenderRecord, key: string, present: Presence): boolean {
  return prev.key === key && present.hasAll(prev.files);
}

/** Whether a document's previous records are those of these formats exactly, each carried over (carriedOver). */
function carriedWhole(previous: Record<string, RenderRecord>, formats: readonly Format[], key: string, present: Presence): boolean {
  let n = 0;
  for (const name in previous) if (name) n++;
  if (n !== formats.length) return false;
  for (const f of formats) {
    const prev = previous[f.name];
    if (!prev || !carriedOver(prev, key, present)) return false;
  }
  return true;
}

/**
 * Whether a file holds exactly these bytes (sameContent: sizes compared first; content in pieces, e.g.
 * the DTS collection of 10 000 letters, 13 MB, encoded and compared megabyte by megabyte).
 */
function sameBytes(file: string, content: OutputFile['content']): boolean {
  // (Pieces made as they are read, by an iterable that is not an array, would be used up: taken as new.)
  if (isChunks(content) && !Array.isArray(content)) return false;
  return sameContent(file, content as string | Uint8Array | readonly string[]);
}

/**
 * Carries files of the previous output over into the output being written: files of records the build
 * found there (carriedOver) and wrote itself earlier. (Their paths are given as they are asked for: in
 * place, the writer asks for none.)
 */
async function keepAll(staging: Staging, lists: FileEntry[][]): Promise<void> {
  const lost = await staging.keepAll(pathsOf(lists), true);
  if (lost !== undefined) throw new Error(`${lost} vanished from the previous output during the build`);
}

/** The render record of a format's files for one document; its contribution, if any, goes to the cache. */
async function recordOf(cache: BuildCache, key: string, format: string, out: DocumentOutput, messages: StoredMessage[]): Promise<RenderRecord> {
  const record: RenderRecord = { key, files: fileEntries(out.files), messages };
  return out.data === undefined ? record : { ...record, ...(await cache.storeData(key, format, out.data)) };
}

/**
 * A record's file entries, with one copy of each kind and document id: the records stay for the whole
 * build (~480 000 files at 10 000 letters), and files from a worker's message bring a copy of both
 * strings each (~20 MB of heap at that size).
 */
function fileEntries(files: readonly OutputFile[]): FileEntry[] {
  const one = new Map<string, string>();
  const same = (s: string) => {
    const known = one.get(s);
    if (known !== undefined) return known;
    one.set(s, s);
    return s;
  };
  return files.map((f) => {
    const entry: FileEntry = f.doc === undefined ? { path: f.path, kind: same(f.kind) } : { path: f.path, kind: same(f.kind), doc: same(f.doc) };
    if (f.version !== undefined) entry.version = f.version;
    return entry;
  });
}

/**
 * Files of the previous build's records (per document or edition-wide part, per format) that this
 * build did not carry over as the same record: the only ones it may have stopped making.
 */
function droppedFiles(previous: Record<string, Record<string, RenderRecord>>, now: Record<string, Record<string, RenderRecord>>): string[] {
  const out: string[] = [];
  // (for-in: no array of entries made for each of 10 000 documents.)
  for (const id in previous) {
    const formats = previous[id]!;
    const made = now[id];
    for (const name in formats) {
      const record = formats[name]!;
      if (made?.[name] !== record) for (const f of record.files) out.push(f.path);
    }
  }
  return out;
}

/** Output folders from which their times are taken on a thread of their own (presence). */
const FOLDER_STATS_THREAD = 2000;

/** Documents rendered in place above which a watcher's folder watch takes every folder's time afresh (~50 files each). */
const RESYNC_RENDERED = 100;

/** A build that rendered fewer documents than this (a watcher's save) makes its edition-wide parts side by side. */
const SIDE_BY_SIDE_RENDERED = 8;

/** The paths of records' file lists (not copied into one list: in place, nobody asks for them). */
function* pathsOf(lists: readonly (readonly FileEntry[])[]): Generator<string> {
  for (const files of lists) for (const f of files) yield f.path;
}

/**
 * Identifies the output a build wrote: its manifest.json's inode, mtime and size (the file is new
 * whenever its text changes; a watcher's build that leaves the text as it was keeps the file, and
 * with it the stamp, for the output its cache state describes).
 */
export function outputStamp(outDir: string): string | undefined {
  try {
    const st = statSync(path.join(outDir, 'manifest.json'));
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return undefined;
  }
}

type OutputsPart = { outputs: Record<string, string>; results: Record<string, string>; text?: string };

/** The document whose outputs (`part`) or full metadata (`meta`) were read last, by its key: kept until another's are read. */
type Recent = { key?: string; part?: OutputsPart; metaKey?: string; meta?: DocMeta };

/**
 * Outputs and text of a cached document, read from the cache when a format asks
 * for them. Only the most recently read document's are kept (`recent`), so a
 * corpus-wide pass over every document's outputs does not hold them all at once.
 * (A class: its accessors are on the prototype. Defined on each object, they made every one a
 * dictionary-mode object, ~20 µs each: 0.2–0.4 s for the 10 000 documents of each build.)
 */
class CachedDocument implements BuiltDocument {
  readonly id: string;
  readonly file: string;
  readonly displayPath: string;
  readonly meta: BuiltDocument['meta'];
  /** Set by a format (e.g. outputs a stylesheet made afresh): kept on the document, not read from the cache. */
  #own: Partial<OutputsPart> = {};

  constructor(
    base: Omit<BuiltDocument, 'outputs' | 'results' | 'text'>,
    readonly key: string,
    private readonly cache: BuildCache,
    private readonly recent: Recent,
  ) {
    this.id = base.id;
    this.file = base.file;
    this.displayPath = base.displayPath;
    this.meta = base.meta;
  }

  #part(): OutputsPart {
    const recent = this.recent;
    if (recent.key !== this.key) {
      recent.part = this.cache.outputs(this.key);
      recent.key = this.key;
    }
    return recent.part!;
  }

  get outputs(): Record<string, string> {
    return 'outputs' in this.#own ? this.#own.outputs! : this.#part().outputs;
  }
  set outputs(v: Record<string, string>) {
    this.#own.outputs = v;
  }
  get results(): Record<string, string> {
    return 'results' in this.#own ? this.#own.results! : this.#part().results;
  }
  set results(v: Record<string, string>) {
    this.#own.results = v;
  }
  get text(): string | undefined {
    return 'text' in this.#own ? this.#own.text : this.#part().text;
  }
  set text(v: string | undefined) {
    this.#own.text = v;
  }

  /**
   * Texts of passages and notes are not kept (`withoutTexts`): they are read again where asked for (the
   * last document's kept while it is the one asked for: a save's letter is asked for by several formats).
   */
  fullMeta(): BuiltDocument['meta'] {
    const recent = this.recent;
    if (recent.metaKey !== this.key) {
      recent.meta = this.cache.fullMeta(this.key);
      recent.metaKey = this.key;
    }
    return recent.meta!;
  }

  /** Lets go of this document's outputs and full metadata if they are the ones last read. */
  release(): void {
    const recent = this.recent;
    if (recent.key === this.key) recent.key = recent.part = undefined;
    if (recent.metaKey === this.key) recent.metaKey = recent.meta = undefined;
  }
}

/** A transform result whose text is read from the cache when asked for (validation). */
function lazyResult(r: SlimResult & { key: string }, cache: BuildCache): TransformResult {
  let text: string | undefined;
  let loaded = !r.ok;
  return {
    ...r, outputs: {}, results: {},
    get text() {
      if (!loaded) {
        text = cache.outputs(r.key).text;
        loaded = true;
      }
      return text;
    },
  };
}

/** Debug timings of the steps of writing (DEBUG=tei-edition:build): each call logs the time since the previous one. */
function laps(): (step: string) => void {
  let t = performance.now();
  return (step) => {
    if (!debug.enabled) return;
    const now = performance.now();
    debug('  %s: %d ms', step, Math.round(now - t));
    t = now;
  };
}

