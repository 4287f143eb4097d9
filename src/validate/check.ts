/**
 * Layers 1 and 2 of a set of files: each file is read, checked for
 * well-formedness and validated against the RELAX NG schema in ONE saxes
 * pass (the validator observes the load stage's parse), in this thread or
 * spread over worker threads (check-worker.ts) for a large set.
 *
 * Files are assigned to threads statically (assignThreads), so the result does
 * not depend on which thread finishes first; each thread loads the schema once
 * (from the schema cache, see rng/schema.ts).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers.js';
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from '../diagnostics.js';
import { debug } from './debug.js';
import { loadDocument, type LoadedDocument, type LoadOptions } from '../stages/load.js';
import { loadSchema, SchemaError, writeSchemaCache, type CompiledSchema } from './rng/schema.js';
import { RngSession, type RngOptions } from './rng/validator.js';

export interface CheckedFile {
  doc: LoadedDocument;
  /** RELAX NG messages (when a schema was given and the document is ok). */
  schemaMessages?: VFileMessage[];
}

export interface CheckTask {
  /** Absolute path and the path shown in messages. */
  files: { file: string; displayPath: string }[];
  load: LoadOptions;
  /** Absolute path of the schema; none = layer 1 only. */
  schema?: string;
  rng: RngOptions;
}

/** Fewer files than this are checked in this thread (a worker costs a start-up and a schema compile). */
export const PARALLEL_MIN_FILES = 32;


/** Checks one file: load (layer 1) with the RELAX NG validator observing the same parse. */
export async function checkFile(file: string, displayPath: string, load: LoadOptions, schema?: CompiledSchema, rng: RngOptions = {}): Promise<CheckedFile> {
  const session = schema ? new RngSession(schema, displayPath, rng) : undefined;
  // Asynchronous reads: on a busy machine a thread that waits for its reads now and then is given the
  // processor sooner than one that never waits (synchronous reads: same CPU time, up to 1.6× the wall time).
  const doc = await loadDocument(file, displayPath, load, session);
  return { doc, schemaMessages: session && doc.ok ? session.messages : undefined };
}

/** This thread's share of the work, relative to a worker's: it also receives and revives the workers' results. */
const OWN_SHARE = 0.8;

/**
 * Which thread checks file i, given the files' sizes: files are dealt out in
 * order, each to the thread with the fewest bytes for its share (ties: the
 * lower thread), so the split depends only on the sizes and the number of
 * threads, never on timing.
 */
export function assignThreads(sizes: number[], threads: number): number[] {
  const out: number[] = new Array(sizes.length);
  const load = new Array<number>(threads).fill(0);
  const share = (t: number) => (t === 0 ? OWN_SHARE : 1);
  for (let i = 0; i < sizes.length; i++) {
    // Every file counts for a little more than its bytes (its start-up costs too).
    const w = sizes[i]! + 4096;
    let best = 0;
    for (let t = 1; t < threads; t++) if ((load[t]! + w) / share(t) < (load[best]! + w) / share(best)) best = t;
    load[best]! += w;
    out[i] = best;
  }
  return out;
}

/** A file's size in bytes (0 if it cannot be read: checking it reports why). */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Number of threads for `files` files: `jobs` if given, else one per core for a large set. */
export function threadsFor(files: number, jobs?: number): number {
  const n = jobs ?? (files >= PARALLEL_MIN_FILES ? availableParallelism() : 1);
  return Math.max(1, Math.min(n, Math.ceil(files / 4)));
}

/** What every thread needs besides its files. */
export type CheckSetup = Omit<CheckTask, 'files'>;

/**
 * Worker threads started ahead (before the files are known, e.g. during
 * discovery), so that their start-up and schema load overlap this thread's
 * work. Stop the ones checkFiles does not use.
 */
export function startHelpers(count: number, setup: CheckSetup): Helper[] {
  return Array.from({ length: Math.max(0, count) }, () => new Helper(setup));
}

export function stopHelpers(helpers: Helper[]): void {
  for (const h of helpers) h.stop();
}

/**
 * Checks every file of the task, in file order, with `threads` threads (this
 * one included); `helpers` started ahead with the same setup are used first.
 */
