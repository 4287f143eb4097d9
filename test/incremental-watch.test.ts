/**
 * Watch mode (src/watch.ts): after the first build, saving a corpus file
 * triggers one incremental rebuild that transforms only that file.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCacheDir } from '../src/cache.js';
import type { FormatName } from '../src/config.js';
import { build } from '../src/pipeline.js';
import { exportThread } from '../src/exchange/run.js';
import { loadSearchIndex, searchThread } from '../src/search/index.js';
import { changesToTrust, LARGE_BURST, quietAfter, watchBuild, type Rebuilt, type Watcher, type WatchOptions } from '../src/watch.js';
import { WARM_RUNS } from '../src/workers.js';
import { onStylesheetsChanged } from '../src/xslt/sef.js';
import { debugLog } from './helpers/debug-log.js';
import { REPO } from './helpers/shared.js';
import { assertSameTree } from './helpers/tree.js';

describe('watchBuild', function () {
  let work: string;
  let corpus: string;
  let watcher: Watcher | undefined;

  /**
   * Starts the suite's watcher (`watcher`, which `after` closes): it, the builds it reports, and
   * `rebuilt()`, a promise of its next report.
   */
  function startWatching(options: WatchOptions): { watching: Watcher; builds: Rebuilt[]; rebuilt: () => Promise<void> } {
    const builds: Rebuilt[] = [];
    let notify: (() => void) | undefined;
    const watching = watchBuild(options, (r) => {
      builds.push(r);
      notify?.();
    });
    watcher = watching;
    return { watching, builds, rebuilt: () => new Promise<void>((resolve) => (notify = resolve)) };
  }

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-watch-'));
    corpus = path.join(work, 'tei');
    await cp(path.join(REPO, 'tei'), corpus, { recursive: true });
  });
  after(async () => {
    await watcher?.close();
    await rm(work, { recursive: true, force: true });
    await rm(buildCacheDir(corpus), { recursive: true, force: true });
  });

  it('builds, then rebuilds only the saved file', async () => {
    const out = path.join(work, 'build');
    const { watching, builds, rebuilt } = startWatching({ corpus, out, only: ['html', 'text'], validate: false, jobs: 1 });
    const first = await watching.ready;
    assert.equal(first.error, undefined);
    assert.deepEqual(first.changed, []);
    assert.equal(first.result!.rebuilt.length, first.result!.sources);

    const file = path.join(corpus, 'intro.xml');
    const text = await readFile(file, 'utf8');
    const next = rebuilt();
    assert.ok(text.includes('The following telegram from'));
    // What the build says it did (its debug log), to see that the output folders' times came from the
    // watcher's folder watch (BuildSession.folderWatch), not from a stat of each.
    const said = await debugLog(async () => {
      await writeFile(file, text.replace('The following telegram from', 'The following telegram, saved while watching, from'));
      await next;
      await watching.idle();
    });
    assert.ok(said.some((l) => l.includes('output folder times from the folder watch')), said.join('\n'));
    const r = builds[builds.length - 1]!;
    assert.equal(r.error, undefined);
    assert.ok(builds.length >= 2);
    assert.deepEqual(builds.slice(1).flatMap((b) => b.changed), [file]);
    assert.deepEqual(r.result!.rebuilt, [path.relative(process.cwd(), file)]);
    assert.deepEqual(r.result!.rendered, ['intro']);
    assert.ok(readFileSync(path.join(out, 'documents', 'intro.html'), 'utf8').includes('saved while watching'));
  });

  it('warms up, and rehearses a build, after a first build that carried everything over: the first save reads no stored contribution from disk, and equals a full build', async () => {
    await watcher?.close();
    const out = path.join(work, 'build-warm');
    const only: FormatName[] = ['html', 'exchange'];
    await build({ corpus, out, only, validate: false, jobs: 1 });
    const collection = path.join(out, 'exchange/dts/collection.json');
    const collectionBefore = statSync(collection).ino;
    const { watching, builds, rebuilt } = startWatching({ corpus, out, only, validate: false, jobs: 1 });
    let first!: Rebuilt;
    const warm = await debugLog(async () => {
      first = await watching.ready;
    });
    assert.equal(first.error, undefined);
    assert.deepEqual(first.result!.rendered, [], 'the first build carried every document over');
    assert.equal(typeof first.warmUpMs, 'number');
    // After the warm-up, a rehearsal: a build with nothing changed, not reported.
    assert.equal(warm.filter((l) => l.includes('discovered %d files')).length, 2, warm.join('\n'));
    assert.equal(builds.length, 1, 'one build reported');
    // A document transformed and rendered several times on this thread (V8 optimises over the first runs).
    assert.ok(warm.some((l) => l.includes('warm-up: a document transformed %d times, rendered %d times') && l.endsWith(` ${WARM_RUNS} ${WARM_RUNS}`)), warm.join('\n'));
    // The parts a save of words makes again, made by the warm-up, their texts kept as those of the output's files.
    for (const part of ['html/search', 'exchange/corpus']) {
      const line = warm.find((l) => l.includes('warm-up: %s/%s made') && l.includes(part.replace('/', ' ')));
      assert.ok(line && !/ 0$/.test(line), `${part}: ${warm.join('\n')}`);
    }
    // What the warm-up read, the session keeps: with every stored contribution gone from disk, the
    // first save's edition-wide parts (search, teiCorpus) still have them all.
    await rm(path.join(buildCacheDir(corpus), 'data'), { recursive: true, force: true });
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('Written just two months after'));
    const next = rebuilt();
    await writeFile(file, text.replace('Written just two months after', 'Written a mere two months after'));
    await next;
    await watching.idle();
    const r = builds[builds.length - 1]!;
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.result!.errors, 0, r.result!.messages.map(String).join('\n'));
    assert.deepEqual(r.result!.rendered, ['commentary-kim']);
    assert.equal(statSync(collection).ino, collectionBefore, 'the DTS collection (as the warm-up made it) not written again');
    await watching.close();
    watcher = undefined;
    await build({ corpus, out: path.join(work, 'full-warm'), only, validate: false, jobs: 1, cache: false });
    assertSameTree(out, path.join(work, 'full-warm'));
    await writeFile(file, text);
  });

  // With a second core, a save's search shard is indexed on the watcher's indexing thread (started and
  // warmed by its warm-up) while the letter renders (src/search/index.ts prepareSearch).
  it('with two jobs, indexes a save\'s search shard ahead, on a thread, while the document renders; equals a full build', async () => {
    await watcher?.close();
    const out = path.join(work, 'build-ahead');
    const only: FormatName[] = ['html'];
    // (The indexing thread is the process's: earlier watchers may have used it.)
    const runsBefore = searchThread()?.completed ?? 0;
    const { watching, builds, rebuilt } = startWatching({ corpus, out, only, validate: false, jobs: 2 });
    const first = await watching.ready;
    assert.equal(first.error, undefined);
    // The warm-up warmed the thread by indexing a shard several times (V8 optimises over the first runs).
    assert.equal(searchThread()!.completed - runsBefore, WARM_RUNS);
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('Written just two months after'));
    const next = rebuilt();
    const said = await debugLog(async () => {
      await writeFile(file, text.replace('Written just two months after', 'Written, we read, two months after'));
      await next;
      await watching.idle();
    });
    const r = builds[builds.length - 1]!;
    assert.equal(r.error, undefined, String(r.error));
    assert.deepEqual(r.result!.rendered, ['commentary-kim']);
    assert.ok(said.some((l) => l.includes('search: shard %s indexed ahead')), said.join('\n'));
    await watching.close();
    watcher = undefined;
    await build({ corpus, out: path.join(work, 'full-ahead'), only, validate: false, jobs: 2, cache: false });
    assertSameTree(out, path.join(work, 'full-ahead'));
    const { index } = await loadSearchIndex(out);
    assert.ok(index.search('we read').some((h) => String(h.u).includes('commentary-kim')), 'the edit is found by the search');
    await writeFile(file, text);
  });

  // With a second core, a save's exchange export is begun on the watcher's export thread (started and
  // warmed by its warm-up) while the document transforms (src/formats/exchange.ts ahead), with the last
  // build's context: taken when the document's id, text and context are still those, else made again.
  it('with two jobs, makes a save\'s exchange export ahead, on a thread, and takes it only while it is still right; equals a full build', async () => {
    await watcher?.close();
    const out = path.join(work, 'build-export-ahead');
    const only: FormatName[] = ['html', 'exchange'];
    // Three documents: a change of the context (an id) re-renders them all, on the build's thread as a
    // save's (fewer than four: no render pool), and a first build that carries everything over starts none.
    const corpus = path.join(work, 'tei-three');
    await mkdir(corpus, { recursive: true });
    for (const name of ['edition.config.json', 'letter-1950-08-27.xml', 'commentary-kim.xml', 'commentators.xml']) {
      await cp(path.join(REPO, 'tei', name), path.join(corpus, name));
    }
    await build({ corpus, out, only, validate: false, jobs: 2 });
    const runsBefore = exportThread()?.completed ?? 0;
    const { watching, builds, rebuilt } = startWatching({ corpus, out, only, validate: false, jobs: 2 });
    const first = await watching.ready;
    assert.equal(first.error, undefined);
    assert.deepEqual(first.result!.rendered, [], 'the first build carried every document over');
    // The warm-up warmed the export thread by making the first document's export several times.
    assert.equal(exportThread()!.completed - runsBefore, WARM_RUNS);
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    const save = async (content: string): Promise<string[]> => {
      const next = rebuilt();
      return debugLog(async () => {
        await writeFile(file, content);
        await next;
        await watching.idle();
      });
    };
    const full = async (name: string) => {
      await build({ corpus, out: path.join(work, name), only, validate: false, jobs: 2, cache: false });
      assertSameTree(out, path.join(work, name));
    };
    try {
      // A word edit: the export made ahead is the one the build makes.
      assert.ok(text.includes('Written just two months after'));
      let said = await save(text.replace('Written just two months after', 'Written, it seems, two months after'));
      let r = builds[builds.length - 1]!;
      assert.equal(r.error, undefined, String(r.error));
      assert.deepEqual(r.result!.rendered, ['commentary-kim']);
      assert.ok(said.some((l) => l.includes('exchange: export of %s made ahead')), said.join('\n'));
      assert.ok(readFileSync(path.join(out, 'exchange', 'tei', 'commentary-kim.xml'), 'utf8').includes('Written, it seems, two months after'));
      await full('full-export-ahead');
      // Another word edit: the edition-wide files in pieces are compared with the last ones piece by piece (the
      // pieces of the documents not edited are the same strings): the DTS collection, whose members a word edit
      // does not change, stays as it is (the same file); the teiCorpus, whose member of the letter it does, is written.
      const collection = path.join(out, 'exchange', 'dts', 'collection.json');
      const teiCorpus = path.join(out, 'exchange', 'tei', 'corpus.xml');
      const before = { collection: statSync(collection).ino, teiCorpus: statSync(teiCorpus).ino };
      said = await save(text.replace('Written just two months after', 'Written, it seems, some two months after'));
      assert.equal(builds[builds.length - 1]!.error, undefined);
      assert.ok(said.some((l) => l.includes('exchange: export of %s made ahead')), said.join('\n'));
      assert.equal(statSync(collection).ino, before.collection, 'the DTS collection was not written again');
      assert.notEqual(statSync(teiCorpus).ino, before.teiCorpus, 'the teiCorpus was written again');
      assert.ok(readFileSync(teiCorpus, 'utf8').includes('Written, it seems, some two months after'));
      await full('full-export-pieces');
      // The document's id changed (and with it the context): the export begun with the last id is not taken.
      assert.ok(text.includes('xml:id="commentary-kim"'));
      said = await save(text.replace('xml:id="commentary-kim"', 'xml:id="commentary-kim-b"'));
      r = builds[builds.length - 1]!;
      assert.equal(r.error, undefined, String(r.error));
      assert.ok(said.some((l) => l.includes('exchange: export of %s begun ahead not taken')), said.join('\n'));
      assert.ok(!said.some((l) => l.includes('exchange: export of %s made ahead')), said.join('\n'));
      assert.ok(existsSync(path.join(out, 'exchange', 'tei', 'commentary-kim-b.xml')));
      await full('full-export-renamed');
    } finally {
      await watching.close();
      watcher = undefined;
      await rm(buildCacheDir(corpus), { recursive: true, force: true });
    }
  });

  it('rebuilds when a stylesheet changes, with the compiled stylesheets dropped and a new worker pool', async () => {
    await watcher?.close();
    const out = path.join(work, 'build-xslt');
    const xslt = path.join(work, 'xslt');
    await mkdir(xslt);
    await writeFile(path.join(xslt, 'extra.xsl'), '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n');
    let dropped = 0;
    onStylesheetsChanged(() => dropped++);
    const { watching, builds, rebuilt } = startWatching({ corpus, out, only: ['text'], validate: false, jobs: 1, packageDirs: { stylesheets: [xslt], assets: [] } });
    assert.equal((await watching.ready).error, undefined);
    assert.equal(dropped, 0);
    const next = rebuilt();
    await writeFile(path.join(xslt, 'extra.xsl'), '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><!-- edited --></xsl:stylesheet>\n');
    await next;
    await watching.idle();
    assert.deepEqual(builds.slice(1).flatMap((b) => b.changed), [path.join(xslt, 'extra.xsl')]);
    assert.equal(builds[builds.length - 1]!.error, undefined);
    assert.ok(dropped >= 1, 'the compiled stylesheets of this thread were dropped before the rebuild');
  });

  it('sees a document added and one removed (one rebuild each), and leaves out changes in the output folder and dot folders', async () => {
    await watcher?.close();
    // The output folder inside the corpus folder: its writes must not trigger builds.
    const out = path.join(corpus, 'site');
    const { watching, builds, rebuilt } = startWatching({ corpus, out, only: ['text'], validate: false, jobs: 1 });
    assert.equal((await watching.ready).error, undefined);
    const added = path.join(corpus, 'added-letter.xml');
    const seed = await readFile(path.join(corpus, 'letter-1950-08-27.xml'), 'utf8');
    let next = rebuilt();
    await writeFile(added, seed.replace('xml:id="letter-1950-08-27"', 'xml:id="added-letter"'));
    await next;
    await watching.idle();
    assert.equal(builds.length, 2, 'one rebuild for the new file, none for the files the build wrote');
    assert.deepEqual(builds[1]!.changed, [added]);
    assert.ok(existsSync(path.join(out, 'text', 'added-letter.txt')));
    next = rebuilt();
    await mkdir(path.join(corpus, '.drafts'), { recursive: true });
    await writeFile(path.join(corpus, '.drafts', 'note.xml'), '<TEI/>');
    await rm(added);
    await next;
    await watching.idle();
    assert.equal(builds.length, 3);
    assert.deepEqual(builds[2]!.changed, [added], 'the dot folder was left out');
    assert.ok(!existsSync(path.join(out, 'text', 'added-letter.txt')));
    await watching.close();
    watcher = undefined;
    await rm(out, { recursive: true, force: true });
    await rm(path.join(corpus, '.drafts'), { recursive: true, force: true });
  });
});

