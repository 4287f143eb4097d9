/**
 * The search index in shards (src/search/index.ts): documents in groups cut at
 * content-defined boundaries, then the register entries. An edit changes one
 * shard, an insertion or a removal moves no boundary but its own, and searching
 * the shards together finds what one index over every record finds.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { BuildContext, BuiltDocument } from '../src/formats/types.js';
import { MAX_SHARD_DOCS, searchFiles, searchOptions, shardRecords, SEARCH_INDEX, SHARD_DOCS, type SearchManifest } from '../src/search/index.js';
import type { SearchRecord } from '../src/search/records.js';
import { searchRecords } from '../src/search/records.js';
import { Registry } from '../src/stages/index.js';
import { entry, meta } from './helpers/meta.js';

const WORDS = ['letter', 'theatre', 'evening', 'proofs', 'winter', 'visit', 'answer', 'telegram', 'Brünn', 'Zürich'];

/** n documents with two passages each (words picked by position, so the corpus is the same every run), and a register. */
function corpus(n: number, skip = -1, edit = -1): BuildContext {
  const registry = new Registry();
  registry.add({ id: 'register', file: '/c/register.xml', meta: meta('register', { isRegister: true, entries: [entry('anna', 'person', 'Anna Zürcher'), entry('kraus', 'bibl', 'Kraus, Die Fackel')] }) });
  const docs: BuiltDocument[] = [];
  for (let i = 0; i < n; i++) {
    if (i === skip) continue;
    const id = `L${String(i).padStart(5, '0')}`;
    const text = (k: number) => `${i === edit ? 'Revised. ' : ''}${WORDS[(i + k) % WORDS.length]} ${WORDS[(i * 3 + k) % WORDS.length]} number ${i}`;
    const m = meta(id, { title: `Letter ${i}`, passages: [1, 2].map((k) => ({ id: `${id}-p${k}`, n: k, kind: 'p', page: '', text: text(k) })) });
    registry.add({ id, file: `/c/${id}.xml`, meta: m });
    docs.push({ id, file: `/c/${id}.xml`, displayPath: `${id}.xml`, meta: m, outputs: {}, results: {} });
  }
  registry.finish();
  return {
    config: { language: 'en' }, corpusDir: '/c', registry, documents: docs,
    hooks: { documentHead: [], documentAside: [], textHeader: [] }, report: () => undefined, formats: new Set(['html']),
  } as unknown as BuildContext;
}

/** The shards the search manifest lists (file and hash), checked against the files given. */
const listed = async (ctx: BuildContext) => {
  const files = await searchFiles(ctx);
  assert.equal(files[0]!.path, SEARCH_INDEX);
  const { version, shards } = JSON.parse(String(files[0]!.content)) as SearchManifest;
  assert.equal(version, 2);
  assert.deepEqual(files.slice(1).map((f) => [f.path, f.version]), shards.map((s) => [`search/${s.file}`, s.hash]), 'each shard listed with its file and hash, in order');
  return shards;
};
/** Each shard as "file hash". */
const shardNames = async (ctx: BuildContext) => (await listed(ctx)).map((s) => `${s.file} ${s.hash}`);
const files = (names: string[]) => names.map((n) => n.split(' ')[0]);

