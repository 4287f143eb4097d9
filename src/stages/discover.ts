/**
 * Stage "discover": the corpus's XML files, sorted, without leaving the
 * corpus folder (symlinks pointing outside it are skipped with a warning),
 * and without entering the build's output folder when it is inside it (the
 * exchange format writes TEI there).
 */
import { lstatSync } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { ConfigError } from '../config.js';
import { diagnostic } from '../diagnostics.js';

export interface Discovered {
  files: string[];
  messages: VFileMessage[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'build', 'dist']);

export async function discover(corpusDir: string, displayBase = process.cwd(), outDir?: string): Promise<Discovered> {
  let root: string;
  try {
    root = await realpath(corpusDir);
  } catch (error) {
    throw new ConfigError(`corpus folder ${corpusDir} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  // (The output folder as the walk names it: under the corpus's real path; it may not exist yet.)
  const out = outDir === undefined ? undefined : await realpath(outDir).catch(() => path.resolve(outDir));
  const files: string[] = [];
  const messages: VFileMessage[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(full);
        } catch {
          messages.push(diagnostic('broken symbolic link skipped', { file: path.relative(displayBase, full), ruleId: 'corpus-symlink', severity: 'warning' }));
          continue;
        }
        if (target !== root && !target.startsWith(root + path.sep)) {
          messages.push(
            diagnostic('symbolic link leads out of the corpus folder; not followed', {
              file: path.relative(displayBase, full), line: 1, column: 1, ruleId: 'corpus-symlink', severity: 'warning',
            }),
          );
          continue;
        }
        const st = await lstat(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) continue; // never follow directory links (no cycles)
      }
      if (isDir) {
        if (!SKIP_DIRS.has(entry.name) && full !== out) await walk(full);
      } else if (isFile && entry.name.toLowerCase().endsWith('.xml')) {
        files.push(full);
      }
    }
  };
  await walk(root);
  return { files, messages };
}

/**
 * Whether a discovery still holds after changes a watcher saw (absolute paths): each is a file it
 * found that is still a plain file (an edit), or something that cannot be a document of the corpus
 * (an existing plain file not named .xml — an editor's backup or swap file, a stylesheet — or a
 * path gone that was neither a document nor a folder of documents). A file added or removed, a
 * folder or a symbolic link calls for a new discovery.
 */
export function stillHolds(previous: Discovered, changed: Iterable<string>): boolean {
  const found = new Set(previous.files);
  for (const p of changed) {
    let st: ReturnType<typeof lstatSync> | undefined;
    try {
      st = lstatSync(p);
    } catch {
      st = undefined;
    }
    if (found.has(p)) {
      if (!st?.isFile()) return false; // removed, or replaced by a folder or a link
      continue;
    }
    if (st) {
      if (!st.isFile() || p.toLowerCase().endsWith('.xml')) return false;
      continue;
    }
    if (previous.files.some((f) => f.startsWith(p + path.sep))) return false;
  }
  return true;
}
