/**
 * Finds the XML files `tei-edition validate PATH…` checks: files as given,
 * directories recursively (`*.xml`), never following a symlink that leaves
 * the corpus root, skipping dot-directories and node_modules.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from '../diagnostics.js';

export interface Discovered {
  files: string[];
  messages: VFileMessage[];
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function discoverXml(paths: string[], corpusDir: string): Promise<Discovered> {
  const root = await realpath(corpusDir).catch(() => path.resolve(corpusDir));
  const files = new Set<string>();
  const messages: VFileMessage[] = [];
  const seenDirs = new Set<string>();
  const visit = async (p: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await lstat(p);
    } catch {
      messages.push(diagnostic(`no such file or directory: ${p}`, { file: p, ruleId: 'file-missing' }));
      return;
    }
    let real = p;
    if (info.isSymbolicLink()) {
      real = await realpath(p).catch(() => '');
      if (!real || (!explicit && !inside(root, real))) {
        messages.push(
          diagnostic(`symbolic link ${p} points outside the corpus (${root}); not followed`, {
            file: p, ruleId: 'file-symlink-outside', severity: 'warning',
          }),
        );
        return;
      }
      info = await stat(real);
    }
    if (info.isDirectory()) {
      const realDir = await realpath(p).catch(() => p);
      if (seenDirs.has(realDir)) return; // symlink loop
      seenDirs.add(realDir);
      const entries = await readdir(p, { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        // A plain *.xml file needs no further look (the directory listing says what it is).
        if (e.isFile() && e.name.toLowerCase().endsWith('.xml')) files.add(path.resolve(p, e.name));
        else if (e.isDirectory() || e.isSymbolicLink() || e.name.toLowerCase().endsWith('.xml')) {
          await visit(path.join(p, e.name), false);
        }
      }
    } else if (info.isFile()) {
      if (explicit || p.toLowerCase().endsWith('.xml')) files.add(path.resolve(p));
    }
  };
  for (const p of paths) await visit(path.resolve(p), true);
  return { files: [...files].sort(), messages };
}
