/**
 * Incremental builds (issue 9): after an edit only the changed document is
 * transformed again, only its own files are written afresh (the others are
 * carried over from the previous output: same inode), and the output equals a
 * full build's byte for byte. A change to a register (what every page links
 * to) makes every page again — and still equals a full build.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCacheDir } from '../src/cache.js';
import type { FormatName } from '../src/config.js';
import { blockDigest, build, outputStamp, type BuildResult, type BuildSession } from '../src/pipeline.js';
import { loadSearchIndex } from '../src/search/index.js';
import { Spares } from '../src/stages/write.js';
import { debugLog } from './helpers/debug-log.js';
import { REPO } from './helpers/shared.js';
import { assertSameTree, listTree } from './helpers/tree.js';


/** A promise standing in for `p` that notes whether anyone awaited it. */
function notingAwait<T>(p: Promise<T>): { promise: Promise<T>; awaited: () => boolean } {
  let awaited = false;
  const promise = { then: (ok: never, no: never) => ((awaited = true), p.then(ok, no)) } as unknown as Promise<T>;
  return { promise, awaited: () => awaited };
}

const inodes = (dir: string) => new Map(listTree(dir).map((f) => [f, statSync(path.join(dir, f)).ino]));

// Formats whose per-document files can be carried over (all pure); print needs Chromium.
const ONLY: FormatName[] = ['html', 'text', 'cite'];

