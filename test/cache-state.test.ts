/**
 * The build cache's state (src/cache.ts): a base file and a log of changes. A
 * build that changed one document appends one line (what changed), not the
 * state of every document again; a reopened cache sees base + log; a line cut
 * short by a kill is ignored; a state another process wrote in between is
 * never patched with a change computed against an older one.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BuildCache, keptResult, mentionsDigest, runTask, runTaskHeld, slimResult, statePieces, type RenderRecord } from '../src/cache.js';
import { REPO } from './helpers/shared.js';

const record = (doc: string, key: string): Record<string, RenderRecord> => ({
  html: { key, files: [{ path: `documents/${doc}.html`, kind: 'html', doc }], messages: [] },
});

describe('build cache state: base and log', () => {
  let dir: string;
  const OUT = '/edition/build';
  const open = () => BuildCache.open('/edition/tei', 'salt', { dir });
  const files = () => readdirSync(dir).filter((f) => f.startsWith('state-')).sort();
  const log = () => path.join(dir, files().find((f) => f.endsWith('.log'))!);
  const base = () => path.join(dir, files().find((f) => f.endsWith('.json'))!);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tei-cache-state-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const docs = ['a', 'b', 'c'];
  const render = (keys: Record<string, string>) => Object.fromEntries(docs.map((d) => [d, record(d, keys[d] ?? `k-${d}`)]));

  it('writes the whole state first, then one line per build with only what changed', async () => {
    const cache = await open();
    await cache.save(OUT, 'm1', render({}), new Set(['e1', 'e2']));
    assert.deepEqual(files().map((f) => path.extname(f)), ['.json'], 'a base, no log yet');
    const baseBefore = statSync(base());

    // The next build of the same process: document b changed, the others carried over (the same records).
    const again = await open();
    const previous = Object.fromEntries(docs.map((d) => [d, again.previousRender(OUT, 'm1')?.[d]!]));
    assert.equal(previous.a!.html!.key, 'k-a', 'the reopened cache describes the output');
    await again.save(OUT, 'm2', { ...previous, b: record('b', 'k-b2') }, new Set(['e1', 'e3']));
    const lines = readFileSync(log(), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1, 'one line appended');
    const change = JSON.parse(lines[0]!) as { render: Record<string, unknown>; entries: { add: string[]; del: string[] } };
    assert.deepEqual(Object.keys(change.render), ['b'], 'only the changed document is in the line');
    assert.deepEqual(change.entries, { add: ['e3'], del: ['e2'] });
    const baseAfter = statSync(base());
    assert.equal(baseAfter.mtimeMs, baseBefore.mtimeMs, 'the base is not written again');
    assert.equal(baseAfter.size, baseBefore.size);

    const reopened = await open();
    assert.equal(reopened.previousRender(OUT, 'm1')?.['a'], undefined, 'the state describes the new output, not the old one');
    assert.equal(reopened.previousRender(OUT, 'm2')?.['b']!.html!.key, 'k-b2', 'base + log');
    assert.equal(reopened.previousRender(OUT, 'm2')?.['a']!.html!.key, 'k-a');
  });

  it('keeps a watcher\'s stored contribution in memory at once (as read back) and writes its file beside the build, before the state is saved', async () => {
    // (A cache of its own, in a folder of the suite's, which it removes: the other tests here follow one state from build to build.)
    const own = path.join(dir, 'own-data');
    const cache = await BuildCache.open('/edition/tei', 'salt', { dir: own });
    cache.keepData = true;
    const data = { pointers: [{ pointers: ['#gottwald'], form: 'Gottwald' }], passages: 3 };
    const { data: name } = await cache.storeData('kdata1', 'html', data);
    const file = path.join(own, 'data', name);
    // (The writing runs on the thread pool: its first step has not come back yet when storeData has.)
    assert.equal(existsSync(file), false, 'not waited for: the document\'s next format renders meanwhile');
    const kept = cache.readData(name);
    assert.deepEqual(kept, data);
    assert.notEqual(kept, data, 'a copy, as read back (the renderer keeps its object)');
    const render = { a: { html: { key: 'kdata1', files: [{ path: 'documents/a.html', kind: 'html', doc: 'a' }], messages: [], data: name } } };
    await cache.save(OUT, 'm-data', render, new Set());
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), data, 'written by the time the state names it');
  });

  it('ignores a line cut short by a kill (that build\'s records are not used)', async () => {
    const cache = await open();
    const previous = Object.fromEntries(docs.map((d) => [d, cache.previousRender(OUT, 'm2')?.[d]!]));
    await cache.save(OUT, 'm3', { ...previous, c: record('c', 'k-c3') }, new Set(['e1', 'e3']));
    const text = readFileSync(log(), 'utf8').trim().split('\n');
    assert.equal(text.length, 2);
    // Cut the last line in half, as a kill during the append would.
    await writeFile(log(), `${text[0]}\n${text[1]!.slice(0, text[1]!.length >> 1)}`);
    const reopened = await open();
    assert.equal(reopened.previousRender(OUT, 'm3')?.['c'], undefined, 'the cut line is not applied');
    assert.equal(reopened.previousRender(OUT, 'm2')?.['b']!.html!.key, 'k-b2', 'the lines before it are');
    const kept = Object.fromEntries(docs.map((d) => [d, reopened.previousRender(OUT, 'm2')?.[d]!]));
    await reopened.save(OUT, 'm3b', kept, new Set(['e1', 'e3']));
    assert.ok(!files().some((f) => f.endsWith('.log')), 'a log cut short is not appended to: the next build writes a new base');
    assert.equal((await open()).previousRender(OUT, 'm3b')?.['b']!.html!.key, 'k-b2');
  });

  it('writes a new base, not a line, when most of the state changed (a full build)', async () => {
    // Records large enough that the state is well over the log's 1 MB floor.
    const big = (doc: string, key: string): Record<string, RenderRecord> => ({
      html: { key, files: Array.from({ length: 8000 }, (_, i) => ({ path: `documents/${doc}/${i}.html`, kind: 'html', doc })), messages: [] },
    });
    const cache = await open();
    await cache.save(OUT, 'b1', Object.fromEntries(docs.map((d) => [d, big(d, 'k1')])), new Set(['e1']));
    assert.ok(!files().some((f) => f.endsWith('.log')), 'a base first');
    const again = await open();
    const kept = Object.fromEntries(docs.map((d) => [d, again.previousRender(OUT, 'b1')?.[d]!]));
    await again.save(OUT, 'b2', { ...kept, a: big('a', 'k2') }, new Set(['e1']));
    assert.ok(files().some((f) => f.endsWith('.log')), 'one document of three changed: a line');
    const third = await open();
    await third.save(OUT, 'b3', Object.fromEntries(docs.map((d) => [d, big(d, 'k3')])), new Set(['e1']));
    assert.ok(!files().some((f) => f.endsWith('.log')), 'every document changed: a new base, no log');
    assert.equal((await open()).previousRender(OUT, 'b3')?.['c']!.html!.key, 'k3');
  });

  it('writes a new base, not a line, when another process wrote the state since this one read it', async () => {
    const mine = await open();
    const other = await open();
    const theirs = Object.fromEntries(docs.map((d) => [d, other.previousRender(OUT, 'b3')?.[d]!]));
    await other.save(OUT, 'm4', { ...theirs, a: record('a', 'k-a4') }, new Set(['e1']));
    const previous = Object.fromEntries(docs.map((d) => [d, mine.previousRender(OUT, 'b3')?.[d]!]));
    await mine.save(OUT, 'm5', { ...previous, c: record('c', 'k-c5') }, new Set(['e1']));
    assert.ok(!files().some((f) => f.endsWith('.log')), 'the log is folded into a new base');
    const reopened = await open();
    assert.equal(reopened.previousRender(OUT, 'm5')?.['c']!.html!.key, 'k-c5');
    assert.equal(reopened.previousRender(OUT, 'm5')?.['a']!.html!.key, 'k3', 'this process\'s state, whole: not the other\'s patched with this change');
    assert.ok(existsSync(base()));
  });
});

describe('the state file is written in pieces (src/cache.ts statePieces)', () => {
  it('gives JSON.stringify’s text, a piece per document’s records', () => {
    const render = {
      b: record('b', 'k-b'), a: record('a', 'k-a'), '10': record('10', 'k-10'), '2': {},
      'é “quoted”\n': record('é', 'k-é'), '\u0000corpus': { html: { key: 'c', files: [], messages: [] } },
    };
    const states = [
      { format: 3, files: { '/t/a.xml': { sha: 'x', size: 1 } }, out: '/o', manifest: undefined, render, entries: ['e1'], folders: undefined, base: 'b1' },
      { format: 3, files: {}, render: {} },
      {},
    ];
    for (const state of states) {
      const pieces = [...statePieces(state)];
      assert.equal(pieces.join(''), JSON.stringify(state));
      if (state === states[0]) assert.ok(pieces.length >= Object.keys(render).length + 6, 'no piece holds more than one document’s records');
    }
  });
});

describe('a stored transform’s result (src/cache.ts runTask)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tei-run-task-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('comes back from the worker as the JSON text it stored, parsed in the main thread; outputs and text stay on disk', async () => {
    const file = path.join(REPO, 'tei', 'letter-1950-08-27.xml');
    const store = { prefix: path.join(dir, 'entries', 'ab', 'abcdef') };
    const task = { file, displayPath: 'letter-1950-08-27.xml', stylesheets: ['text/text.xsl'], params: {}, load: {}, keepText: true, store };
    const r = await runTask(task);
    assert.equal(typeof r, 'string', 'text for the message to the main thread, not objects to clone');
    assert.equal(r, readFileSync(`${store.prefix}.meta.json`, 'utf8'));
    const slim = slimResult(r);
    assert.equal(slim.ok, true);
    assert.equal(slim.meta?.id, 'letter-1950-08-27');
    assert.ok(!('outputs' in slim) && !('text' in slim));
    const part = JSON.parse(readFileSync(`${store.prefix}.out.json`, 'utf8')) as { outputs: Record<string, string>; text: string };
    assert.ok(part.outputs['text/text.xsl']!.length > 100 && part.text.includes('<TEI'));
    // Without a store target the whole result comes back, as it is.
    const whole = slimResult(await runTask({ ...task, store: undefined }));
    assert.deepEqual(keptResult({ ...whole, outputs: undefined, results: undefined, text: undefined }), { ...slim, outputs: undefined, results: undefined, text: undefined });
  });

  it('on a watcher\'s thread (runTaskHeld): given back at once, served from memory while its files are written, then the same files as runTask\'s', async () => {
    const file = path.join(REPO, 'tei', 'letter-1950-08-27.xml');
    const cache = await BuildCache.open(path.join(REPO, 'tei'), 'salt-held', { dir: path.join(dir, 'held-cache') });
    const key = 'f'.repeat(64);
    const store = cache.target(key);
    const task = { file, displayPath: 'letter-1950-08-27.xml', stylesheets: ['text/text.xsl'], params: {}, load: {}, keepText: true, store };
    const r = await runTaskHeld(task, cache);
    assert.equal(typeof r, 'string');
    // (The writing runs on the thread pool: its first step has not come back yet.)
    assert.equal(existsSync(`${store.prefix}.meta.json`), false, 'not waited for');
    assert.ok(cache.outputs(key).outputs['text/text.xsl']!.length > 100, 'outputs from memory');
    assert.equal(cache.fullMeta(key).id, 'letter-1950-08-27', 'metadata from memory');
    await cache.written();
    assert.equal(r, readFileSync(`${store.prefix}.meta.json`, 'utf8'));
    const other = { prefix: path.join(dir, 'entries', 'cd', 'cdef01') };
    await runTask({ ...task, store: other });
    assert.equal(readFileSync(`${store.prefix}.out.json`, 'utf8'), readFileSync(`${other.prefix}.out.json`, 'utf8'), 'the outputs as runTask stores them');
    assert.ok(cache.outputs(key).text!.includes('<TEI'), 'read from the file now');
  });

  it('is kept without the texts of passages and notes (ids and numbers kept) and without its mentions (their digest kept); the build cache gives them back', async () => {
    const cache = await BuildCache.open(path.join(REPO, 'tei'), 'salt', { dir });
    const key = 'cd'.padEnd(64, '0');
    const task = { file: path.join(REPO, 'tei', 'letter-1950-08-27.xml'), displayPath: 'letter-1950-08-27.xml', stylesheets: ['text/text.xsl'], params: {}, load: {}, keepText: true, store: cache.target(key) };
    const whole = slimResult(await runTask({ ...task, store: undefined })).meta!;
    assert.ok(whole.passages.filter((p) => p.text).length >= 5 && whole.notes.some((n) => n.text), 'the seed letter has paragraphs and notes with text');
    const texts = (m: typeof whole) => [...m.passages, ...m.notes].map((x) => x.text);
    const shape = (m: typeof whole) => ({ ...m, passages: m.passages.map((p) => ({ ...p, text: undefined })), notes: m.notes.map((n) => ({ ...n, text: undefined })), mentions: undefined });
    assert.ok(whole.mentions.length >= 5, 'the seed letter names people and places');
    for (const kept of [slimResult(await runTask(task)).meta!, (await cache.cached(key))!.meta!]) {
      assert.ok(texts(kept).every((t) => t === ''), 'no text in the main thread');
      assert.deepEqual(kept.mentions, [], 'no mentions in the main thread');
      assert.equal(mentionsDigest(kept), mentionsDigest(whole), 'the digest of the mentions it had');
      assert.deepEqual(shape(kept), shape(whole), 'everything else as the transform gave it');
    }
    assert.deepEqual(cache.fullMeta(key), whole, 'the texts, read from the build cache');
    assert.throws(() => cache.fullMeta('ef'.padEnd(64, '0')), /build cache entry .* is missing or unreadable/);
  });
});

describe('build cache state of a build that reads nothing from the cache (--no-cache)', () => {
  let dir: string;
  const OUT = '/edition/build';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tei-cache-deferred-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const open = (read?: boolean) => BuildCache.open('/edition/tei', 'salt', { dir, ...(read === undefined ? {} : { read }) });
  /** Entry files as a build stores them (only their presence matters here). */
  const entry = async (cache: BuildCache, key: string) => {
    const { prefix } = cache.target(key);
    await mkdir(path.dirname(prefix), { recursive: true });
    await writeFile(`${prefix}.meta.json`, '{}');
    await writeFile(`${prefix}.out.json`, '{}');
    return `${prefix}.meta.json`;
  };

  it('reads the saved state at its save, not when opened: what it removes is what the state names then', async () => {
    const first = await open();
    const [e1, e2, e3] = [await entry(first, 'e1'), await entry(first, 'e2'), await entry(first, 'e3')];
    await first.save(OUT, 'm1', { a: record('a', 'k-a') }, new Set(['e1', 'e2']));
    // A full build opens the cache (it renders for minutes) …
    const full = await open(false);
    assert.equal(full.previousRender(OUT, 'm1'), undefined, 'it reads nothing from the cache');
    // … while another build of the corpus saves a state that names e3 too.
    const other = await open();
    await other.save(OUT, 'm2', { a: record('a', 'k-a2') }, new Set(['e1', 'e2', 'e3']));
    await full.save(OUT, 'm3', { a: record('a', 'k-a3') }, new Set(['e1']));
    assert.ok(existsSync(e1), 'the entry the build used stays');
    assert.ok(!existsSync(e2) && !existsSync(e3), 'every entry the state named at the save and the build did not use goes (e3: named after it was opened)');
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('state-') && f.endsWith('.log')), [], 'saved whole, as a new base');
    assert.equal((await open()).previousRender(OUT, 'm3')?.['a']!.html!.key, 'k-a3');
  });

  it('a session\'s cache opened by such a build reads the state when a later build of the session reads the cache', async () => {
    const cache = await open(false);
    assert.equal(cache.previousRender(OUT, 'm3'), undefined);
    await cache.use(true);
    assert.equal(cache.previousRender(OUT, 'm3')?.['a']!.html!.key, 'k-a3', 'read once the cache is read');
  });
});
