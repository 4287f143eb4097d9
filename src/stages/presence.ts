/**
 * Which files of the previous output are still there, without asking the file
 * system once per file. An incremental build carries most files over (about 47
 * per letter with every format: 470 000 at 10 000 letters), and checking each
 * with a stat costs seconds. Instead the build cache records, after each build,
 * the modification time of every folder holding an output file. Removing or
 * renaming a file changes its folder's modification time, so a file the
 * previous build wrote into a folder whose time is unchanged is still there;
 * only files in folders that changed (one stat per folder, remembered) are
 * checked one by one.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { startWorker } from '../workers.js';

/** Output folder (relative, '/'-separated, '.' for the root) → modification time (ms) after the last build. */
export type FolderTimes = Record<string, number>;

export interface Presence {
  /** Whether a file the previous build wrote (relative path) is still in the output. */
  has(rel: string): boolean;
  /**
   * Whether every one of these files is still there: one look per folder when their folders are
   * unchanged (the folders of a list are remembered for the list: a render record's files are
   * the same array from build to build of a watcher).
   */
  hasAll(files: readonly { path: string }[]): boolean;
  /** Notes, before it happens, that this build writes into (or removes from) the folder of a file. */
  touched(rel: string): void;
  /**
   * The folder times to record once the build is committed, given the build's files as lists (render
   * records' lists: their folders are remembered per list): stats only folders this build touched or
   * found changed (every folder when `everything`: a new output folder was swapped in).
   */
  after(lists: Iterable<readonly { path: string }[]>, everything?: boolean): FolderTimes;
}

/** The folder of a relative output path (as path.posix.dirname gives it for a normalised one; called per file). */
const folderOf = (rel: string): string => {
  const r = path.sep === '/' ? rel : rel.split(path.sep).join('/');
  const i = r.lastIndexOf('/');
  return i < 0 ? '.' : r.slice(0, i);
};

/** A file's or folder's modification time (undefined: gone, or not to be stat'ed). */
export function mtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The folder times (an object `after` returned) in which every folder of a list was recorded: if the
 * next build finds all of them as recorded, the list's files are all there.
 */
const wholeIn = new WeakMap<readonly { path: string }[], FolderTimes>();

const foldersOfList = new WeakMap<readonly { path: string }[], string[]>();
function foldersOf(files: readonly { path: string }[]): string[] {
  let f = foldersOfList.get(files);
  if (!f) foldersOfList.set(files, (f = [...new Set(files.map((x) => folderOf(x.path)))]));
  return f;
}

/** Each recorded FolderTimes object's folders (its keys, in order) and their times, made once per object (recordedFolders). */
const recordedArrays = new WeakMap<FolderTimes, { folders: string[]; times: Float64Array }>();

/**
 * The folders of recorded folder times (its keys, in their order) and their times, as arrays: made
 * once per recorded object (a watcher's bookkeeping makes them for the next build, off its path). A
 * build's times taken for these very folders (`folderTimes(out, recordedFolders(r).folders)`) are then
 * compared with them array against array (at 10 000 letters, ~50 000 folders: the keys of an object
 * that large walked, and looked up, took ~40 ms of a save).
 */
export function recordedFolders(recorded: FolderTimes): { folders: string[]; times: Float64Array } {
  let made = recordedArrays.get(recorded);
  if (!made) {
    const folders = Object.keys(recorded);
    const times = new Float64Array(folders.length);
    folders.forEach((f, i) => (times[i] = recorded[f]!));
    recordedArrays.set(recorded, (made = { folders, times }));
  }
  return made;
}

/**
 * Folder times taken at one moment (`folderTimes`): the folders as asked for, and their times (NaN:
 * gone). Looked up by folder through an index made when first asked (a watcher's build with every
 * folder as recorded compares the arrays instead, and looks up nothing: `presence`).
 */
export class TakenTimes {
  private index?: Map<string, number>;
  constructor(readonly folders: readonly string[], readonly times: Float64Array) {}

  has(folder: string): boolean {
    return this.indexed().has(folder);
  }

  /** The folder's time (undefined: gone, or not asked for). */
  get(folder: string): number | undefined {
    const i = this.indexed().get(folder);
    const t = i === undefined ? NaN : this.times[i]!;
    return Number.isNaN(t) ? undefined : t;
  }

