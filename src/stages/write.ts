/**
 * Stage "write": every output goes into a temporary folder beside the output
 * folder, which is swapped in only when complete. A build killed at any moment
 * leaves the previous output intact. No path derived from input can leave
 * the output folder.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../model.js';

export class UnsafePathError extends Error {
  constructor(readonly outputPath: string) {
    super(`refusing to write outside the output folder: ${JSON.stringify(outputPath)}`);
    this.name = 'UnsafePathError';
  }
}

/** Checks a relative output path: no absolute paths, no "..", no empty or odd segments. */
export function checkOutputPath(p: string): string {
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (
    !p || path.posix.isAbsolute(norm) || /^[a-zA-Z]:/.test(norm) || norm.split('/').some((s) => s === '..' || s === '' || s === '.') ||
    norm.includes('\0')
  ) {
    throw new UnsafePathError(p);
  }
  return norm;
}

function stagingName(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.tmp-${process.pid}-${Date.now()}`);
}

/** Removes temporary folders left by builds that were killed. */
async function cleanStale(out: string): Promise<void> {
  const dir = path.dirname(out);
  const prefix = `.${path.basename(out)}.`;
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix) || !/\.(tmp|old)-\d+-\d+$/.test(n)) continue;
    const pid = Number(/-(\d+)-\d+$/.exec(n)![1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    await rm(path.join(dir, n), { recursive: true, force: true });
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

export async function writeOutput(outDir: string, files: OutputFile[], options: WriteOptions = {}): Promise<void> {
  const out = path.resolve(outDir);
  await mkdir(path.dirname(out), { recursive: true });
  await cleanStale(out);
  const staging = stagingName(out);
  await mkdir(staging, { recursive: true });
  try {
    const seen = new Set<string>();
    const dirs = new Set<string>();
    for (const f of files) {
      const rel = checkOutputPath(f.path);
      if (seen.has(rel)) throw new Error(`two outputs want the same path: ${rel}`);
      seen.add(rel);
      const target = path.join(staging, rel);
      const dir = path.dirname(target);
      if (!dirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        dirs.add(dir);
      }
      await writeFile(target, f.content);
    }
    // Keep dot-files of the previous output (e.g. the .gitignore placeholder).
    if (existsSync(out)) {
      for (const n of await readdir(out)) {
        if (n.startsWith('.') && !seen.has(n)) await cp(path.join(out, n), path.join(staging, n), { recursive: true });
      }
      for (const k of options.keep ?? []) {
        const rel = checkOutputPath(k);
        if (seen.has(rel) || !existsSync(path.join(out, rel))) continue;
        await mkdir(path.dirname(path.join(staging, rel)), { recursive: true });
        await cp(path.join(out, rel), path.join(staging, rel));
      }
    }
    if (process.env.TEI_EDITION_FAIL_BEFORE_SWAP) throw new Error('simulated failure before swap (TEI_EDITION_FAIL_BEFORE_SWAP)');
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const old = `${stagingName(out).replace('.tmp-', '.old-')}`;
  if (existsSync(out)) await rename(out, old);
  await rename(staging, out);
  if (existsSync(old)) await rm(old, { recursive: true, force: true });
}
