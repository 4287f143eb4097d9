/**
 * Presence of a previous build's files (src/stages/presence.ts): folder times recorded after the
 * build; at the next build one look per folder, the times taken on a thread of their own when the
 * edition is large (`folderTimes`).
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { folderTimes, presence } from '../src/stages/presence.js';

describe('presence of previous files', function () {
  let out: string;
  before(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'tei-presence-'));
    for (const d of ['a', 'b/c']) {
      await mkdir(path.join(out, d), { recursive: true });
      await writeFile(path.join(out, d, 'x.html'), 'x');
    }
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('takes folder times on a thread of its own: the same as a stat here; a folder gone has none', async () => {
    const times = await folderTimes(out, ['a', 'b/c', 'gone']);
    assert.ok(times, 'the thread ran');
    assert.equal(times.get('a'), statSync(path.join(out, 'a')).mtimeMs);
    assert.equal(times.get('b/c'), statSync(path.join(out, 'b/c')).mtimeMs);
    assert.ok(times.has('gone'));
    assert.equal(times.get('gone'), undefined);
  });

  it('answers from the times taken at the start, and notices a file removed since the folders were recorded', async () => {
    const recorded = { a: statSync(path.join(out, 'a')).mtimeMs, 'b/c': statSync(path.join(out, 'b/c')).mtimeMs };
    await rm(path.join(out, 'b/c/x.html'));
    const now = await folderTimes(out, Object.keys(recorded));
    const p = presence(out, recorded, now);
    assert.equal(p.hasAll([{ path: 'a/x.html' }]), true);
    assert.equal(p.has('b/c/x.html'), false, 'its folder changed: looked at one by one');
  });
});
