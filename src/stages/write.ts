/**
 * Stage "write": every output goes into a temporary folder beside the output
 * folder, which is swapped in only when complete. A build killed at any moment
 * leaves the previous output intact. No path derived from input can leave
 * the output folder.
 *
 * Streaming: `openStaging(out)` gives a staging folder to which files are
 * written as they are produced (`write`), or carried over unchanged from the
 * previous output (`keep`: a hard link, or a copy where links are not
 * possible); `commit()` swaps it in, `abort()` removes it.
 *
 * Incremental builds that change a few files of a large output update it in
 * place instead (`openInPlace`): carrying tens of thousands of unchanged files
 * over by hard links and removing the old tree would cost seconds. Every change
 * is first recorded in a rollback journal inside the output folder
 * (`.tei-edition-rollback/`: the previous version of each replaced or removed
 * file, hard-linked, and the list of files created); each file is replaced
 * atomically (write beside, rename over); `commit()` removes the journal. A
 * build that fails or is killed before that is rolled back — by `abort()`, or by
 * the next build that opens the folder — so the output is always one complete
 * build, the previous or the new one.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, writeFileSync } from 'node:fs';
import { copyFile, cp, link, lstat, mkdir, open, opendir, readFile, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isChunks, type OutputFile } from '../model.js';

/** Bytes encoded at a time when content comes in pieces. */
const CHUNK_BYTES = 1 << 20;

/**
 * Writes an output's content to a file. Text in pieces (`Chunks`) is encoded through one buffer of
 * 1 MB, reused: neither the whole text nor its bytes exist at once (an edition-wide file of 100 MB
 * would otherwise be a string and a Buffer as large, and the garbage of both). Its megabytes are
 * written one after the other to the open file (writeFileSync on a descriptor writes all it is
 * given, at the file's position), without a trip through the thread pool each (the 104 MB teiCorpus of
 * 10 000 letters: 40–50 ms written so, 57–250 ms awaited megabyte by megabyte, on this machine).
 */
