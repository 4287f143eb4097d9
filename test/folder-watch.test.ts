/**
 * A watcher's output folders under watch (src/stages/folder-watch.ts): the times
 * it gives are those a stat of each folder would give, taken from memory for the
 * folders in which nothing changed since.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderWatch, heldWatches } from '../src/stages/folder-watch.js';

/** Lets the change events of the watches arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('folder watch (a watcher\'s output folders)', () => {
  let work: string;
  let out: string;
  const folders = ['.', 'a', 'a/b', 'c'];
  const real = () => folders.map((f) => statSync(path.join(out, f), { throwIfNoEntry: false })?.mtimeMs ?? NaN);
  const given = (w: FolderWatch) => [...w.times(folders)!.times];

  /** Folder watches of the test, closed after it. */
  let watches: FolderWatch[] = [];
  const watchOf = (options?: { maxWatches?: number }) => {
    const w = new FolderWatch(out, options);
    watches.push(w);
    return w;
  };

  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-folder-watch-'));
    out = path.join(work, 'out');
    for (const f of folders) mkdirSync(path.join(out, f), { recursive: true });
    for (const f of folders) writeFileSync(path.join(out, f, 'x.html'), f);
  });
  afterEach(async () => {
    for (const w of watches) w.close();
    watches = [];
    await rm(work, { recursive: true, force: true });
  });

  it('gives the folders\' times as stats would, from memory while nothing changes in them', async () => {
    const w = watchOf();
    w.cover(folders);
    const stats = w.stats;
    assert.deepEqual(given(w), real());
    assert.deepEqual(given(w), real());
    assert.equal(w.stats, stats, 'nothing stat\'ed again');
    assert.equal(w.times(folders)!.folders, folders, 'for the very list asked for (presence compares it array against array)');
  });

  it('stats again, and gives the new time of, a folder in which a file was removed or added, and only it', async () => {
    const w = watchOf();
    w.cover(folders);
    await settle();
    rmSync(path.join(out, 'a/b/x.html'));
    await settle();
    let stats = w.stats;
    assert.deepEqual(given(w), real());
    assert.equal(w.stats - stats, 1, 'a/b stat\'ed');
    writeFileSync(path.join(out, 'c', 'new.html'), '');
    await settle();
    stats = w.stats;
    assert.deepEqual(given(w), real());
    assert.equal(w.stats - stats, 1, 'c stat\'ed');
  });

  it('sees a folder removed (gone) and made again (watched anew: a change in it is seen)', async () => {
    const w = watchOf();
    w.cover(folders);
    rmSync(path.join(out, 'a/b'), { recursive: true });
    await settle();
    const gone = given(w);
    assert.ok(Number.isNaN(gone[2]), 'a/b gone');
    assert.deepEqual(gone, real());
    mkdirSync(path.join(out, 'a/b'));
    await settle();
    assert.deepEqual(given(w), real());
    writeFileSync(path.join(out, 'a/b', 'y.html'), '');
    await settle();
    assert.deepEqual(given(w), real(), 'a change in the folder made again is seen');
  });

  it('gives nothing for an output folder swapped in, until it is covered again; nothing for folders mostly not watched', async () => {
    const w = watchOf();
    w.cover(folders);
    const next = path.join(work, 'next');
    for (const f of folders) mkdirSync(path.join(next, f), { recursive: true });
    await rename(out, path.join(work, 'old'));
    await rename(next, out);
    assert.equal(w.times(folders), undefined, 'another output folder: not the one watched');
    w.cover(folders);
    assert.deepEqual(given(w), real());
    const many = Array.from({ length: 300 }, (_, i) => `m${i}`);
    for (const f of many) mkdirSync(path.join(out, f));
    assert.equal(w.covers(many), false);
    assert.equal(w.times(many), undefined, 'too many folders not watched: better stat\'ed on a thread');
    w.cover(many);
    assert.deepEqual([...w.times(many)!.times], many.map((f) => statSync(path.join(out, f)).mtimeMs));
  });

  it('takes at most half the system\'s limit of watches, and gives them all back once past it: the times are stat\'ed then', async () => {
    // (The budget is the process's: other watches held now count against it.)
    const small = watchOf({ maxWatches: 2 * (heldWatches() + 3) });
    small.cover(folders);
    let stats = small.stats;
    assert.deepEqual(given(small), real(), 'four folders, a budget of three: none watched, each stat\'ed');
    assert.equal(small.stats - stats, folders.length);
    stats = small.stats;
    assert.deepEqual(given(small), real());
    assert.equal(small.stats - stats, folders.length, 'stat\'ed again');
    const held = heldWatches();
    const w = watchOf({ maxWatches: 2 * (held + 5) });
    w.cover(folders);
    assert.equal(heldWatches() - held, folders.length, 'the process\'s count of watches');
    stats = w.stats;
    assert.deepEqual(given(w), real());
    assert.equal(w.stats, stats, 'within the budget: watched');
    const more = ['d', 'e'];
    for (const f of more) mkdirSync(path.join(out, f));
    w.cover([...folders, ...more]);
    stats = w.stats;
    assert.deepEqual(given(w), real(), 'past the budget: every watch given back');
    assert.equal(w.stats - stats, folders.length);
    assert.equal(heldWatches(), held, 'given back');
  });
});