describe('incremental build', function () {
  let work: string;
  let corpus: string;
  let out: string;
  const opts = () => ({ corpus, out, only: ONLY, validate: false, jobs: 1 });

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-incremental-'));
    corpus = path.join(work, 'tei');
    out = path.join(work, 'build');
    await cp(path.join(REPO, 'tei'), corpus, { recursive: true });
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
    await rm(buildCacheDir(corpus), { recursive: true, force: true });
  });

  let first: BuildResult;
  it('transforms every document on the first build', async () => {
    first = await build(opts());
    assert.equal(first.errors, 0, first.messages.map(String).join('\n'));
    assert.equal(first.rebuilt.length, first.sources);
    assert.ok(first.sources >= 10, 'the seed has documents and register files');
    assert.equal(first.rendered.length, first.documents);
  });

  it('transforms and renders nothing when nothing changed, and writes the same output', async () => {
    const before = inodes(out);
    const snapshot = path.join(work, 'snapshot');
    await cp(out, snapshot, { recursive: true });
    const again = await build(opts());
    assert.deepEqual(again.rebuilt, []);
    assert.deepEqual(again.rendered, []);
    assert.equal(again.files, first.files);
    assert.deepEqual(again.messages.map(String), first.messages.map(String), 'messages are reported again from the cache');
    assertSameTree(out, snapshot);
    const after = inodes(out);
    const docFiles = first.manifest.documents.flatMap((d) => Object.values(d.outputs).flat());
    for (const f of docFiles) assert.equal(after.get(f), before.get(f), `${f} carried over`);
  });

  it('after an edit, transforms and writes only the edited document, and equals a full build', async () => {
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('reveals much about'));
    // New words and a new mention of a known person: other pages do not change.
    await writeFile(file, text.replace('reveals much about', 'reveals a great deal (as <persName ref="#gottwald">Gottwald</persName> saw it) about'));
    const before = inodes(out);
    const folder = statSync(out).ino;
    const manifestBefore = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { documents: { id: string; outputs: Record<string, string | string[]> }[] };
    const ownBefore = Object.values(manifestBefore.documents.find((d) => d.id === 'commentary-kim')!.outputs).flat();
    const bytesBefore = new Map(ownBefore.map((f) => [f, readFileSync(path.join(out, f))]));
    const r = await build(opts());
    assert.deepEqual(r.rebuilt, [path.relative(process.cwd(), file)]);
    assert.deepEqual(r.rendered, ['commentary-kim']);
    assert.equal(statSync(out).ino, folder, 'few pages changed: the output folder is updated in place, not swapped');
    assert.ok(!existsSync(path.join(out, '.tei-edition-rollback')), 'the rollback journal is gone after the commit');
    const after = inodes(out);
    const own = r.manifest.documents.find((d) => d.id === 'commentary-kim')!;
    const ownFiles = new Set(Object.values(own.outputs).flat());
    assert.ok(ownFiles.has('documents/commentary-kim.html') && ownFiles.has('text/commentary-kim.txt'));
    assert.ok(readFileSync(path.join(out, 'documents/commentary-kim.html'), 'utf8').includes('reveals a great deal (as'));
    // Of the document's files, those whose bytes changed are written afresh, the others (e.g. the DTS passages
    // the edit is not in) stay as they were.
    const changed = [...ownFiles].filter((f) => !bytesBefore.get(f)?.equals(readFileSync(path.join(out, f))));
    assert.ok(changed.includes('documents/commentary-kim.html') && changed.includes('text/commentary-kim.txt'), changed.join(', '));
    assert.ok(changed.length < ownFiles.size, `some of the document's ${ownFiles.size} files unchanged: ${changed.join(', ')}`);
    for (const f of ownFiles) {
      if (changed.includes(f)) assert.notEqual(after.get(f), before.get(f), `${f} written afresh`);
      else assert.equal(after.get(f), before.get(f), `${f} (the same bytes) kept as it was`);
    }
    // Edition-wide parts are made again only when what they read changed (CorpusPart.reads).
    for (const f of ['cite/edition.json', 'cite/edition.bib', 'assets/edition.css', 'assets/minisearch.js', 'about.html']) {
      assert.equal(after.get(f), before.get(f), `${f} (reads the outline only) carried over`);
    }
    // The register pages are made again (a new mention); a page whose bytes come out the same is carried over, not rewritten.
    assert.equal(after.get('index.html'), before.get('index.html'), 'the home page (headers and the introduction) carried over');
    assert.ok(r.manifest.files.includes('search/index.json'));
    assert.notEqual(after.get('search/index.json'), before.get('search/index.json'), 'the search manifest (a shard changed) made again');
    // The search index is in shards with a hash of what each is made from: the edited document's shard is
    // written again under its name, the others (the register entries': Gottwald was referred to before) are kept.
    const shards = (m: string[]) => m.filter((f) => /^search\/./.test(f) && f !== 'search/index.json');
    assert.deepEqual(shards(r.manifest.files), shards([...before.keys()].sort()), 'the same shard files');
    const rewritten = shards(r.manifest.files).filter((f) => after.get(f) !== before.get(f));
    assert.equal(rewritten.length, 1, `one shard written again: ${rewritten.join(', ')}`);
    assert.ok(shards(r.manifest.files).includes('search/registers.json') && rewritten[0] !== 'search/registers.json');
    const others = r.manifest.documents.filter((d) => d.id !== 'commentary-kim').flatMap((d) => Object.values(d.outputs).flat());
    assert.ok(others.length > 10);
    for (const f of others) assert.equal(after.get(f), before.get(f), `${f} carried over`);

    const full = await build({ ...opts(), out: path.join(work, 'full-1'), cache: false });
    assert.equal(full.rebuilt.length, full.sources, '--no-cache transforms everything');
    assertSameTree(out, path.join(work, 'full-1'));
    assert.deepEqual(r.messages.map(String), full.messages.map(String));
  });

  it('after a register edit, makes every page again, and equals a full build', async () => {
    const file = path.join(corpus, 'registers', 'places.xml');
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('<placeName type="reg">United States</placeName>'));
    await writeFile(file, text.replace('<placeName type="reg">United States</placeName>', '<placeName type="reg">United States of America (USA)</placeName>'));
    const folder = statSync(out).ino;
    const r = await build(opts());
    assert.deepEqual(r.rebuilt, [path.relative(process.cwd(), file)]);
    assert.equal(r.rendered.length, r.documents, 'every page links to the register');
    assert.notEqual(statSync(out).ino, folder, 'every page changed: a new output folder is swapped in');
    await build({ ...opts(), out: path.join(work, 'full-2'), cache: false });
    assertSameTree(out, path.join(work, 'full-2'));
  });

  it('after an edit of words only, keeps the register pages and the chronology, and equals a full build', async () => {
    await build(opts()); // the cache describes build/ again (the previous test last built another folder)
    const file = path.join(corpus, 'commentary-stueck.xml');
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('was by no means in a panic'));
    // Words change, no name, date or pointer does: the registers and the chronology stay as they are.
    await writeFile(file, text.replace('was by no means in a panic', 'was not at all in a panic'));
    // The shards the edit leaves as they are are kept as they are in the output, not written again from
    // the build cache: spoil their copies there, and the output still equals a full build's.
    const memo = path.join(buildCacheDir(corpus), 'memo');
    for (const n of readdirSync(memo).filter((n) => n.startsWith('search-'))) await writeFile(path.join(memo, n), 'not read');
    const before = inodes(out);
    const r = await build(opts());
    assert.deepEqual(r.rendered, ['commentary-stueck']);
    const after = inodes(out);
    assert.ok(readFileSync(path.join(out, 'documents/commentary-stueck.html'), 'utf8').includes('was not at all in a panic'));
    for (const f of ['registers/persons.html', 'registers/places.html', 'chronology.html', 'bibliography.html', 'search.html']) {
      assert.ok(after.has(f), f);
      assert.equal(after.get(f), before.get(f), `${f} (reads mentions and the pages' pointers) carried over`);
    }
    assert.notEqual(after.get('search/index.json'), before.get('search/index.json'), 'the search index (reads the text) made again');
    // In place, the edited document's shard is written again under its name; the others (and the register
    // entries') are kept without being read, and no file is added or removed.
    const shards = (m: Map<string, number>) => [...m.keys()].filter((f) => /^search\/.*\.json$/.test(f) && f !== 'search/index.json');
    assert.deepEqual(shards(after), shards(before), 'the same shard files');
    const made = shards(after).filter((f) => after.get(f) !== before.get(f));
    assert.equal(made.length, 1, `one shard written (${made})`);
    assert.notEqual(made[0], 'search/registers.json');
    assert.ok(shards(after).length >= 2);
    await build({ ...opts(), out: path.join(work, 'full-words'), cache: false });
    assertSameTree(out, path.join(work, 'full-words'));
  });

  it('after an edit of words only, takes the teiCorpus frame (header, register standOff) from the cache; equals a full build', async () => {
    const exOut = path.join(work, 'exchange');
    const ex = { corpus, out: exOut, only: ['exchange'] as FormatName[], validate: false, jobs: 1 };
    await build(ex);
    const frames = () => {
      const dir = path.join(buildCacheDir(corpus), 'memo');
      return (existsSync(dir) ? readdirSync(dir) : []).filter((n) => n.startsWith('teicorpus-')).map((n) => `${n} ${statSync(path.join(dir, n)).mtimeMs}`);
    };
    const before = frames();
    assert.equal(before.length, 1, 'the frame is kept in the build cache');
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('Written just two months after'));
    await writeFile(file, text.replace('Written just two months after', 'Written only two months after'));
    const r = await build(ex);
    assert.deepEqual(r.rendered, ['commentary-kim']);
    assert.deepEqual(frames(), before, 'same frame, not made again');
    assert.ok(readFileSync(path.join(exOut, 'exchange/tei/corpus.xml'), 'utf8').includes('Written only two months after'), 'the member is new');
    await build({ ...ex, out: path.join(work, 'full-exchange'), cache: false });
    assertSameTree(exOut, path.join(work, 'full-exchange'));
    await writeFile(file, text);
  });

  it('removes the stored contributions of the records an edit replaced, and keeps the others', async () => {
    const dOut = path.join(work, 'data-stale');
    const opts = { corpus, out: dOut, only: ['exchange', 'html'] as FormatName[], validate: false, jobs: 1 };
    const dataDir = path.join(buildCacheDir(corpus), 'data');
    const list = () => new Set(readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)));
    await build({ ...opts, cache: false });
    const before = list();
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('Written just two months after', 'Written barely two months after'));
    try {
      await build(opts);
      const after = list();
      const gone = [...before].filter((f) => !after.has(f));
      const added = [...after].filter((f) => !before.has(f));
      assert.equal(gone.length, 2, 'the edited document\'s contributions (html, exchange)');
      assert.equal(added.length, 2);
      assert.ok([...gone, ...added].every((f) => /\.(html|exchange)\.json$/.test(f)));
      assert.equal(after.size, before.size);
    } finally {
      await writeFile(file, text);
    }
  });

  it('in a watcher\'s session, reads the unchanged documents\' contributions from memory, not from disk; equals a full build', async () => {
    const exOut = path.join(work, 'exchange-session');
    const session = { caches: new Map() };
    const ex = { corpus, out: exOut, only: ['exchange', 'html'] as FormatName[], validate: false, jobs: 1, session };
    await build(ex);
    // Every stored contribution goes from disk: only what the session kept can stand in for them.
    const dataDir = path.join(buildCacheDir(corpus), 'data');
    await rm(dataDir, { recursive: true, force: true });
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('Written just two months after', 'Written barely two months after'));
    const r = await build(ex);
    assert.equal(r.errors, 0, r.messages.map(String).join('\n'));
    assert.deepEqual(r.rendered, ['commentary-kim']);
    assert.ok(readFileSync(path.join(exOut, 'exchange/tei/corpus.xml'), 'utf8').includes('Written barely two months after'));
    await build({ ...ex, session: undefined, out: path.join(work, 'full-session'), cache: false });
    assertSameTree(exOut, path.join(work, 'full-session'));
    await writeFile(file, text);
  });

  it('in a watcher\'s session, makes a save\'s edition-wide parts side by side, each part\'s messages recorded with it; writes its large files over spares; equals a full build', async () => {
    const sOut = path.join(work, 'spares-session');
    // Every replaced file has a spare (the edition's are small: at 10 000 letters, the teiCorpus and manifest.json).
    const session: BuildSession = { caches: new Map(), spares: new Spares(sOut, 1) };
    const ex = { corpus, out: sOut, only: ['exchange', 'html', 'text'] as FormatName[], validate: false, jobs: 1, session };
    const full = await build(ex);
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    const corpusXml = path.join(sOut, 'exchange/tei/corpus.xml');
    const inodeAtFirst = statSync(corpusXml).ino;
    try {
      let r: BuildResult | undefined;
      const said = await debugLog(async () => {
        await writeFile(file, text.replace('Written just two months after', 'Written barely two months after'));
        r = await build(ex);
      });
      assert.ok(said.some((l) => l.includes('edition-wide parts begun side by side')), said.join('\n'));
      assert.deepEqual(r!.rendered, ['commentary-kim']);
      // The parts' messages (each part reporting through its own context) as a full build gives them, and as
      // the next build, which carries the parts over, reports them again from their records.
      const partMessages = (x: BuildResult) => x.messages.filter((m) => !m.file?.endsWith('.xml')).map(String).sort();
      assert.deepEqual(partMessages(r!), partMessages(full));
      assert.ok(partMessages(full).length > 0, 'the exchange part reports (no baseUrl in the test corpus)');
      // The previous teiCorpus (the first build's) is now the spare that the next save writes over.
      await writeFile(file, text.replace('Written just two months after', 'Written only two months after'));
      r = await build(ex);
      assert.equal(statSync(corpusXml).ino, inodeAtFirst, 'the teiCorpus written over its spare: the first build\'s file');
      assert.ok(readFileSync(corpusXml, 'utf8').includes('Written only two months after'));
      const again = await build(ex);
      assert.deepEqual(again.rendered, []);
      assert.deepEqual(partMessages(again), partMessages(full), 'reported again from the parts\' records');
      await build({ ...ex, session: undefined, out: path.join(work, 'full-spares'), cache: false });
      assertSameTree(sOut, path.join(work, 'full-spares'));
    } finally {
      await writeFile(file, text);
      await session.settling;
      await session.spares?.clear();
    }
    assert.deepEqual(readdirSync(work).filter((n) => n.includes('.spare-')), [], 'clear() leaves no spare');
  });

  it('in a watcher\'s session, the warm-up copies the large files a save makes again as spares, and the first save writes the teiCorpus over its spare; equals a full build', async () => {
    const wOut = path.join(work, 'warm-spares');
    const spares = new Spares(wOut, 1);
    const session: BuildSession = { caches: new Map(), spares };
    const ex = { corpus, out: wOut, only: ['exchange', 'html'] as FormatName[], validate: false, jobs: 1, session };
    await build(ex);
    await session.warmUp!();
    // manifest.json and the files of the parts that read the documents (teiCorpus, DTS collection, search shards…).
    assert.ok(spares.size >= 3, `spares: ${spares.size}`);
    const spareInodes = new Set(readdirSync(spares.dir).map((n) => statSync(path.join(spares.dir, n)).ino));
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    try {
      await writeFile(file, text.replace('Written just two months after', 'Written barely two months after'));
      const r = await build(ex);
      assert.deepEqual(r.rendered, ['commentary-kim']);
      assert.ok(spareInodes.has(statSync(path.join(wOut, 'exchange/tei/corpus.xml')).ino), 'the teiCorpus is the spare the warm-up made, written over');
      await build({ ...ex, session: undefined, out: path.join(work, 'full-warm-spares'), cache: false });
      assertSameTree(wOut, path.join(work, 'full-warm-spares'));
    } finally {
      await writeFile(file, text);
      await session.settling;
      await spares.clear();
    }
  });

  it('in a watcher\'s session, writes an edition-wide file made again after an update that was rolled back (search/index.json); equals a full build', async () => {
    const sOut = path.join(work, 'rolled-back');
    const session = { caches: new Map() };
    const html = { corpus, out: sOut, only: ['html'] as FormatName[], validate: false, jobs: 1, session };
    const index = path.join(sOut, 'search', 'index.json');
    await build(html);
    const before = readFileSync(index, 'utf8');
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('Written just two months after', 'Written barely two months after'));
    // The update fails before it is committed, and is rolled back: the search manifest on disk is the old one.
    process.env.TEI_EDITION_FAIL_BEFORE_SWAP = '1';
    try {
      await assert.rejects(build(html), /simulated failure/);
    } finally {
      delete process.env.TEI_EDITION_FAIL_BEFORE_SWAP;
    }
    assert.equal(readFileSync(index, 'utf8'), before);
    // Made again as the failed build made it (a shard renamed): written, as it is not what is on disk.
    await build(html);
    assert.notEqual(readFileSync(index, 'utf8'), before);
    await build({ ...html, session: undefined, out: path.join(work, 'full-rolled-back'), cache: false });
    assertSameTree(sOut, path.join(work, 'full-rolled-back'));
    await writeFile(file, text);
  });

  it('in a watcher\'s session, register pages and chronology from kept entries and rows: after a mention, a date and a title change, equal a full build', async () => {
    const pagesOut = path.join(work, 'pages-session');
    const session = { caches: new Map() };
    const html = { corpus, out: pagesOut, only: ['html'] as FormatName[], validate: false, jobs: 1, session };
    await build(html);
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    const steps: [string, string][] = [
      // A mention now names another entry (both entries' occurrence lists change), a date moves.
      ['President <persName ref="#gottwald">Klement Gottwald</persName>', 'President <persName ref="#stalin">Klement Gottwald</persName>'],
      ['<date when="1950-08-27">27 August</date> letter', '<date when="1950-08-28">27 August</date> letter'],
      // The title every occurrence list and chronology row of the document shows.
      ['<title type="main">Commentary by Donggil Kim (Beijing University)</title>', '<title type="main">Commentary by Donggil Kim (Peking University)</title>'],
    ];
    let edited = text;
    for (const [i, [from, to]] of steps.entries()) {
      assert.ok(edited.includes(from), from);
      edited = edited.replace(from, to);
      await writeFile(file, edited);
      const r = await build(html);
      assert.equal(r.errors, 0, r.messages.map(String).join('\n'));
      assert.ok(r.rendered.includes('commentary-kim'));
      await build({ ...html, session: undefined, out: path.join(work, `full-pages-${i}`), cache: false });
      assertSameTree(pagesOut, path.join(work, `full-pages-${i}`));
    }
    assert.ok(readFileSync(path.join(pagesOut, 'chronology.html'), 'utf8').includes('Commentary by Donggil Kim (Peking University)'));
    await writeFile(file, text);
  });

  it('without a session (a command\'s build), leaves manifest.json and the DTS collection as they are after an edit of words; equals a full build', async () => {
    const mOut = path.join(work, 'manifest-command');
    const kept = { corpus, out: mOut, only: ['html', 'text', 'exchange'] as FormatName[], validate: false, jobs: 1 };
    await build(kept);
    const files = ['manifest.json', 'exchange/dts/collection.json'];
    const before = files.map((f) => statSync(path.join(mOut, f)).ino);
    const corpusFile = path.join(mOut, 'exchange/tei/corpus.xml');
    const corpusBefore = statSync(corpusFile).ino;
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('Written just two months after', 'Written barely two months after'));
    try {
      const r = await build(kept);
      assert.deepEqual(r.rendered, ['commentary-kim']);
      assert.deepEqual(files.map((f) => statSync(path.join(mOut, f)).ino), before, `${files.join(', ')} not written again (compared with the files)`);
      assert.notEqual(statSync(corpusFile).ino, corpusBefore, 'the teiCorpus (its member changed) written again');
      await build({ ...kept, out: path.join(work, 'full-manifest-command'), cache: false });
      assertSameTree(mOut, path.join(work, 'full-manifest-command'));
    } finally {
      await writeFile(file, text);
    }
  });

  it('in a watcher\'s session, leaves manifest.json as it is after an edit that changes no title, date or file name, and writes it after a title change; equals a full build', async () => {
    const mOut = path.join(work, 'manifest-session');
    const session = { caches: new Map() };
    // (With html: an edit of words changes a search shard's hash in search/index.json, not its file's name.)
    const kept = { corpus, out: mOut, only: ['html', 'text', 'cite'] as FormatName[], validate: false, jobs: 1, session };
    const manifestFile = path.join(mOut, 'manifest.json');
    await build(kept);
    const before = statSync(manifestFile);
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    const words = text.replace('Written just two months after', 'Written barely two months after');
    assert.notEqual(words, text);
    await writeFile(file, words);
    let r = await build(kept);
    assert.deepEqual(r.rendered, ['commentary-kim']);
    const after = statSync(manifestFile);
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs], 'manifest.json not written again');
    await build({ ...kept, session: undefined, out: path.join(work, 'full-manifest-0'), cache: false });
    assertSameTree(mOut, path.join(work, 'full-manifest-0'));
    // The next build of the session still finds its output (the stamp it saved is the unchanged file's).
    r = await build(kept);
    assert.deepEqual(r.rendered, []);
    const titled = words.replace('Commentary by Donggil Kim (Beijing University)', 'Commentary by Donggil Kim (Peking University)');
    assert.notEqual(titled, words);
    await writeFile(file, titled);
    r = await build(kept);
    assert.ok(r.rendered.includes('commentary-kim'));
    assert.notEqual(statSync(manifestFile).ino, before.ino, 'manifest.json written again');
    assert.ok(readFileSync(manifestFile, 'utf8').includes('Commentary by Donggil Kim (Peking University)'));
    await build({ ...kept, session: undefined, out: path.join(work, 'full-manifest-1'), cache: false });
    assertSameTree(mOut, path.join(work, 'full-manifest-1'));
    await writeFile(file, text);
  });

  it('in a watcher\'s session, takes the last discovery and the fingerprints of the files no change names (BuildSession.changed); a change it names is built', async () => {
    const sOut = path.join(work, 'changed-session');
    const session: BuildSession = { caches: new Map() };
    const sopts = { corpus, out: sOut, only: ['text'] as FormatName[], validate: false, jobs: 1, session };
    const kim = path.join(corpus, 'commentary-kim.xml');
    const intro = path.join(corpus, 'intro.xml');
    // (A fingerprint taken within 2 s of a file's last change is not trusted: the files are made older.)
    const minuteAgo = new Date(Date.now() - 60_000);
    for (const f of [kim, intro]) await utimes(f, minuteAgo, minuteAgo);
    await build(sopts);
    const [kimText, introText] = [await readFile(kim, 'utf8'), await readFile(intro, 'utf8')];
    // Both files edited, only one named: the other is taken as it was (what a watcher that saw no
    // change of it means); its edit is built once named.
    await writeFile(kim, kimText.replace('Written just two months after', 'Written barely two months after'));
    await writeFile(intro, introText.replace('The following telegram from', 'The following telegram, as named, from'));
    session.changed = new Set([intro]);
    let r = await build(sopts);
    assert.deepEqual(r.rebuilt, [path.relative(process.cwd(), intro)]);
    assert.ok(readFileSync(path.join(sOut, 'text', 'intro.txt'), 'utf8').includes('as named'));
    assert.ok(!readFileSync(path.join(sOut, 'text', 'commentary-kim.txt'), 'utf8').includes('barely'));
    session.changed = new Set([kim]);
    r = await build(sopts);
    assert.deepEqual(r.rebuilt, [path.relative(process.cwd(), kim)]);
    assert.ok(readFileSync(path.join(sOut, 'text', 'commentary-kim.txt'), 'utf8').includes('barely'));
    // Without a list of changes (the first build of a watcher, or a folder watched afresh), every file is looked at.
    await writeFile(kim, kimText);
    await writeFile(intro, introText);
    r = await build(sopts);
    assert.deepEqual(r.rebuilt.sort(), [kim, intro].map((f) => path.relative(process.cwd(), f)).sort());
    // A document added is found (the discovery is made again), and built.
    const added = path.join(corpus, 'zz-added.xml');
    await writeFile(added, introText.replace(/xml:id="[^"]*"/, 'xml:id="zz-added"'));
    session.changed = new Set([added]);
    r = await build(sopts);
    assert.deepEqual(r.rebuilt, [path.relative(process.cwd(), added)]);
    assert.ok(existsSync(path.join(sOut, 'text', 'zz-added.txt')));
    await rm(added);
    session.changed = new Set([added]);
    r = await build(sopts);
    assert.ok(!existsSync(path.join(sOut, 'text', 'zz-added.txt')));
    await build({ ...sopts, session: undefined, out: path.join(work, 'full-changed'), cache: false });
    assertSameTree(sOut, path.join(work, 'full-changed'));
  });

  it('in a watcher\'s session, after an edit of a register entry, the search finds it as edited; equals a full build', async () => {
    const rOut = path.join(work, 'register-session');
    const session = { caches: new Map() };
    const html = { corpus, out: rOut, only: ['html'] as FormatName[], validate: false, jobs: 1, session };
    await build(html);
    const file = path.join(corpus, 'registers', 'places.xml');
    const text = await readFile(file, 'utf8');
    const [from, to] = ['<placeName type="reg">Soviet Union</placeName>', '<placeName type="reg">Soviet Union (Sowjetunion, Vereinigte Sowjetrepubliken)</placeName>'];
    assert.ok(text.includes(from));
    await writeFile(file, text.replace(from, to));
    await build(html);
    const { index } = await loadSearchIndex(rOut);
    assert.ok(index.search('Vereinigte').some((hit) => hit.k === 'r'), 'the register entry is found by its new name');
    await build({ ...html, session: undefined, out: path.join(work, 'full-register-session'), cache: false });
    assertSameTree(rOut, path.join(work, 'full-register-session'));
    await writeFile(file, text);
    await build(html);
    assert.ok(!(await loadSearchIndex(rOut)).index.search('Vereinigte').length);
  });

  it('in a watcher\'s session, after an edit that takes away the only reference to an entry, and one that brings it back, lists it as referred to or not; equals a full build', async () => {
    const aOut = path.join(work, 'reference-session');
    const session = { caches: new Map() };
    const html = { corpus, out: aOut, only: ['html', 'exchange'] as FormatName[], validate: false, jobs: 1, session };
    await build(html);
    const listed = async () => ({
      page: readFileSync(path.join(aOut, 'registers', 'persons.html'), 'utf8').includes('Dean Acheson'),
      search: (await loadSearchIndex(aOut)).index.search('Acheson').some((hit) => hit.k === 'r'),
      teiCorpus: readFileSync(path.join(aOut, 'exchange', 'tei', 'corpus.xml'), 'utf8').includes('xml:id="acheson"'),
    });
    assert.deepEqual(await listed(), { page: true, search: true, teiCorpus: true });
    const file = path.join(corpus, 'commentary-stueck.xml');
    const text = await readFile(file, 'utf8');
    const [from, to] = ['<persName ref="#acheson">Dean Acheson</persName>', 'Dean Acheson'];
    assert.equal(text.split(from).length, 2, 'the only reference to the entry');
    await writeFile(file, text.replace(from, to));
    // (The document stands in the index as it stood: the builds' documents are the last ones' but for it.)
    await build(html);
    assert.deepEqual(await listed(), { page: false, search: false, teiCorpus: false });
    await build({ ...html, session: undefined, out: path.join(work, 'full-reference-session'), cache: false });
    assertSameTree(aOut, path.join(work, 'full-reference-session'));
    await writeFile(file, text);
    await build(html);
    assert.deepEqual(await listed(), { page: true, search: true, teiCorpus: true });
    await build({ ...html, session: undefined, out: path.join(work, 'full-reference-session'), cache: false });
    assertSameTree(aOut, path.join(work, 'full-reference-session'));
  });

  it('drops the files of a removed document, and equals a full build', async () => {
    await build(opts()); // (the earlier tests' sessions built other formats from other texts of the files)
    await rm(path.join(corpus, 'commentators.xml'));
    const r = await build(opts());
    assert.deepEqual(r.rebuilt, []);
    assert.ok(!listTree(out).some((f) => f.includes('commentators.')), 'no file of the removed document is left');
    await build({ ...opts(), out: path.join(work, 'full-3'), cache: false });
    assertSameTree(out, path.join(work, 'full-3'));
  });

  // Carried-over files are not stat'ed one by one (src/stages/presence.ts): the build trusts folders whose
  // modification time is the one it recorded. A file removed from the output by hand changes its folder's
  // time, so the next build still notices it and writes it again.
  it('writes again a file, and a folder, removed from the output by hand; equals a full build', async () => {
    await build(opts());
    const victim = 'text/commentary-kim.txt';
    const untouched = 'documents/commentary-kim.html';
    assert.ok(existsSync(path.join(out, victim)) && existsSync(path.join(out, untouched)));
    await rm(path.join(out, victim));
    await rm(path.join(out, 'registers'), { recursive: true });
    const before = inodes(out);
    const r = await build(opts());
    assert.deepEqual(r.rebuilt, []);
    assert.ok(existsSync(path.join(out, victim)), `${victim} written again`);
    assert.ok(existsSync(path.join(out, 'registers/persons.html')), 'the register pages written again');
    assert.equal(inodes(out).get(untouched), before.get(untouched), `${untouched} (still there) carried over`);
    await build({ ...opts(), out: path.join(work, 'full-4'), cache: false });
    assertSameTree(out, path.join(work, 'full-4'));
  });

  // A watcher starts taking the output folders' times at the first change it sees (BuildSession.prefetch),
  // while the change settles; the build takes them when its output and cache state are still those.
  it('in a watcher\'s session, takes the output folder times from its folder watch, which sees files and folders removed by hand; equals a full build', async () => {
    const session: BuildSession = { caches: new Map() };
    await build({ ...opts(), session });
    await session.settling; // as a watcher does before it looks for changes
    const watch = session.folderWatch!;
    assert.ok(watch && watch.outDir === out, 'the output folders under watch');
    // A file removed, a folder removed and made again (another inode, empty): marked by their watches.
    const victim = 'text/commentary-kim.txt';
    await rm(path.join(out, victim));
    await rm(path.join(out, 'registers'), { recursive: true });
    await mkdir(path.join(out, 'registers'));
    await new Promise((resolve) => setTimeout(resolve, 100)); // (the change events reach the watches)
    const stats = watch.stats;
    let said = await debugLog(async () => {
      const r = await build({ ...opts(), session });
      assert.deepEqual(r.rebuilt, []);
    });
    assert.ok(said.some((l) => l.includes('output folder times from the folder watch')), said.join('\n'));
    assert.ok(watch.stats - stats <= 4, `only the folders that changed stat'ed (${watch.stats - stats})`);
    assert.ok(existsSync(path.join(out, victim)), `${victim} written again`);
    assert.ok(existsSync(path.join(out, 'registers', 'persons.html')), 'the register pages written again');
    await build({ ...opts(), out: path.join(work, 'full-watched'), cache: false });
    assertSameTree(out, path.join(work, 'full-watched'));
    // Again, after the build's own writes marked their folders: a file removed where the build wrote.
    await session.settling;
    await rm(path.join(out, victim));
    await new Promise((resolve) => setTimeout(resolve, 100));
    said = await debugLog(() => build({ ...opts(), session }).then(() => undefined));
    assert.ok(said.some((l) => l.includes('output folder times from the folder watch')), said.join('\n'));
    assert.ok(existsSync(path.join(out, victim)), `${victim} written again`);
    assertSameTree(out, path.join(work, 'full-watched'));
    await session.settling;
    // The output folder's own time (the in-place update made its journal and files there) recorded as
    // it is after the build: the next build finds every folder as recorded.
    const [cache] = [...session.caches.values()];
    assert.equal(cache!.outputFolders(out, outputStamp(out))!['.'], statSync(out).mtimeMs);
    session.folderWatch?.close();
  });

  it('in a watcher\'s session whose folders are not watched, takes the output folder times taken ahead of it, which see a file removed by hand before; equals a full build', async () => {
    const session: BuildSession = { caches: new Map() };
    await build({ ...opts(), session });
    await session.settling; // as a watcher does before it looks for changes
    // (Not watched: e.g. the system's limit of watches reached. Closed, the watch covers nothing.)
    session.folderWatch!.close();
    assert.equal(typeof session.prefetch, 'function', 'a build of a session leaves a way to take the folder times ahead of the next');
    const victim = 'text/commentary-kim.txt';
    await rm(path.join(out, victim));
    session.prefetch!();
    const ahead = session.prefetched;
    assert.ok(ahead, 'folder times being taken');
    const times = await ahead.times;
    assert.ok(times?.has('text') && times.has('documents'), 'the times of the recorded output folders');
    const taken = notingAwait(ahead.times);
    ahead.times = taken.promise;
    const r = await build({ ...opts(), session });
    assert.ok(taken.awaited(), 'the build took the times taken ahead of it');
    assert.equal(session.prefetched, undefined);
    assert.deepEqual(r.rebuilt, []);
    assert.ok(existsSync(path.join(out, victim)), `${victim} written again`);
    await build({ ...opts(), out: path.join(work, 'full-ahead'), cache: false });
    assertSameTree(out, path.join(work, 'full-ahead'));
    // Taken ahead of a build whose output another build has replaced since: not used.
    await session.settling;
    session.folderWatch!.close();
    session.prefetch!();
    const stale = notingAwait(session.prefetched!.times);
    session.prefetched!.times = stale.promise;
    await build({ ...opts(), cache: false });
    await build({ ...opts(), session });
    assert.ok(!stale.awaited(), 'times taken before another build replaced the output are not used');
    assertSameTree(out, path.join(work, 'full-ahead'));
  });

  // A watcher reports a build once its files are committed; the folder times and the cache state that
  // record them for the next build are taken and saved after (BuildSession.settling).
  it('in a watcher\'s session, returns once its files are committed and saves the cache state after; the next build waits for it; equals a full build', async () => {
    const sOut = path.join(work, 'settling-session');
    const session: BuildSession = { caches: new Map() };
    const sopts = { ...opts(), out: sOut, session };
    await build(sopts);
    const [cache] = [...session.caches.values()];
    assert.ok(cache && session.settling, 'bookkeeping left to do when the build returns');
    assert.equal(cache.previousRender(sOut, outputStamp(sOut)), undefined, 'the new output not yet recorded when the build returns');
    assert.equal(session.prefetch, undefined);
    await session.settling;
    assert.ok(cache.previousRender(sOut, outputStamp(sOut)), 'recorded once settled');
    assert.equal(typeof session.prefetch, 'function');
    const file = path.join(corpus, 'letter-1950-08-27.xml');
    const edit = async (words: string) => {
      const text = await readFile(file, 'utf8');
      const i = text.indexOf('<body>') + text.slice(text.indexOf('<body>')).search(/<p[\s>]/);
      const j = text.indexOf('>', i) + 1;
      await writeFile(file, text.slice(0, j) + words + text.slice(j));
    };
    await edit('First thoughts: ');
    const r1 = await build(sopts);
    assert.deepEqual(r1.rendered, ['letter-1950-08-27']);
    const settled = notingAwait(session.settling!);
    session.settling = settled.promise;
    await edit('Second thoughts: ');
    const r2 = await build(sopts);
    assert.ok(settled.awaited(), 'the next build waited for the last one\'s bookkeeping');
    assert.deepEqual(r2.rendered, ['letter-1950-08-27'], 'the other documents carried over, as the state saved after the last build recorded them');
    await session.settling;
    await build({ ...opts(), out: path.join(work, 'full-settling'), cache: false });
    assertSameTree(sOut, path.join(work, 'full-settling'));
  });

  // A rebuild with few documents to render does it in the main thread (no worker pool to start);
  // the pure formats read only the outline, so the output is the same as the workers'.
  it('with two jobs, a one-document rebuild equals a full build with two jobs', async () => {
    await build({ ...opts(), jobs: 2 });
    const file = path.join(corpus, 'letter-1950-08-27.xml');
    const text = await readFile(file, 'utf8');
    const i = text.indexOf('<body>') + text.slice(text.indexOf('<body>')).search(/<p[\s>]/);
    const j = text.indexOf('>', i) + 1;
    await writeFile(file, text.slice(0, j) + 'Note well: ' + text.slice(j));
    const r = await build({ ...opts(), jobs: 2 });
    assert.deepEqual(r.rendered, ['letter-1950-08-27']);
    await build({ ...opts(), jobs: 2, out: path.join(work, 'full-5'), cache: false });
    assertSameTree(out, path.join(work, 'full-5'));
  });
});