export async function writeContent(file: string, content: OutputFile['content']): Promise<void> {
  if (!isChunks(content)) return writeFile(file, content);
  const fd = openSync(file, 'w');
  try {
    for (const block of encoded(content)) writeFileSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes an output's content over an existing file (a spare: see Spares), from its first byte, and cuts
 * it at the end of the content: the blocks the file has are written again, not freed and allocated anew.
 * Throws before anything of the content is taken when the file cannot be opened.
 */
function overwriteContent(file: string, content: OutputFile['content']): void {
  const fd = openSync(file, 'r+');
  try {
    let size = 0;
    const put = (block: Uint8Array | string) => {
      const bytes = typeof block === 'string' ? Buffer.from(block) : block;
      writeFileSync(fd, bytes);
      size += bytes.byteLength;
    };
    if (isChunks(content)) for (const block of encoded(content)) put(block);
    else put(content);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Text in pieces as UTF-8, block by block: pieces encoded into one buffer of 1 MB, given when the
 * next piece might not fit (a block is valid until the next is asked for: the buffer is reused),
 * and a piece larger than the buffer given alone, as it is.
 */
function* encoded(pieces: Iterable<string>): Generator<Uint8Array | string> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const piece of pieces) {
    // At most 3 bytes of UTF-8 per UTF-16 code unit: a piece that might not fit goes after a flush, or alone.
    if (piece.length * 3 > CHUNK_BYTES - used) {
      if (used) yield buffer.subarray(0, used);
      used = 0;
      if (piece.length * 3 > CHUNK_BYTES) {
        yield piece;
        continue;
      }
    }
    used += buffer.write(piece, used);
  }
  if (used) yield buffer.subarray(0, used);
}

/**
 * Whether a file holds exactly an output's content: a different size answers at once for a string
 * or bytes; text in pieces is encoded as writeContent encodes it and compared with the file's bytes
 * read as far, a difference stopping the reading (a watcher's or a command's first build compares a
 * file it did not write itself, e.g. the 50 MB manifest.json of 10 000 letters, instead of writing
 * it again unchanged). False when the file cannot be read. (Pieces in an array only: an iterable that
 * makes them as it is read would be used up.)
 */
export function sameContent(file: string, content: string | Uint8Array | readonly string[]): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    const whole = typeof content === 'string' || content instanceof Uint8Array;
    if (whole && (typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength) !== size) return false;
    let at = 0;
    const disk = Buffer.allocUnsafe(CHUNK_BYTES);
    // The next bytes of the file are these.
    const next = (block: Uint8Array | string): boolean => {
      const bytes = typeof block === 'string' ? Buffer.from(block) : block;
      for (let i = 0; i < bytes.length; i += CHUNK_BYTES) {
        const part = bytes.subarray(i, Math.min(bytes.length, i + CHUNK_BYTES));
        if (at + part.length > size) return false;
        if (readSync(fd, disk, 0, part.length, at) !== part.length || !disk.subarray(0, part.length).equals(part)) return false;
        at += part.length;
      }
      return true;
    };
    if (whole) return next(content) && at === size;
    for (const block of encoded(content)) if (!next(block)) return false;
    return at === size;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

export class UnsafePathError extends Error {
  constructor(readonly outputPath: string) {
    super(`refusing to write outside the output folder: ${JSON.stringify(outputPath)}`);
    this.name = 'UnsafePathError';
  }
}

/**
 * A path of plain names (letters, digits, `_`, `-`, `.`, none starting with a dot), joined by
 * single slashes: safe, and its own normal form. Nearly every output path is one, and an edition
 * of 10 000 letters has ~500 000 files, each checked when written or kept and when the previous
 * files are compared; the others take the full check.
 */
const PLAIN_PATH = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;

/** Checks a relative output path: no absolute paths, no "..", no empty or odd segments. */
export function checkOutputPath(p: string): string {
  if (PLAIN_PATH.test(p)) return p;
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (
    !p || path.posix.isAbsolute(norm) || /^[a-zA-Z]:/.test(norm) || norm.split('/').some((s) => s === '..' || s === '' || s === '.') ||
    norm.includes('\0')
  ) {
    throw new UnsafePathError(p);
  }
  return norm;
}

/** Files removed at once by `removeTree` (each an unlink on the thread pool). */
export const REMOVE_CONCURRENCY = 32;

/** The file-system calls `removeTree` makes (a test counts them). */
export interface RemoveFs {
  opendir: typeof opendir;
  unlink: (file: string) => Promise<void>;
  rmdir: (dir: string) => Promise<void>;
  lstat: (file: string) => Promise<{ isDirectory(): boolean }>;
}

const nodeRemoveFs: RemoveFs = { opendir, unlink, rmdir, lstat };

/**
 * Removes a folder and everything under it (as `rm -rf`: nothing there is not an error, links are
 * removed, never followed), walking it one folder at a time with at most `concurrency` files being
 * removed at once. Node's recursive `fs.promises.rm` begins the removal of every entry of a folder at
 * once, and of their entries, so that the whole tree is under way together: the previous output of
 * an edition of 10 000 letters (~485 000 files, replaced by a full build) took 2 minutes and ~700 MB
 * of the build's heap to remove so. Here memory stays flat: one open listing per level of depth, and
 * the files in flight.
 */
export async function removeTree(root: string, concurrency = REMOVE_CONCURRENCY, fs: RemoveFs = nodeRemoveFs): Promise<void> {
  const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';
  try {
    if (!(await fs.lstat(root)).isDirectory()) return await fs.unlink(root);
  } catch (e) {
    if (missing(e)) return;
    throw e;
  }
  const inflight = new Set<Promise<void>>();
  let failure: unknown;
  const settle = async () => {
    await Promise.all(inflight);
    if (failure !== undefined) throw failure;
  };
  const remove = async (file: string) => {
    while (inflight.size >= concurrency) await Promise.race(inflight);
    if (failure !== undefined) throw failure;
    const p: Promise<void> = fs.unlink(file).then(
      () => void inflight.delete(p),
      (e: unknown) => {
        inflight.delete(p);
        if (!missing(e)) failure ??= e;
      },
    );
    inflight.add(p);
  };
  const walk = async (dir: string): Promise<void> => {
    let listing;
    try {
      listing = await fs.opendir(dir);
    } catch (e) {
      if (missing(e)) return;
      throw e;
    }
    // (A folder's entries one at a time, as the system lists them: not an array of ~10 000 names.)
    for await (const entry of listing) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else await remove(full);
    }
    await settle();
    try {
      await fs.rmdir(dir);
    } catch (e) {
      if (!missing(e)) throw e;
    }
  };
  try {
    await walk(root);
  } finally {
    await Promise.all(inflight);
  }
  if (failure !== undefined) throw failure;
}

function stagingName(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.tmp-${process.pid}-${Date.now()}`);
}

/** Removes temporary folders left by builds that were killed (staging `.tmp-`, previous output `.old-`, committed journal `.done-`, spares `.spare-`). */
async function cleanStale(out: string): Promise<void> {
  const dir = path.dirname(out);
  const prefix = `.${path.basename(out)}.`;
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const stale = (n: string, kind: string) => {
    const m = new RegExp(`\\.${kind}-(\\d+)-(\\d+)$`).exec(n);
    return m && n.startsWith(prefix) && (Number(m[1]) === process.pid || !isAlive(Number(m[1]))) ? Number(m[2]) : undefined;
  };
  // A build killed between the two renames of the swap left no output folder, only
  // the previous one renamed ".old-…": put the newest back.
  if (!existsSync(out)) {
    const olds = names.filter((n) => stale(n, 'old') !== undefined).sort((a, b) => stale(b, 'old')! - stale(a, 'old')!);
    if (olds[0]) await rename(path.join(dir, olds[0]), out);
  }
  // (Spare folders are a live process's own, this one's included: only those of a process gone are stale.)
  const staleSpares = (n: string) => {
    const m = /\.spare-(\d+)-(\d+)$/.exec(n);
    return m !== null && n.startsWith(prefix) && Number(m[1]) !== process.pid && !isAlive(Number(m[1]));
  };
  for (const n of names) {
    if (stale(n, 'tmp') === undefined && stale(n, 'old') === undefined && stale(n, 'done') === undefined && !staleSpares(n)) continue;
    await removeTree(path.join(dir, n));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface WriteOptions {
  /** Files already in the output folder to carry over (e.g. an unchanged cache); relative paths. */
  keep?: string[];
}

/** An output folder being written; nothing is visible in the output folder before `commit()`. */
export interface Staging {
  /** The output folder (absolute). */
  readonly out: string;
  /** The staging folder (absolute). */
  readonly dir: string;
  /** Writes one file into the staging folder. Throws on an unsafe or duplicate path. */
  write(file: Pick<OutputFile, 'path' | 'content'>): Promise<void>;
  /**
   * Carries a file of the previous output over unchanged (hard link, else copy).
   * Returns false when the previous output has no such file.
   */
  keep(relPath: string): Promise<boolean>;
  /**
   * Carries files over (as `keep`); gives the first that the previous output no longer has, if any.
   * `checked`: the caller has just found them all there, and they are paths this writer's earlier
   * builds wrote (checked then, and unique then): in place, nothing is left to do — not even to note
   * them (an edition of 10 000 letters carries ~480 000 over); the caller's records list them, and
   * a path such a file has that this build also writes is the caller's to find (the manifest does).
   */
  keepAll(relPaths: Iterable<string>, checked?: boolean): Promise<string | undefined>;
  /** Whether a path was already written or kept (in place: not those of a checked `keepAll`). */
  has(relPath: string): boolean;
  /**
   * Keeps the previous output's dot-files, then swaps the staging folder in.
   * (In place: removes `previous` files that were neither written nor kept.)
   */
  commit(previous?: Iterable<string>): Promise<void>;
  /**
   * After the commit: removes what is left of the previous output beside the folder (swapped: the
   * previous folder; in place: the journal, with the previous versions of the files replaced). The
   * output is complete without it; a build may report first (a watcher's, at 10 000 letters: the
   * journal holds the previous teiCorpus and manifest, ~150 MB, 40–80 ms to remove).
   */
  settle(): Promise<void>;
  /** Removes the staging folder; the output folder stays as it was. */
  abort(): Promise<void>;
}

/** What a commit leaves beside the output folder (the previous one, or the journal): removed by `settle()`, once. */
function leftovers(): { leave(folder: string): void; settle(): Promise<void> } {
  let left: string | undefined;
  return {
    leave: (folder) => void (left = folder),
    settle: async () => {
      const l = left;
      left = undefined;
      if (l) await removeTree(l);
    },
  };
}

export async function openStaging(outDir: string): Promise<Staging> {
  const out = path.resolve(outDir);
  await mkdir(path.dirname(out), { recursive: true });
  await cleanStale(out);
  await rollBack(out);
  const dir = stagingName(out);
  await mkdir(dir, { recursive: true });
  const seen = new Set<string>();
  const dirs = new Set<string>([dir]);
  let state: 'open' | 'committed' | 'aborted' = 'open';
  const leftover = leftovers();
  let canLink = true;

  const claim = async (p: string): Promise<string> => {
    if (state !== 'open') throw new Error(`staging folder already ${state}`);
    const rel = checkOutputPath(p);
    if (seen.has(rel)) throw new Error(`two outputs want the same path: ${rel}`);
    seen.add(rel);
    const target = path.join(dir, rel);
    const parent = path.dirname(target);
    if (!dirs.has(parent)) {
      await mkdir(parent, { recursive: true });
      for (let d = parent; d.length > dir.length && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
    }
    return target;
  };

  const staging: Staging = {
    out,
    dir,
    async write(file) {
      await writeContent(await claim(file.path), file.content);
    },
    async keep(p) {
      const rel = checkOutputPath(p);
      const from = path.join(out, rel);
      if (seen.has(rel) || !existsSync(from)) return false;
      const target = await claim(rel);
      if (canLink) {
        try {
          await link(from, target);
          return true;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'ENOENT') {
            seen.delete(rel);
            return false;
          }
          canLink = false; // other file system, or links not supported: copy from now on
        }
      }
      await copyFile(from, target);
      return true;
    },
    async keepAll(paths) {
      for (const p of paths) if (!(await staging.keep(p))) return p;
      return undefined;
    },
    has(p) {
      return seen.has(checkOutputPath(p));
    },
    async commit() {
      if (state !== 'open') throw new Error(`staging folder already ${state}`);
      try {
        // Keep dot-files of the previous output (e.g. the .gitignore placeholder).
        if (existsSync(out)) {
          for (const n of await readdir(out)) {
            if (n.startsWith('.') && !seen.has(n)) await cp(path.join(out, n), path.join(dir, n), { recursive: true });
          }
        }
        if (process.env.TEI_EDITION_FAIL_BEFORE_SWAP) throw new Error('simulated failure before swap (TEI_EDITION_FAIL_BEFORE_SWAP)');
      } catch (error) {
        await staging.abort();
        throw error;
      }
      state = 'committed';
      const old = stagingName(out).replace('.tmp-', '.old-');
      if (existsSync(out)) await rename(out, old);
      await rename(dir, out);
      if (existsSync(old)) leftover.leave(old);
    },
    settle: leftover.settle,
    async abort() {
      if (state === 'committed') return;
      state = 'aborted';
      await removeTree(dir);
    },
  };
  return staging;
}

/** An output at least this large keeps a spare (Spares). */
export const SPARE_MIN = 4 << 20;

/**
 * Spare files for a session's in-place updates of one output folder. The previous versions of its
 * large files (at 10 000 letters the teiCorpus and manifest.json, 108 and 51 MB, made again by every
 * save) are kept when the journal goes, and each is overwritten by the next version of its file, which
 * is then renamed into place. Written to a new file, those megabytes take blocks that are allocated as
 * they are written back (on ext4, at once: a file renamed over another has its data written out at the
 * rename), and the replaced file's blocks are freed, and discarded on a file system mounted so, when the
 * journal is removed; a spare's blocks are written again. Measured here (108 MB): 70–120 ms to write,
 * rename and remove, ~12 ms to overwrite a spare and rename it; several times more, the former, while
 * the disk is busy with an earlier build's writes. A watcher's warm-up copies the files a save makes
 * again as the first spares (`prepare`). Kept beside the output folder (`.<name>.spare-<pid>-<time>`,
 * removed by a later build once its process is gone, or by `clear()`). A spare is a file of its own:
 * a replaced file linked from anywhere else (its link count above one) is not kept.
 */
export class Spares {
  readonly out: string;
  readonly dir: string;
  /** Output path → its spare. */
  private files = new Map<string, string>();
  private made = 0;
  private ready: Promise<void> | undefined;

  /** `min`: the least size of a file kept as a spare (tests take smaller ones). */
  constructor(outDir: string, readonly min = SPARE_MIN) {
    this.out = path.resolve(outDir);
    this.dir = path.join(path.dirname(this.out), `.${path.basename(this.out)}.spare-${process.pid}-${Date.now()}`);
  }

  /** The spare of an output path, taken: the caller overwrites it and renames it into place. */
  take(rel: string): string | undefined {
    const file = this.files.get(rel);
    this.files.delete(rel);
    return file;
  }

  /** How many spares are kept. */
  get size(): number {
    return this.files.size;
  }

  private next(): string {
    return path.join(this.dir, String(++this.made));
  }

  private folder(): Promise<void> {
    return (this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined));
  }

  /**
   * Copies the output's files at these paths (those of `min` bytes or more without a spare) as spares,
   * and has their blocks written (idle time: a watcher's warm-up). Gives how many were made.
   */
  async prepare(rels: Iterable<string>): Promise<number> {
    let n = 0;
    for (const rel of rels) {
      if (this.files.has(rel)) continue;
      const from = path.join(this.out, checkOutputPath(rel));
      let size: number;
      try {
        const st = await lstat(from);
        if (!st.isFile()) continue;
        size = st.size;
      } catch {
        continue;
      }
      if (size < this.min) continue;
      await this.folder();
      const spare = this.next();
      try {
        await copyFile(from, spare);
        const handle = await open(spare, 'r+');
        try {
          await handle.datasync();
        } finally {
          await handle.close();
        }
      } catch {
        await rm(spare, { force: true });
        continue;
      }
      this.files.set(rel, spare);
      n++;
    }
    return n;
  }

  /**
   * After a commit: the previous versions of the files it replaced (`saved`, in the journal) become
   * the spares of their paths (those of `min` bytes or more, linked from nowhere else). The spares a
   * build did not take are kept (one at most per path: the session's spares weigh at most what the
   * large files of its output weigh).
   */
  async renew(replaced: Iterable<{ rel: string; saved: string }>): Promise<void> {
    for (const { rel, saved } of replaced) {
      if (this.files.has(rel)) continue;
      try {
        const st = await lstat(saved);
        if (!st.isFile() || st.size < this.min || st.nlink !== 1) continue;
        await this.folder();
        const spare = this.next();
        await rename(saved, spare);
        this.files.set(rel, spare);
      } catch {
        // (Another file system, or gone: no spare for it.)
      }
    }
  }

  /** Removes every spare (a watcher that stops). */
  async clear(): Promise<void> {
    this.files = new Map();
    this.ready = undefined;
    await removeTree(this.dir);
  }
}

const JOURNAL_DIR = '.tei-edition-rollback';

/** Rolls back an in-place update that did not commit (its process is gone); true when there was one. */
export async function rollBack(out: string, ownPid?: number): Promise<boolean> {
  const dir = path.join(out, JOURNAL_DIR);
  let log: string;
  try {
    log = await readFile(path.join(dir, 'journal'), 'utf8');
  } catch {
    if (existsSync(dir) && ownPid === undefined) await removeTree(dir);
    return false;
  }
  const [head, ...entries] = log.split('\n');
  const pid = Number(/^pid (\d+)$/.exec(head ?? '')?.[1]);
  if (ownPid === undefined && pid && pid !== process.pid && isAlive(pid)) {
    throw new Error(`another build (process ${pid}) is updating ${out}`);
  }
  // Undo in reverse order: created files go, replaced and removed files come back.
  for (const line of entries.reverse()) {
    const kind = line.slice(0, 1);
    const rel = line.slice(2);
    if (!rel) continue;
    const target = path.join(out, checkOutputPath(rel));
    if (kind === 'C') {
      await rm(target, { force: true });
      // Folders the update made for it go too (rmdir fails, harmlessly, on a folder that is not empty).
      for (let d = path.dirname(target); d.length > out.length; d = path.dirname(d)) {
        try {
          await rmdir(d);
        } catch {
          break;
        }
      }
    }
    else if (kind === 'B') {
      const saved = path.join(dir, 'files', rel);
      if (existsSync(saved)) {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(saved, target);
      }
    }
  }
  await removeTree(dir);
  return true;
}

/**
 * Updates an existing output folder in place (see the head of this module):
 * `write` replaces or creates a file, `keep` checks that a previous file is
 * there, `commit(remove)` removes the previous files no longer produced and drops
 * the journal; `abort()` (or the next build, after a kill) rolls back.
 */
export async function openInPlace(outDir: string, options: { present?: (rel: string) => boolean; spares?: Spares } = {}): Promise<Staging> {
  const out = path.resolve(outDir);
  const present = options.present ?? ((rel: string) => existsSync(path.join(out, rel)));
  await cleanStale(out);
  await rollBack(out);
  const dir = path.join(out, JOURNAL_DIR);
  await removeTree(dir);
  await mkdir(path.join(dir, 'files'), { recursive: true });
  const journal = path.join(dir, 'journal');
  await writeFile(journal, `pid ${process.pid}\n`);
  // One handle for the whole update (an append per entry opened and closed the journal each time);
  // entries are written one after the other, each before the change it records.
  const log = await open(journal, 'a');
  let tail: Promise<unknown> = Promise.resolve();
  const record = (line: string): Promise<unknown> => (tail = tail.then(() => log.write(line)));
  const seen = new Set<string>();
  const dirs = new Set<string>();
  const spares = options.spares?.out === out ? options.spares : undefined;
  /** The files replaced by writes (their previous versions, in the journal, are the spares' next). */
  const replaced: string[] = [];
  let doneDir: string | undefined;
  let written = 0;
  let state: 'open' | 'committed' | 'aborted' = 'open';
  const leftover = leftovers();
  const ensureDir = async (d: string) => {
    if (dirs.has(d)) return;
    await mkdir(d, { recursive: true });
    dirs.add(d);
  };
  /** Records (before doing it) that a file is replaced or removed, keeping its previous version. */
  const backUp = async (rel: string): Promise<void> => {
    await record(`B ${rel}\n`);
    const saved = path.join(dir, 'files', rel);
    await ensureDir(path.dirname(saved));
    try {
      await link(path.join(out, rel), saved);
    } catch {
      await copyFile(path.join(out, rel), saved);
    }
  };
  const keepOne = (p: string): boolean => {
    const rel = checkOutputPath(p);
    if (seen.has(rel) || !present(rel)) return false;
    seen.add(rel);
    return true;
  };
  const staging = {
    out,
    dir: out,
    async write(file: Pick<OutputFile, 'path' | 'content'>) {
      if (state !== 'open') throw new Error(`output update already ${state}`);
      const rel = checkOutputPath(file.path);
      if (rel === JOURNAL_DIR || rel.startsWith(`${JOURNAL_DIR}/`)) throw new UnsafePathError(file.path);
      if (seen.has(rel)) throw new Error(`two outputs want the same path: ${rel}`);
      seen.add(rel);
      // Its own temporary name, taken now: writes run side by side (documents, then parts).
      const n = ++written;
      const target = path.join(out, rel);
      const replacing = existsSync(target);
      if (replacing) await backUp(rel);
      else await record(`C ${rel}\n`);
      await ensureDir(path.dirname(target));
      // A file replaced: its last version kept as a spare (Spares) is written over, and renamed into place.
      const spare = replacing ? spares?.take(rel) : undefined;
      let overwritten = false;
      if (spare) {
        try {
          overwriteContent(spare, file.content);
          overwritten = true;
        } catch (error) {
          await rm(spare, { force: true });
          if ((error as { code?: string }).code !== 'ENOENT') throw error; // (gone before it was opened: written anew)
        }
      }
      if (replacing) replaced.push(rel);
      if (overwritten) return void (await rename(spare!, target));
      const tmp = path.join(dir, `.write-${n}`);
      await writeContent(tmp, file.content);
      await rename(tmp, target);
    },
    async keep(p: string) {
      return keepOne(p);
    },
    /** Carrying over in place leaves the files where they are (checked: not even noted). */
    async keepAll(paths: Iterable<string>, checked = false) {
      if (checked) return undefined;
      for (const p of paths) if (!keepOne(p)) return p;
      return undefined;
    },
    has(p: string) {
      return seen.has(checkOutputPath(p));
    },
    /** Removes the files of the previous build that this one did not write or keep, then drops the journal. */
    async commit(previous: Iterable<string> = []) {
      if (state !== 'open') throw new Error(`output update already ${state}`);
      try {
        for (const p of previous) {
          if (seen.has(p)) continue; // written or kept (the usual case: no check, no stat)
          const rel = checkOutputPath(p);
          if (seen.has(rel) || !existsSync(path.join(out, rel))) continue;
          await backUp(rel);
          await rm(path.join(out, rel), { force: true });
        }
        if (process.env.TEI_EDITION_FAIL_BEFORE_SWAP) throw new Error('simulated failure before swap (TEI_EDITION_FAIL_BEFORE_SWAP)');
      } catch (error) {
        await staging.abort();
        throw error;
      }
      state = 'committed';
      await log.close();
      // The commit: the journal leaves the output folder (renamed beside it, removed by settle()).
      const done = stagingName(out).replace('.tmp-', '.done-');
      await rename(dir, done);
      leftover.leave(done);
      doneDir = done;
    },
    async settle() {
      // The previous versions of the files replaced, in the journal, become the spares before it goes.
      if (spares && doneDir) await spares.renew(replaced.map((rel) => ({ rel, saved: path.join(doneDir!, 'files', rel) })));
      doneDir = undefined;
      await leftover.settle();
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await tail.catch(() => undefined);
      await log.close();
      await rollBack(out, process.pid);
    },
  };
  return staging;
}

/** Writes a whole output folder at once (staging + swap). */
export async function writeOutput(outDir: string, files: OutputFile[], options: WriteOptions = {}): Promise<void> {
  const staging = await openStaging(outDir);
  try {
    for (const f of files) await staging.write(f);
    for (const k of options.keep ?? []) await staging.keep(k);
  } catch (error) {
    await staging.abort();
    throw error;
  }
  await staging.commit();
  await staging.settle();
}