export async function checkFiles(task: CheckTask, threads: number, helpers: Helper[] = []): Promise<CheckedFile[]> {
  const n = Math.max(1, Math.min(threads, task.files.length));
  const { files, ...setup } = task;
  const t0 = performance.now();
  const since = () => Math.round(performance.now() - t0);
  const out: CheckedFile[] = new Array(files.length);
  const workers: Promise<void>[] = [];
  const pool = helpers.slice(0, n - 1);
  stopHelpers(helpers.slice(n - 1));
  while (pool.length < n - 1) pool.push(new Helper(setup));
  try {
    const thread = assignThreads(n > 1 ? files.map((f) => sizeOf(f.file)) : files.map(() => 0), n);
    pool.forEach((helper, k) => {
      const t = k + 1;
      const mine = files.map((_, i) => i).filter((i) => thread[i] === t);
      workers.push(
        helper.run(mine.map((i) => files[i]!), (j, r) => (out[mine[j]!] = r)).then(() => debug('thread %d: %d files done at %d ms', t, mine.length, since())),
      );
    });
    // This thread's schema load overlaps the workers'.
    const schema = setup.schema ? loadSchema(setup.schema, { writeCache: 'later' }) : undefined;
    if (schema) debug('schema %s loaded at %d ms', setup.schema, since());
    // This thread's share; the workers' results arrive meanwhile.
    const errors: unknown[] = [];
    const settled = Promise.allSettled(workers).then((rs) => rs.forEach((r) => r.status === 'rejected' && errors.push(r.reason)));
    let own = 0;
    for (let i = 0; i < files.length; i++) {
      if (thread[i] !== 0) continue;
      const f = files[i]!;
      out[i] = await checkFile(f.file, f.displayPath, setup.load, schema, setup.rng);
      own++;
    }
    debug('thread 0: %d files done at %d ms', own, since());
    // A schema compiled here goes to the cache now, while the workers finish.
    if (schema) writeSchemaCache(schema);
    await settled;
    if (errors.length) throw errors[0];
    return out;
  } finally {
    stopHelpers(pool);
  }
}

// ---- transfer between threads ----------------------------------------------

export interface WireMessage {
  file?: string;
  reason: string;
  line?: number;
  column?: number;
  ruleId?: string;
  source?: string;
  fatal?: boolean | null;
  expected?: string[];
  note?: string;
  url?: string;
}

export interface WireFile {
  doc: Omit<LoadedDocument, 'messages' | 'text'> & { text?: string; messages: WireMessage[] };
  schemaMessages?: WireMessage[];
}

/** What a worker posts: one file's result, the end, or a failure. */
export type WorkerReply =
  | { kind: 'file'; index: number; file: WireFile }
  | { kind: 'done' }
  | { kind: 'error'; message: string; schemaError?: { file: string; line: number } };

export function toWire(m: VFileMessage): WireMessage {
  return {
    file: m.file, reason: m.reason, line: m.line, column: m.column, ruleId: m.ruleId, source: m.source,
    fatal: m.fatal, expected: m.expected, note: m.note, url: m.url,
  };
}

function fromWire(w: WireMessage): VFileMessage {
  return diagnostic(w.reason, {
    file: w.file ?? '', line: w.line, column: w.column, ruleId: w.ruleId ?? 'unknown', source: w.source,
    severity: w.fatal === true ? 'error' : w.fatal === false ? 'warning' : 'info', expected: w.expected, note: w.note, url: w.url,
  });
}

export function fileToWire(r: CheckedFile): WireFile {
  const { messages, text, ...rest } = r.doc;
  return {
    // The text equals the original unless a DTD was removed: sent once.
    doc: { ...rest, text: text === r.doc.original ? undefined : text, messages: messages.map(toWire) },
    schemaMessages: r.schemaMessages?.map(toWire),
  };
}

function fileFromWire(w: WireFile): CheckedFile {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // a VFileMessage's stack is discarded: not worth capturing
  try {
    const { messages, text, ...rest } = w.doc;
    const doc: LoadedDocument = { ...rest, text: text ?? rest.original, messages: messages.map(fromWire) };
    return { doc, schemaMessages: w.schemaMessages?.map(fromWire) };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A worker running check-worker.js (check-worker.ts through tsx when run from the sources). */
function startCheckWorker(setup: CheckSetup): Worker {
  return startWorker(import.meta.url, 'check-worker', { workerData: setup });
}

/** One worker thread: starts (modules, schema) at once, checks the files it is given later. */
export class Helper {
  private readonly worker: Worker;
  private failure?: unknown;
  private finished = false;
  private job?: { onFile: (index: number, r: CheckedFile) => void; resolve: () => void; reject: (e: unknown) => void };

  constructor(setup: CheckSetup) {
    this.worker = startCheckWorker(setup);
    this.worker.on('message', (m: WorkerReply) => {
      if (m.kind === 'file') this.job?.onFile(m.index, fileFromWire(m.file));
      else if (m.kind === 'done') {
        this.finished = true;
        this.job?.resolve();
        this.stop();
      } else this.fail(m.schemaError ? new SchemaError(m.message, m.schemaError.file, m.schemaError.line) : new Error(m.message));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`validation worker stopped (exit code ${code})`)));
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.stop();
    if (this.job) this.job.reject(error);
    else this.failure = error;
  }

  /** Checks `files`; `onFile` gets each result (index into `files`) as it arrives. */
  run(files: CheckTask['files'], onFile: (index: number, r: CheckedFile) => void): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.job || this.finished) return Promise.reject(new Error('validation worker already used'));
    return new Promise((resolve, reject) => {
      this.job = { onFile, resolve, reject };
      this.worker.postMessage({ files });
    });
  }

  stop(): void {
    this.finished = true;
    void this.worker.terminate();
  }
}