describe('incremental build from another working directory', function () {
  let work: string;
  let corpus: string;
  let out: string;
  const started = process.cwd();
  const opts = () => ({ corpus, out, only: ONLY, validate: false, jobs: 1 });

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-incremental-cwd-'));
    corpus = path.join(work, 'tei');
    out = path.join(work, 'build');
    await cp(path.join(REPO, 'tei'), corpus, { recursive: true });
    // A warning made while the web page is rendered (kept in the cache with the page's record).
    const file = path.join(corpus, 'commentary-kim.xml');
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('reveals much about'));
    await writeFile(file, text.replace('reveals much about', 'reveals (<ref target="javascript:alert(1)">see</ref>) much about'));
  });
  after(async () => {
    process.chdir(started);
    await rm(work, { recursive: true, force: true });
    await rm(buildCacheDir(corpus), { recursive: true, force: true });
  });

  it('carries every document over, and names files in messages relative to the new directory', async () => {
    const first = await build(opts());
    const unsafe = first.messages.filter((m) => m.ruleId === 'unsafe-url');
    assert.equal(unsafe.length, 1, first.messages.map(String).join('\n'));
    assert.equal(unsafe[0]!.file, path.relative(started, path.join(corpus, 'commentary-kim.xml')));
    process.chdir(path.join(work, 'tei'));
    try {
      const again = await build(opts());
      assert.deepEqual(again.rebuilt, []);
      assert.deepEqual(again.rendered, [], 'the working directory is not part of what a document\'s files depend on');
      const moved = again.messages.filter((m) => m.ruleId === 'unsafe-url');
      assert.equal(moved.length, 1);
      assert.equal(moved[0]!.file, 'commentary-kim.xml', 'a message kept in the cache names its file relative to the working directory of this build');
      assert.deepEqual(again.messages.map((m) => [path.resolve(String(m.file)), m.line, m.ruleId, m.reason]), first.messages.map((m) => [path.resolve(started, String(m.file)), m.line, m.ruleId, m.reason]));
    } finally {
      process.chdir(started);
    }
  });
});

