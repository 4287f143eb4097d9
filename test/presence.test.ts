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
import { folderTimes, presence, recordedFolders } from '../src/stages/presence.js';

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

  /** The folder times a build that wrote these lists (one file each) records after it (Presence.after). */
  function recordedAfter(lists: { path: string }[][]) {
    const first = presence(out, undefined);
    for (const l of lists) first.touched(l[0]!.path);
    return first.after(lists, true);
  }

  it('takes folder times on a thread of its own: the same as a stat here; a folder gone has none', async () => {
    const times = await folderTimes(out, ['.', 'a', 'b/c', 'gone', 'a/x.html/y']);
    assert.ok(times, 'the thread ran');
    assert.equal(times.get('.'), statSync(out).mtimeMs, 'the output folder itself');
    assert.equal(times.get('a'), statSync(path.join(out, 'a')).mtimeMs);
    assert.equal(times.get('b/c'), statSync(path.join(out, 'b/c')).mtimeMs);
    assert.ok(times.has('gone'));
    assert.equal(times.get('gone'), undefined);
    assert.equal(times.get('a/x.html/y'), undefined, 'a file where a folder was (ENOTDIR)');
  });

  it('answers from the times taken at the start, and notices a file removed since the folders were recorded', async () => {
    const recorded = { a: statSync(path.join(out, 'a')).mtimeMs, 'b/c': statSync(path.join(out, 'b/c')).mtimeMs };
    await rm(path.join(out, 'b/c/x.html'));
    const now = await folderTimes(out, Object.keys(recorded));
    const p = presence(out, recorded, now);
    assert.equal(p.hasAll([{ path: 'a/x.html' }]), true);
    assert.equal(p.has('b/c/x.html'), false, 'its folder changed: looked at one by one');
  });

  it('takes a list recorded whole by the last build as there while no recorded folder changed, and looks again once one did', async () => {
    const lists = [[{ path: 'a/x.html' }], [{ path: 'b/c/y.html' }]];
    await writeFile(path.join(out, 'b/c/y.html'), 'y');
    const recorded = recordedAfter(lists);
    // Nothing changed since: the lists are there whole.
    const now = await folderTimes(out, Object.keys(recorded));
    assert.equal(presence(out, recorded, now).hasAll(lists[1]!), true);
    // A folder changed since (a file removed): no list is taken whole; the look per folder finds what is gone.
    await rm(path.join(out, 'b/c/y.html'));
    const later = await folderTimes(out, Object.keys(recorded));
    const p = presence(out, recorded, later);
    assert.equal(p.hasAll(lists[1]!), false);
    assert.equal(p.hasAll(lists[0]!), true, 'its own folder is unchanged');
    // Another build's times (not the object `after` gave) are not taken as the lists' record either.
    assert.equal(presence(out, { ...recorded }, later).hasAll(lists[1]!), false);
  });

  it('gives the same answers from times taken in another order than the recorded folders\' (looked up by folder), or for fewer folders', async () => {
    await writeFile(path.join(out, 'b/c/y.html'), 'y');
    const lists = [[{ path: 'a/x.html' }], [{ path: 'b/c/y.html' }]];
    const recorded = recordedAfter(lists);
    const reversed = await folderTimes(out, Object.keys(recorded).reverse());
    assert.equal(presence(out, recorded, reversed).hasAll(lists[1]!), true, 'every recorded folder as it was');
    const fewer = await folderTimes(out, ['a']);
    const p = presence(out, recorded, fewer);
    assert.equal(p.hasAll(lists[0]!), true);
    assert.equal(p.hasAll(lists[1]!), true, 'a folder whose time was not taken is looked at here');
    await rm(path.join(out, 'b/c/y.html'));
    const later = await folderTimes(out, Object.keys(recorded).reverse());
    assert.equal(presence(out, recorded, later).has('b/c/y.html'), false);
    assert.equal(presence(out, recorded, later).has('a/x.html'), true);
  });

  it('compares times taken for the recorded folders themselves (recordedFolders) array against array, and sees one that changed', async () => {
    await writeFile(path.join(out, 'b/c/y.html'), 'y');
    const lists = [[{ path: 'a/x.html' }], [{ path: 'b/c/y.html' }]];
    const recorded = recordedAfter(lists);
    const arrays = recordedFolders(recorded);
    assert.equal(recordedFolders(recorded), arrays, 'made once per recorded object');
    assert.deepEqual(arrays.folders, Object.keys(recorded));
    assert.deepEqual([...arrays.times], Object.values(recorded));
    const now = await folderTimes(out, arrays.folders);
    assert.equal(presence(out, recorded, now).hasAll(lists[1]!), true, 'every recorded folder as it was');
    // The last folder's time changed (a file removed): the lists are looked at folder by folder.
    await rm(path.join(out, 'b/c/y.html'));
    const later = await folderTimes(out, arrays.folders);
    const p = presence(out, recorded, later);
    assert.equal(p.hasAll(lists[1]!), false);
    assert.equal(p.hasAll(lists[0]!), true, 'its own folder is unchanged');
  });

  it('keeps the recorded times of folders the build did not touch, without a look, when no recorded folder changed', async () => {
    const list = [{ path: 'a/x.html' }];
    const recorded = recordedAfter([list]);
    const now = await folderTimes(out, Object.keys(recorded));
    const p = presence(out, recorded, now);
    assert.equal(p.hasAll(list), true);
    // The folder changes after the build started (not by this build): the time recorded is the one known at the start.
    await writeFile(path.join(out, 'a', 'later.html'), 'z');
    const { utimes } = await import('node:fs/promises');
    await utimes(path.join(out, 'a'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(p.after([list]), { a: recorded.a });
  });
});

