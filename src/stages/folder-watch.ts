/**
 * A watcher's output folders under watch, so that a save's build knows their
 * modification times (src/stages/presence.ts) without a stat each: an edition
 * of 10 000 letters has ~50 000 output folders, and stat'ing them all took
 * ~0.35 s of CPU a save (on a thread, but beside the save's own work on a
 * machine of two cores).
 *
 * Each folder has an `fs.watch` (one inotify watch on Linux) set up before its
 * time is taken; any change in it (a file added, removed or renamed; the folder
 * itself removed) marks it, and a marked folder is watched afresh and stat'ed
 * when times are next asked for. So the times given are those a stat of each
 * folder would give at that moment: unmarked folders' from memory, marked ones
 * stat'ed (a save's build marks the dozen folders it writes into). A folder that
 * cannot be watched (gone, or the system's limit of watches reached) is stat'ed
 * each time; when too many are, the caller takes the times on a thread instead
 * (presence.ts folderTimes). An output folder swapped in (a new folder at the
 * output's path) is another tree: the watches start again.
 *
 * Linux only (inotify: a watch per folder is cheap; macOS's fs.watch of a folder
 * is an FSEvents stream). The watches are the user's to share with their editor
 * and the corpus watcher: more than half the system's limit
 * (/proc/sys/fs/inotify/max_user_watches) are not taken, and none are kept once
 * one is refused.
 */
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { mtime, TakenTimes } from './presence.js';

/** More unwatched folders than this, and the times are better taken on a thread (presence.ts folderTimes). */
const MAX_UNWATCHED = 256;

/** Watches held by the folder watches of this process (the budget is the process's, not each watch's). */
let watching = 0;

/** Watches the folder watches of this process hold (tests). */
export const heldWatches = (): number => watching;

/** The system's limit of inotify watches per user (undefined: not known). */
function systemWatchLimit(): number | undefined {
  try {
    const n = Number(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The inode of a folder (undefined: gone). */
function inodeOf(dir: string): number | undefined {
  try {
    return statSync(dir, { throwIfNoEntry: false })?.ino;
  } catch {
    return undefined;
  }
}

export class FolderWatch {
  private readonly watchers = new Map<string, FSWatcher>();
  /** Folder → its time as a stat gave it after its watch was set up (valid while the folder is not marked). */
  private readonly known = new Map<string, number>();
  /** Folders in which something changed since their time was taken. */
  private readonly marked = new Set<string>();
  /** The output folder's inode when its first folder was watched. */
  private root?: number;
  /** No more folders are watched: the budget would be passed, or setting up a watch failed other than for a folder gone (e.g. ENOSPC). */
  private full = false;
  /** Stats taken (tests: what was taken from memory was not stat'ed). */
  stats = 0;

  /** Watches the folder watches of this process may hold together: half the system's limit (none where folders are not watched with inotify). */
  private readonly budget: number;

  constructor(readonly outDir: string, options: { maxWatches?: number } = {}) {
    const limit = options.maxWatches ?? (process.platform === 'linux' ? systemWatchLimit() ?? 8192 : 0);
    this.budget = Math.floor(limit / 2);
  }

  /**
   * Watches these folders (relative, '/'-separated; '.' the output folder itself) that are not yet
   * watched, and takes their times: in a watcher's idle time, after a build. `again`: the times of
   * every watched folder are taken afresh too (a build that wrote many files in place may have made
   * more changes than the system queues events for).
   */
  cover(folders: readonly string[], again = false): void {
    if (!this.sameRoot()) this.restart();
    // (Folders beyond the budget: none watched, rather than some.)
    if (this.watchers.size === 0 && watching + folders.length > this.budget) this.full = true;
    if (this.full) return;
    for (const f of this.marked) this.rewatch(f);
    if (again) for (const f of this.watchers.keys()) this.known.set(f, this.stat(f));
    for (const f of folders) {
      if (this.watchers.has(f)) continue;
      this.watchFolder(f);
      if (this.full) return;
    }
  }

  /**
   * The folders' times now (NaN: gone), as one stat of each would give them; undefined when the
   * output folder is not the one watched, or too many of these folders are not watched.
   */
  times(folders: readonly string[]): TakenTimes | undefined {
    if (!this.covers(folders)) return undefined;
    for (const f of this.marked) this.rewatch(f);
    const times = new Float64Array(folders.length);
    for (let i = 0; i < folders.length; i++) {
      const f = folders[i]!;
      const t = this.known.get(f);
      if (t !== undefined && this.watchers.has(f)) times[i] = t;
      else {
        // Not watched (gone when last looked at, or past the limit of watches): watched now if it can be.
        if (!this.full) this.watchFolder(f);
        times[i] = this.watchers.has(f) ? this.known.get(f)! : this.stat(f);
      }
    }
    return new TakenTimes(folders, times);
  }

  /** Whether `times` gives these folders' times: the output folder is the one watched, and all but a few of them are. */
  covers(folders: readonly string[]): boolean {
    if (!this.sameRoot()) return false;
    let unwatched = 0;
    for (const f of folders) if (!this.watchers.has(f) && ++unwatched > MAX_UNWATCHED) return false;
    return true;
  }

  /** Stops watching (the watches keep no process alive, but hold a handle each). */
  close(): void {
    for (const w of this.watchers.values()) w.close();
    watching -= this.watchers.size;
    this.watchers.clear();
    this.known.clear();
    this.marked.clear();
    this.root = undefined;
  }

  /** No more watching of this output: the watches taken are given back (the times are taken on a thread). */
  private giveUp(): void {
    const root = this.root;
    this.close();
    this.root = root;
    this.full = true;
  }

  /** Whether the output folder is the one whose folders are watched (not another swapped in). */
  private sameRoot(): boolean {
    return this.root !== undefined && this.root === inodeOf(this.outDir);
  }

  private restart(): void {
    this.close();
    this.full = false;
    this.root = inodeOf(this.outDir);
  }

  private dir(f: string): string {
    return f === '.' ? this.outDir : path.join(this.outDir, f);
  }

  private stat(f: string): number {
    this.stats++;
    return mtime(this.dir(f)) ?? NaN;
  }

  /** A marked folder watched afresh (it may have been removed and made again: another inode) and its time taken. */
  private rewatch(f: string): void {
    const old = this.watchers.get(f);
    if (old) {
      old.close();
      this.watchers.delete(f);
      watching--;
    }
    this.known.delete(f);
    this.marked.delete(f);
    if (!this.full) this.watchFolder(f);
  }

  /** Watches a folder, then takes its time (a change after the watch is set up marks it). */
  private watchFolder(f: string): void {
    if (watching >= this.budget) {
      this.giveUp();
      return;
    }
    let w: FSWatcher;
    try {
      w = watch(this.dir(f), { persistent: false }, () => this.marked.add(f));
    } catch (error) {
      // A folder gone (or a file where it was) is stat'ed when asked for; any other failure (e.g. ENOSPC:
      // the system's limit of watches reached) gives every watch back.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.giveUp();
      return;
    }
    // (An error of a watch, e.g. its folder removed: looked at afresh next time.)
    w.on('error', () => this.marked.add(f));
    this.watchers.set(f, w);
    watching++;
    this.known.set(f, this.stat(f));
  }
}