describe('watchBuild: which changes a build may trust as the only ones (changesToTrust)', () => {
  it('the paths seen, unless they came in a burst large enough for the native watcher to have dropped some', () => {
    assert.deepEqual(changesToTrust(['/c/a.xml', '/c/b.xml'], 3), new Set(['/c/a.xml', '/c/b.xml']));
    assert.deepEqual(changesToTrust([], 0), new Set());
    // A checkout of another branch: the kernel's queue may have overflowed, and events were lost unsaid.
    assert.equal(changesToTrust(['/c/a.xml'], LARGE_BURST), undefined, 'many events, few paths');
    assert.equal(changesToTrust(Array.from({ length: LARGE_BURST }, (_, i) => `/c/${i}.xml`), LARGE_BURST), undefined, 'many paths');
  });
});

describe('watchBuild: how long it waits for more changes before it builds (quietAfter)', () => {
  it('the least quiet time after the batch that starts a burst, a short margin after a later batch of it, and a given debounce after every batch', () => {
    // @parcel/watcher sends a later batch only once no change has come for 50 ms: the margin after it is short.
    assert.equal(quietAfter('first'), 75);
    assert.equal(quietAfter('later'), 20);
    assert.ok(quietAfter('later') < quietAfter('first'));
    // A debounce the user gives holds after each batch, never below the least quiet time.
    assert.equal(quietAfter('first', 300), 300);
    assert.equal(quietAfter('later', 300), 300);
    assert.equal(quietAfter('later', 10), 75);
  });
});