  private indexed(): Map<string, number> {
    if (!this.index) this.index = new Map(this.folders.map((f, i) => [f, i]));
    return this.index;
  }
}

/**
 * The modification times of output folders (undefined: gone), taken on a thread of their own so that
 * the build goes on meanwhile: an edition of 10 000 letters has ~50 000 output folders (one stat each,
 * ~0.3 s). Undefined when the thread cannot be started (presence then stats the folders itself).
 */
export async function folderTimes(outDir: string, folders: string[]): Promise<TakenTimes | undefined> {
  try {
    const times = await new Promise<Float64Array>((resolve, reject) => {
      const worker = startWorker(import.meta.url, 'presence-stats', { workerData: { out: outDir, folders } });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`folder stats thread exited (${code})`)));
    });
    return new TakenTimes(folders, times);
  } catch {
    return undefined;
  }
}

/**
 * Presence of files in `outDir`, given the folder times recorded after the build that wrote it (none:
 * check every file) and, if taken, their times at the start of this build (`folderTimes`).
 */
export function presence(outDir: string, recorded: FolderTimes | undefined, now?: TakenTimes): Presence {
  /** Folder → unchanged since recorded (stat once). */
  const unchanged = new Map<string, boolean>();
  const touched = new Set<string>();
  const isUnchanged = (folder: string): boolean => {
    let u = unchanged.get(folder);
    if (u === undefined) {
      const was = recorded?.[folder];
      // When every recorded folder's time was found as recorded, a recorded folder is unchanged.
      u = was !== undefined && (untouched() || (now?.has(folder) ? now.get(folder) : mtime(path.join(outDir, folder))) === was);
      unchanged.set(folder, u);
    }
    return u;
  };
  // Unchanged before this build touched it (a build's own writes remove nothing).
  const has = (rel: string) => isUnchanged(folderOf(rel)) || existsSync(path.join(outDir, rel));
  // Every recorded folder as it was (the folder times taken at the start, for all of them): a list whose
  // folders were all recorded (`after` noted it) is there whole, without a look per folder (a watcher's
  // build carries ~40 000 lists over).
  let allUnchanged: boolean | undefined;
  const untouched = (): boolean => {
    if (allUnchanged === undefined) {
      allUnchanged = recorded !== undefined && now !== undefined;
      if (allUnchanged) {
        // Each recorded folder's time, in the order the times were taken (the recorded folders, in
        // their key order, when they were asked for as such: a build's and a watcher's prefetch are).
        const { folders, times } = now!;
        const known = recordedArrays.get(recorded!);
        if (known && known.folders === folders) {
          // Taken for the recorded folders themselves: their times, array against array.
          const was = known.times;
          for (let i = 0; i < was.length; i++) {
            if (times[i] === was[i]) continue;
            allUnchanged = false;
            break;
          }
          return allUnchanged;
        }
        let n = 0;
        for (const f in recorded) {
          const t = folders[n] === f ? times[n] : now!.get(f);
          n++;
          if (t === recorded![f]) continue;
          allUnchanged = false;
          break;
        }
      }
    }
    return allUnchanged;
  };
  return {
    has,
    hasAll(files) {
      if (recorded !== undefined && wholeIn.get(files) === recorded && untouched()) return true;
      return foldersOf(files).every(isUnchanged) || files.every((f) => has(f.path));
    },
    touched(rel) {
      const folder = folderOf(rel);
      isUnchanged(folder); // decided before this build's own change
      touched.add(folder);
    },
    after(lists, everything = false) {
      const out: FolderTimes = {};
      for (const list of lists) {
        let all = true;
        for (const folder of foldersOf(list)) {
          if (folder in out) continue;
          const same = unchanged.get(folder) === true || (allUnchanged === true && recorded?.[folder] !== undefined);
          const keep = !everything && !touched.has(folder) && same ? recorded?.[folder] : undefined;
          const t = keep ?? mtime(path.join(outDir, folder));
          if (t !== undefined) out[folder] = t;
          else all = false;
        }
        if (all) wholeIn.set(list, out);
      }
      return out;
    },
  };
}
