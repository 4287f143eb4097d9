/**
 * Worker entry of src/stages/presence.ts `folderTimes`: the modification time of each
 * output folder (NaN when it is gone), taken on a thread of its own.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { out, folders } = workerData as { out: string; folders: string[] };
const times = new Float64Array(folders.length);
// Folders are relative, '/'-separated and normalised (presence.ts folderOf): joined by hand where '/'
// is the separator (path.join normalises each of ~50 000 again: a fifth of the thread's time).
const prefix = out.endsWith(path.sep) ? out : out + path.sep;
const join = path.sep === '/' ? (f: string) => (f === '.' ? out : prefix + f) : (f: string) => path.join(out, f);
folders.forEach((f, i) => {
  try {
    const t = statSync(join(f), { throwIfNoEntry: false });
    times[i] = t ? t.mtimeMs : NaN;
  } catch {
    times[i] = NaN; // e.g. a file where the folder was
  }
});
parentPort!.postMessage(times, [times.buffer]);