describe('blockDigest (digests of the corpus inputs of edition-wide parts)', function () {
  const ids = Array.from({ length: 700 }, (_, i) => `L${String(i).padStart(4, '0')}`);
  const values = ids.map((id) => `v-${id}`);

  it('gives the same digest from the last result as from scratch, after a value changed, a document was added or removed', function () {
    const first = blockDigest(ids, values);
    assert.equal(blockDigest(ids, [...values], first).digest, first.digest, 'unchanged');
    const edited = values.map((v, i) => (i === 300 ? 'changed' : v));
    const fromLast = blockDigest(ids, edited, first);
    assert.equal(fromLast.digest, blockDigest(ids, edited).digest);
    assert.notEqual(fromLast.digest, first.digest);
    assert.deepEqual(fromLast.blocks.map((b, i) => b === first.blocks[i]), [true, false, true], 'only the edited block hashed again');
    const added = [...ids.slice(0, 10), 'L0009a', ...ids.slice(10)];
    const addedValues = added.map((id) => `v-${id}`);
    assert.equal(blockDigest(added, addedValues, first).digest, blockDigest(added, addedValues).digest);
    assert.equal(blockDigest(ids.slice(0, 512), values.slice(0, 512), first).digest, blockDigest(ids.slice(0, 512), values.slice(0, 512)).digest, 'last block dropped');
    assert.notEqual(blockDigest(ids.slice(0, 512), values.slice(0, 512)).digest, blockDigest(ids.slice(0, 511), values.slice(0, 511)).digest);
  });

  it('given the places that changed (a watcher\'s save), hashes their blocks alone; the same digest as from scratch', function () {
    const first = blockDigest(ids, values);
    const edited = values.map((v, i) => (i === 300 || i === 650 ? `changed ${i}` : v));
    const fromLast = blockDigest(first.ids, edited, first, [300, 650]);
    assert.equal(fromLast.digest, blockDigest(ids, edited).digest);
    // A value changed at a place not named is not looked at: the places named are all that is hashed again.
    const unnamed = edited.map((v, i) => (i === 10 ? 'unseen' : v));
    assert.equal(blockDigest(first.ids, unnamed, first, [300, 650]).digest, fromLast.digest);
    assert.equal(blockDigest(first.ids, values, first, []).digest, first.digest, 'nothing changed');
  });

  it('tells an id from its value (a document renamed with the same value changes the digest)', function () {
    const renamed = ids.map((id, i) => (i === 5 ? 'other' : id));
    assert.notEqual(blockDigest(renamed, values, blockDigest(ids, values)).digest, blockDigest(ids, values).digest);
  });
});