describe('search index in shards', function () {
  this.timeout(120_000);
  const N = 1000;

  it('groups the documents (about SHARD_DOCS each), the register entries last, every record once', () => {
    const ctx = corpus(N);
    const shards = shardRecords(ctx);
    assert.ok(shards.length >= 3 && shards.length <= (3 * N) / SHARD_DOCS, `${shards.length} shards for ${N} documents`);
    // (Documents L00527–L00988 have no content-defined boundary: cut by count.)
    const docShards = shards.slice(0, -1).map((s) => new Set(s.map((r) => r.d)).size);
    assert.ok(docShards.every((n) => n <= MAX_SHARD_DOCS), `at most ${MAX_SHARD_DOCS} documents a shard: ${docShards}`);
    assert.ok(docShards.includes(MAX_SHARD_DOCS), 'a long run is cut by count');
    assert.deepEqual(shards.at(-1)!.map((r) => `${r.k} ${r.u}`), ['b bibliography.html#kraus'], 'the register and bibliography entries are the last shard');
    const flat = shards.flat().map((r) => r.u);
    assert.deepEqual(flat, searchRecords(ctx).map((r) => r.u), 'every record once, in edition order');
  });

  it('an edit changes one shard\'s hash, no file name; a removal changes one shard (in a run cut by count, the shards cut after it up to the run\'s end); the others keep their names', async () => {
    const before = await shardNames(corpus(N));
    assert.equal(new Set(files(before)).size, before.length, 'a file per shard');
    assert.ok(files(before).slice(0, -1).every((f) => /^s-[0-9a-f]{20}\.json$/.test(f)) && files(before).at(-1) === 'registers.json', files(before).join(' '));
    const edited = await shardNames(corpus(N, -1, 500));
    assert.equal(edited.length, before.length);
    assert.equal(edited.filter((s) => !before.includes(s)).length, 1, 'one shard differs after an edit');
    assert.deepEqual(files(edited), files(before), 'its file keeps its name (the file list of the edition stays as it was)');
    const removed = await shardNames(corpus(N, 50));
    assert.equal(removed.filter((s) => !before.includes(s)).length, 1, 'one shard differs after a removal');
    assert.equal(files(removed).filter((f) => !files(before).includes(f)).length, 1, 'and its file is another');
    // L00700 is in the run L00527–L00988, cut by count after L00782: that cut moves by one document.
    const removedInLongRun = await shardNames(corpus(N, 700));
    assert.equal(removedInLongRun.filter((s) => !before.includes(s)).length, 2, 'its shard and the next one (to the run\'s end) differ');
    assert.deepEqual(await shardNames(corpus(N)), before, 'the same corpus gives the same shards');
  });

  it('hashes a shard of keyed documents by their ids and keys, not by their records; its index is the same', async () => {
    // The pipeline gives each document the key its metadata was made from (BuiltDocument.key).
    const keyed = (ctx: BuildContext, key: (d: BuiltDocument) => string) => {
      for (const d of ctx.documents) d.key = key(d);
      return ctx;
    };
    const plain = await searchFiles(corpus(N));
    const byKey = await searchFiles(keyed(corpus(N), (d) => `k-${d.id}`));
    assert.deepEqual(byKey.slice(1).map((f) => f.content), plain.slice(1).map((f) => f.content), 'the same indexes');
    assert.deepEqual([byKey.at(-1)!.path, byKey.at(-1)!.version], [plain.at(-1)!.path, plain.at(-1)!.version], 'the register shard is hashed by its records either way');
    assert.deepEqual(byKey.map((f) => f.path), plain.map((f) => f.path), 'the same files');
    const names = (files: typeof plain) => files.slice(1).map((f) => `${f.path.slice('search/'.length)} ${f.version}`);
    // Same keys, other text: the shard keeps its hash (the key is what the text was made from).
    assert.deepEqual(await shardNames(keyed(corpus(N, -1, 500), (d) => `k-${d.id}`)), names(byKey));
    // One key changed: that document's shard, and only it, has another hash.
    const edited = await shardNames(keyed(corpus(N, -1, 500), (d) => (d.id === 'L00500' ? 'k-edited' : `k-${d.id}`)));
    assert.equal(edited.filter((s) => !names(byKey).includes(s)).length, 1);
  });

  it('in a session, makes a shard again from the records it made last of its unchanged documents (by id and key): only the edited one\'s full metadata read', async () => {
    const n = 40;
    const reads: string[] = [];
    const session = (edit: number, key: (d: BuiltDocument) => string) => {
      const ctx = corpus(n, -1, edit);
      for (const d of ctx.documents) {
        d.key = key(d);
        const m = d.meta;
        d.fullMeta = () => (reads.push(d.id), m);
      }
      ctx.session = true;
      return ctx;
    };
    assert.equal(shardRecords(corpus(n)).length, 2, 'one shard of documents (and the registers\')');
    const first = await searchFiles(session(-1, (d) => `k-${d.id}`));
    assert.equal(reads.length, n);
    reads.length = 0;
    const edited = await searchFiles(session(20, (d) => (d.id === 'L00020' ? 'k-edited' : `k-${d.id}`)));
    assert.deepEqual(reads, ['L00020']);
    const plain = await searchFiles(corpus(n, -1, 20));
    assert.deepEqual(edited.slice(1).map((f) => f.content), plain.slice(1).map((f) => f.content), 'the index a single build makes');
    assert.notDeepEqual(edited[1]!.content, first[1]!.content);
  });

  it('gives a shard kept in the build cache without reading it: its content is read when asked for', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tei-memo-'));
    try {
      const ctx = corpus(N);
      const made = new Map<string, string>();
      const fileOf = (key: string) => path.join(dir, key);
      // A build cache that holds every shard already (memoFile), and a record of what was read.
      ctx.memo = async (key, make) => made.get(key) ?? made.set(key, await make()).get(key)!;
      ctx.memoFile = (key) => (existsSync(fileOf(key)) ? fileOf(key) : undefined);
      const first = await searchFiles(ctx);
      for (const f of first.slice(1)) writeFileSync(fileOf(`search-${f.version}`), String(f.content));
      made.clear();
      const again = await searchFiles(ctx);
      assert.equal(made.size, 0, 'nothing indexed or read through memo()');
      // Changed on disk after the call: the content read on access is the file's at that time.
      const shard = again[1]!;
      writeFileSync(fileOf(`search-${shard.version}`), 'read when asked');
      assert.equal(shard.content, 'read when asked');
      assert.deepEqual(again.slice(2).map((f) => f.content), first.slice(2).map((f) => f.content));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('indexes shards side by side on worker threads when the build has several jobs: the same files', async () => {
    const one = await searchFiles(corpus(N));
    const ctx = corpus(N);
    ctx.jobs = 2;
    const two = await searchFiles(ctx);
    assert.ok(two.length - 1 >= 4, 'enough shards to use the threads');
    assert.deepEqual(two.map((f) => [f.path, f.content]), one.map((f) => [f.path, f.content]));
  });

  it('finds across the shards what one index over every record finds', async () => {
    const ctx = corpus(N);
    const { OPTIONS, SEARCH_OPTIONS, searchShards } = await searchOptions();
    const files = await searchFiles(ctx);
    const shards = files.slice(1).map((f) => MiniSearch.loadJSON<SearchRecord>(String(f.content), OPTIONS));
    const one = new MiniSearch<SearchRecord>(OPTIONS);
    one.addAll(searchRecords(ctx));
    for (const q of ['telegram', 'zurich winter', 'Brünn', 'number 99', 'revis', 'Fackel']) {
      const merged = searchShards(shards, q, SEARCH_OPTIONS);
      const expected = one.search(q, SEARCH_OPTIONS);
      assert.deepEqual(merged.map((h) => h.u).sort(), expected.map((h) => h.u).sort(), q);
      for (let i = 1; i < merged.length; i++) assert.ok(merged[i - 1]!.score >= merged[i]!.score, `${q}: best score first`);
    }
  });
});
