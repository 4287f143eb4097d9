/**
 * Worker entry of src/stages/presence.ts `folderTimes`: the modification time of each
 * output folder (NaN when it is gone), taken on a thread of its own.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { out, folders } = workerData as { out: string; folders: string[] };
const times = new Float64Array(folders.length);
folders.forEach((f, i) => {
  try {
    times[i] = statSync(path.join(out, f)).mtimeMs;
  } catch {
    times[i] = NaN;
  }
});
parentPort!.postMessage(times, [times.buffer]);
