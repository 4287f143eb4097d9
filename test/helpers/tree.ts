/** Output trees in tests: list every file, compare two trees byte for byte. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Relative paths (with /) of every file under `dir`, sorted. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Asserts that two output trees hold the same files with the same bytes. */
export function assertSameTree(actual: string, expected: string): void {
  const a = listTree(actual);
  assert.deepEqual(a, listTree(expected), 'the two outputs hold different files');
  const differing = a.filter((f) => !readFileSync(path.join(actual, f)).equals(readFileSync(path.join(expected, f))));
  assert.deepEqual(differing, [], 'files whose bytes differ');
}
