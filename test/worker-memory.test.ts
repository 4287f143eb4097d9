/**
 * Worker threads have a bounded heap (issue 9, peak memory: pipeline.ts
 * workerLimits, TEI_EDITION_WORKER_HEAP_MB). A task that needs more than a
 * worker has is not lost: the worker stops out of memory, the task runs again
 * in the main thread, the build says so (info `worker-memory`) and its output
 * is the same as a build without workers. One-shot builds on worker threads also bound V8's heap
 * growth (src/memory.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCacheDir } from '../src/cache.js';
import type { FormatName } from '../src/config.js';
import { boundHeapGrowth, easedForTransforms, gcHelpers, HEAP_GROWTH_PERCENT, TRANSFORM_HEAP_GROWTH_PERCENT } from '../src/memory.js';
import { build, WORKER_YOUNG_MB, workerLimits } from '../src/pipeline.js';
import { REPO } from './helpers/shared.js';
import { assertSameTree } from './helpers/tree.js';

const ONLY: FormatName[] = ['html', 'text', 'cite'];

describe('worker heap bound', function () {
  this.timeout(600_000);
  let work: string;
  let corpus: string;
  const saved = process.env.TEI_EDITION_WORKER_HEAP_MB;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-worker-memory-'));
    corpus = path.join(work, 'tei');
    await cp(path.join(REPO, 'tei'), corpus, { recursive: true });
    // A long document beside the seed: its transformation needs far more than the small bound below.
    const seedLetter = await readFile(path.join(corpus, 'letter-1950-08-27.xml'), 'utf8');
    const paragraph = '<p>Paragraph of a long report, with <persName ref="#stalin">Stalin</persName> named and a date, <date when="1950-08-27">27 August 1950</date>.</p>\n';
    const long = seedLetter
      .replace('xml:id="letter-1950-08-27"', 'xml:id="long-report"')
      .replace(/<body>[\s\S]*<\/body>/, `<body><div>${paragraph.repeat(2000)}</div></body>`);
    await writeFile(path.join(corpus, 'long-report.xml'), long);
  });
  after(async () => {
    if (saved === undefined) delete process.env.TEI_EDITION_WORKER_HEAP_MB;
    else process.env.TEI_EDITION_WORKER_HEAP_MB = saved;
    await rm(work, { recursive: true, force: true });
    await rm(buildCacheDir(corpus), { recursive: true, force: true });
  });

  it('renders in the main thread what does not fit a worker, and says so; output as without workers', async () => {
    // 72 MB: workers start, and transform and render the seed’s documents (they need ~56–64 MB: a
    // letter fell back at 56); the long one needs more (1 500 paragraphs already did at 80 MB).
    process.env.TEI_EDITION_WORKER_HEAP_MB = '72';
    const small = await build({ corpus, out: path.join(work, 'small'), only: ONLY, validate: false, jobs: 2, cache: false });
    delete process.env.TEI_EDITION_WORKER_HEAP_MB;
    assert.equal(small.errors, 0, small.messages.map(String).join('\n'));
    const notes = small.messages.filter((m) => m.ruleId === 'worker-memory');
    assert.ok(notes.length >= 1, 'at least one task ran out of a worker heap and was done in the main thread');
    assert.match(String(notes[0]!.reason), /needed more memory than a worker thread has \(72 MB/);
    assert.deepEqual([...new Set(notes.map((m) => path.basename(String(m.file))))], ['long-report.xml'], 'workers started and did the seed; only the long document fell back');
    assert.equal(notes[0]!.fatal, undefined, 'information, not a warning or an error');
    const plain = await build({ corpus, out: path.join(work, 'plain'), only: ONLY, validate: false, jobs: 1, cache: false });
    assert.equal(small.documents, plain.documents);
    assertSameTree(path.join(work, 'small'), path.join(work, 'plain'));
  });

  it('does not wait for ever when workers cannot even start within the bound: all done in the main thread, output as without workers', async function () {
    // Without the guard in openPool the pool's workers die as they load SaxonJS, Piscina does not
    // replace them, and the build never ends (this test then fails on its timeout).
    this.timeout(180_000);
    const seed = path.join(REPO, 'tei');
    process.env.TEI_EDITION_WORKER_HEAP_MB = '8';
    const tiny = await build({ corpus: seed, out: path.join(work, 'tiny'), only: ['html'], validate: false, jobs: 2, cache: false });
    delete process.env.TEI_EDITION_WORKER_HEAP_MB;
    assert.equal(tiny.errors, 0, tiny.messages.map(String).join('\n'));
    const notes = tiny.messages.filter((m) => m.ruleId === 'worker-memory');
    const files = new Set(notes.map((m) => m.file));
    assert.equal(files.size, tiny.sources, 'every source was transformed in the main thread, and each says so');
    assert.ok(notes.some((m) => /^rendering \(html\)/.test(String(m.reason))), 'rendering fell back too');
    const plain = await build({ corpus: seed, out: path.join(work, 'tiny-plain'), only: ['html'], validate: false, jobs: 1, cache: false });
    assert.equal(tiny.documents, plain.documents);
    assertSameTree(path.join(work, 'tiny'), path.join(work, 'tiny-plain'));
  });
});

describe('heap growth of one-shot builds (src/memory.ts)', () => {
  it('sets V8’s heap growth to a fixed share for builds on worker threads, from TEI_EDITION_HEAP_GROWTH or by default; one job, 0 or nonsense leave it to V8', () => {
    const set: string[] = [];
    const setFlags = (f: string) => set.push(f);
    assert.equal(boundHeapGrowth(2, {}, setFlags), HEAP_GROWTH_PERCENT);
    assert.equal(boundHeapGrowth(8, { TEI_EDITION_HEAP_GROWTH: ' 35 ' }, setFlags), 35);
    assert.deepEqual(set, [`--heap-growing-percent=${HEAP_GROWTH_PERCENT}`, '--heap-growing-percent=35']);
    assert.equal(boundHeapGrowth(1, {}, setFlags), undefined, 'one job: the main thread does the work');
    assert.equal(boundHeapGrowth(1, { TEI_EDITION_HEAP_GROWTH: '35' }, setFlags), undefined);
    for (const value of ['0', '-5', '12.5', 'lots', '100000']) {
      assert.equal(boundHeapGrowth(2, { TEI_EDITION_HEAP_GROWTH: value }, setFlags), undefined, value);
    }
    assert.equal(set.length, 2, 'nothing set when the growth is left to V8');
  });

  it('eases the growth bound to TRANSFORM_HEAP_GROWTH_PERCENT while worker threads transform the documents, and sets it back after, also when the stage fails', async function () {
    this.timeout(300_000);
    const set: string[] = [];
    const setFlags = (f: string) => void set.push(f);
    const growth = (p: number) => `--heap-growing-percent=${p}`;
    try {
      // No bound set (one job): the stage runs as it is.
      boundHeapGrowth(1, {}, setFlags);
      assert.equal(await easedForTransforms(async () => 'done'), 'done');
      assert.deepEqual(set, []);
      boundHeapGrowth(2, {}, setFlags);
      set.length = 0;
      let during: string[] = [];
      assert.equal(await easedForTransforms(async () => ((during = [...set]), 7)), 7);
      assert.deepEqual(during, [growth(TRANSFORM_HEAP_GROWTH_PERCENT)]);
      assert.deepEqual(set, [growth(TRANSFORM_HEAP_GROWTH_PERCENT), growth(HEAP_GROWTH_PERCENT)]);
      set.length = 0;
      await assert.rejects(easedForTransforms(async () => { throw new Error('stage failed'); }), /stage failed/);
      assert.deepEqual(set, [growth(TRANSFORM_HEAP_GROWTH_PERCENT), growth(HEAP_GROWTH_PERCENT)], 'set back after a failure');
      // A bound as loose already is left alone.
      boundHeapGrowth(2, { TEI_EDITION_HEAP_GROWTH: String(TRANSFORM_HEAP_GROWTH_PERCENT + 50) }, setFlags);
      set.length = 0;
      await easedForTransforms(async () => undefined);
      assert.deepEqual(set, []);
      // A build on worker threads eases it around its transform stage, and only there; one on one job does not.
      const work = await mkdtemp(path.join(tmpdir(), 'tei-eased-growth-'));
      try {
        boundHeapGrowth(2, {}, setFlags);
        set.length = 0;
        const r = await build({ corpus: path.join(REPO, 'tei'), out: path.join(work, 'two'), only: ['html'], validate: false, jobs: 2, cache: false });
        assert.equal(r.errors, 0, r.messages.map(String).join('\n'));
        assert.deepEqual(set, [growth(TRANSFORM_HEAP_GROWTH_PERCENT), growth(HEAP_GROWTH_PERCENT)]);
        set.length = 0;
        await build({ corpus: path.join(REPO, 'tei'), out: path.join(work, 'one'), only: ['html'], validate: false, jobs: 1, cache: false });
        assert.deepEqual(set, []);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    } finally {
      boundHeapGrowth(1, {}, setFlags); // (no bound left recorded for later tests)
    }
  });

  it('turns the GC helper threads (concurrent marking, parallel scavenging) off when every core runs a worker, keeps them with a core to spare, for one job, or as TEI_EDITION_GC_HELPERS says', () => {
    const set: string[] = [];
    const setFlags = (f: string) => set.push(f);
    assert.equal(gcHelpers(2, 2, {}, setFlags), false);
    assert.equal(gcHelpers(4, 2, {}, setFlags), false);
    assert.deepEqual(set, ['--no-concurrent-marking --no-parallel-scavenge', '--no-concurrent-marking --no-parallel-scavenge']);
    assert.equal(gcHelpers(2, 8, {}, setFlags), true, 'cores to spare');
    assert.equal(gcHelpers(1, 1, {}, setFlags), true, 'one job: the main thread works, the helpers help');
    assert.equal(gcHelpers(2, 2, { TEI_EDITION_GC_HELPERS: '1' }, setFlags), true);
    assert.equal(set.length, 2);
    assert.equal(gcHelpers(1, 8, { TEI_EDITION_GC_HELPERS: ' 0 ' }, setFlags), false);
    assert.equal(set.length, 3);
  });

  it('a worker started after gcHelpers turned the helpers off scavenges in one task (V8 takes the flags set at run time)', function () {
    this.timeout(60_000);
    // V8 traces each task of a scavenge (--trace-parallel-scavenge) and each scavenge (--trace-gc); a worker allocates
    // enough to be scavenged many times. With parallel scavenging on, a scavenge on a machine of 2 cores or more runs
    // in several tasks.
    const memory = pathToFileURL(path.join(REPO, 'src', 'memory.ts')).href;
    const script = `
      const { gcHelpers } = await import(${JSON.stringify(memory)});
      gcHelpers(2, 2);
      const { Worker } = await import('node:worker_threads');
      const w = new Worker('const keep = []; for (let r = 0; r < 40; r++) { const a = []; for (let i = 0; i < 50000; i++) a.push({ i, s: "v" + i }); keep.push(a.length); }', { eval: true });
      await new Promise((resolve, reject) => { w.on('exit', resolve); w.on('error', reject); });`;
    const out = execFileSync(process.execPath, ['--trace-parallel-scavenge', '--trace-gc', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', env: { ...process.env, TEI_EDITION_GC_HELPERS: '' } });
    // Each line names its isolate ([pid:isolate]); the worker's is the last to appear (the main thread's scavenges
    // while tsx loads, before gcHelpers, are parallel).
    const lines = out.split('\n').map((l) => ({ isolate: /^\[\d+:(0x[0-9a-f]+)\]/.exec(l)?.[1], l })).filter((x) => x.isolate);
    const worker = lines.at(-1)?.isolate;
    const scavenges = lines.filter((x) => x.isolate === worker && / Scavenge /.test(x.l)).length;
    const tasks = lines.filter((x) => x.isolate === worker && /scavenge\[/.test(x.l)).length;
    assert.ok(scavenges >= 5, `the worker was scavenged (${scavenges} times)`);
    assert.equal(tasks, scavenges, 'one task per scavenge');
  });
});

describe('worker heap limits (workerLimits)', function () {
  it('bounds the old and the young generation by default; each bound can be set, or left to V8 with 0', function () {
    assert.deepEqual(workerLimits({}), { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: WORKER_YOUNG_MB });
    assert.deepEqual(workerLimits({ TEI_EDITION_WORKER_YOUNG_MB: '32' }), { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 32 });
    assert.deepEqual(workerLimits({ TEI_EDITION_WORKER_YOUNG_MB: '0' }), { maxOldGenerationSizeMb: 512 });
    assert.deepEqual(workerLimits({ TEI_EDITION_WORKER_HEAP_MB: '0' }), { maxYoungGenerationSizeMb: WORKER_YOUNG_MB });
    assert.equal(workerLimits({ TEI_EDITION_WORKER_HEAP_MB: '0', TEI_EDITION_WORKER_YOUNG_MB: '0' }), undefined);
  });
});

