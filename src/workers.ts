/**
 * Worker-thread entry files: the compiled `.js` beside a module in dist/, or the
 * `.ts` source beside it when the sources run through tsx (tests, bench).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The entry file `name` (without extension) in the folder of the module at `moduleUrl` (its import.meta.url). */
export function workerEntry(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  return path.join(path.dirname(here), `${name}${path.extname(here) === '.ts' ? '.ts' : '.js'}`);
}
