/**
 * Determinism (issue 9): the output does not depend on the number of worker
 * threads, nor on whether results came from the cache — one job, two jobs
 * and a cached rebuild give byte-identical trees.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCacheDir } from '../src/cache.js';
import type { FormatName } from '../src/config.js';
import { build } from '../src/pipeline.js';
import { REPO } from './helpers/shared.js';
import { assertSameTree } from './helpers/tree.js';

// Every format but print (which needs Chromium).
const ONLY: FormatName[] = ['html', 'text', 'cite', 'exchange'];

describe('determinism across --jobs', function () {
  let work: string;
  let corpus: string;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-determinism-'));
    corpus = path.join(work, 'tei');
    await cp(path.join(REPO, 'tei'), corpus, { recursive: true });
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
    await rm(buildCacheDir(corpus), { recursive: true, force: true });
  });

  it('--jobs 1 and --jobs 2 give byte-identical output, and so does a cached rebuild', async () => {
    const one = await build({ corpus, out: path.join(work, 'one'), only: ONLY, validate: false, jobs: 1, cache: false });
    const two = await build({ corpus, out: path.join(work, 'two'), only: ONLY, validate: false, jobs: 2, cache: false });
    assert.equal(one.rebuilt.length, one.sources);
    assert.equal(two.rebuilt.length, two.sources, 'the second build transformed everything again (in two workers)');
    assert.ok(one.files > 20);
    assertSameTree(path.join(work, 'two'), path.join(work, 'one'));
    assert.deepEqual(two.messages.map(String), one.messages.map(String));
    const cached = await build({ corpus, out: path.join(work, 'cached'), only: ONLY, validate: false, jobs: 2 });
    assert.deepEqual(cached.rebuilt, []);
    assertSameTree(path.join(work, 'cached'), path.join(work, 'one'));
  });
});
