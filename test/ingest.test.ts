/**
 * Ingest of real-world TEI beyond one document per file (issue 8):
 * teiCorpus members, xi:include inside the corpus only, large volumes split
 * by an XPath (edition.config.json `split`, CLI `--split`), TEI P4.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { program } from '../src/cli.js';
import { build, type BuildResult } from '../src/pipeline.js';
import { discover, stillHolds } from '../src/stages/discover.js';
import { ingest } from '../src/stages/split.js';
import { generateVolume } from './helpers/volume-generator.js';

const FIXTURES = path.resolve('test/fixtures/ingest');
const SPLIT = "//tei:div[@type='document']";

async function tmp(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `te-ingest-${name}-`));
  await rm(dir, { recursive: true });
  return dir;
}

describe('ingest: real-world TEI', function () {
  this.timeout(1_800_000);
  const outs: string[] = [];
  after(async () => {
    for (const o of outs) await rm(o, { recursive: true, force: true });
  });
  async function run(corpus: string, only: ('html' | 'text' | 'cite')[], config = {}): Promise<BuildResult & { out: string }> {
    const out = await tmp(path.basename(corpus));
    outs.push(out);
    const r = await build({ corpus, out, only, validate: false, jobs: 2, config });
    return { ...r, out };
  }

  it('reports a TEI P4 file (no namespace) as such, without crashing', async () => {
    const r = await run(path.join(FIXTURES, 'p4'), ['text']);
    const m = r.messages.find((x) => x.ruleId === 'tei-p4');
    assert.ok(m, 'a tei-p4 message');
    assert.equal(m.fatal, true);
    assert.match(m.reason, /TEI P4/);
    assert.match(m.reason, /http:\/\/www\.tei-c\.org\/ns\/1\.0/);
    assert.match(String(m.file), /p4\/letter\.xml$/);
    assert.equal(r.documents, 0);
  });

  it('makes each TEI member of a teiCorpus a document', async () => {
    const r = await run(path.join(FIXTURES, 'teicorpus'), ['html', 'text']);
    assert.deepEqual(r.manifest.documents.map((d) => d.id).sort(), ['letter-a', 'letters-2']);
    for (const id of ['letter-a', 'letters-2']) assert.ok(existsSync(path.join(r.out, `documents/${id}.html`)), `page of ${id}`);
    assert.match(readFileSync(path.join(r.out, 'text/letter-a.txt'), 'utf8'), /¶2 First letter, second paragraph\./);
    assert.match(readFileSync(path.join(r.out, 'text/letters-2.txt'), 'utf8'), /^Letter B/);
    assert.equal(r.errors, 0);
  });

  it('does not read again a file an earlier build found to be a single document (unchanged since), unless splitting', async () => {
    const corpus = path.join(FIXTURES, 'teicorpus');
    const discovered = await discover(corpus);
    const load = { maxFileSize: 50 * 2 ** 20, maxDepth: 256 };
    const cacheDir = await tmp('plain-cache');
    outs.push(cacheDir);
    const fresh = await ingest(discovered, { corpusDir: corpus, load, cacheDir });
    assert.ok(fresh.files.length > discovered.files.length, 'the teiCorpus file is split into its members');
    assert.deepEqual([...fresh.plain], discovered.files.filter((f) => fresh.files.includes(f)));
    // The cache says every file is a single document: none is read, the teiCorpus is taken as it is.
    const trusted = await ingest(discovered, { corpusDir: corpus, load, cacheDir, knownPlain: () => true });
    assert.deepEqual(trusted.files, discovered.files);
    assert.deepEqual([...trusted.plain], discovered.files);
    const split = await ingest(discovered, { corpusDir: corpus, load, cacheDir, split: SPLIT, knownPlain: () => true });
    assert.equal(split.plain.size, 0, 'with split, every file is looked into');
  });

  it('resolves xi:include inside the corpus only, never fetches URLs, and reports located errors', async () => {
    const r = await run(path.join(FIXTURES, 'xinclude'), ['text']);
    assert.deepEqual(r.manifest.documents.map((d) => d.id), ['main'], 'the included part is not a document of its own');
    const text = readFileSync(path.join(r.out, 'text/main.txt'), 'utf8');
    assert.match(text, /¶2 Paragraph of the included chapter\./, 'xpointer to an xml:id');
    assert.doesNotMatch(text, /not included/, 'only the element the xpointer names');
    assert.match(text, /Quoted text: Included plain text/, 'parse="text"');
    assert.match(text, /Fallback for the remote part\./, 'xi:fallback of a URL include');
    assert.doesNotMatch(text, /Outside the corpus/);
    const byRule = (id: string) => r.messages.find((m) => m.ruleId === id);
    const url = byRule('xinclude-url');
    assert.ok(url && url.line === 15 && url.column! > 1, 'URL include reported at its line');
    assert.match(url.reason, /never fetched/);
    const outside = byRule('xinclude-outside');
    assert.ok(outside && outside.line === 16, 'include leaving the corpus reported at its line');
    assert.ok(byRule('xinclude-missing')?.line === 17);
    assert.match(String(outside.file), /xinclude\/main\.xml$/);
  });

  it('splits a 300-document volume (split in edition.config.json) into documents with pages and numbered passages', async () => {
    const corpus = await tmp('volume-corpus');
    outs.push(corpus);
    await mkdir(corpus, { recursive: true });
    await writeFile(path.join(corpus, 'volume.xml'), generateVolume({ documents: 300, id: 'papers' }));
    await writeFile(path.join(corpus, 'edition.config.json'), JSON.stringify({ title: 'Synthetic papers', split: SPLIT }));
    const r = await run(corpus, ['html', 'cite']);
    const docs = r.manifest.documents;
    assert.equal(docs.length, 300);
    assert.equal(r.failed, 0);
    const expected = Array.from({ length: 300 }, (_, i) => `d${i + 1}`);
    assert.deepEqual(docs.map((d) => d.id), expected, 'ids from xml:id, in date order');
    assert.equal(docs[0]!.title, '1. Telegram number 1 to the Ministry', 'title from the head');
    assert.equal(docs[0]!.date, '1950-01-01', 'date from the dateline');
    assert.equal(docs[299]!.date, '1950-10-27');
    for (const d of docs) {
      const page = path.join(r.out, `documents/${d.id}.html`);
      assert.ok(existsSync(page), `page of ${d.id}`);
      assert.ok(d.outputs['csl-json'] || Object.keys(d.outputs).some((k) => /csl|bib|ris/.test(k)), `citation files of ${d.id}`);
    }
    for (const d of [docs[0]!, docs[149]!, docs[299]!]) {
      const html = readFileSync(path.join(r.out, `documents/${d.id}.html`), 'utf8');
      for (let n = 1; n <= 5; n++) assert.match(html, new RegExp(`data-n="${n}"`), `${d.id}: passage ${n} numbered`);
      assert.match(html, /data-cite="par-2" data-n="2">[^<]*para\. 2\./, `${d.id}: paragraph citations`);
      assert.match(html, /Person \d/, 'names');
      const k = Number(d.id.slice(1));
      assert.match(html, new RegExp(`Paragraph 3 of document ${k}, `));
      assert.doesNotMatch(html, new RegExp(`of document (${k - 1}|${k + 1}), `), 'one document per page');
    }
    assert.ok(r.messages.some((m) => m.ruleId === 'volume-split' && /300 documents/.test(m.reason)));
    assert.ok(r.manifest.files.includes('registers/persons.html'), 'the volume’s persons list is a register');
    assert.match(readFileSync(path.join(r.out, 'registers/persons.html'), 'utf8'), /Person 5/);
  });

  it('splits with --split on the command line', async () => {
    const corpus = await tmp('cli-corpus');
    const out = await tmp('cli-out');
    outs.push(corpus, out);
    await mkdir(corpus, { recursive: true });
    await writeFile(path.join(corpus, 'volume.xml'), generateVolume({ documents: 3, paragraphs: 1 }));
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((s: string) => ((printed += s), true)) as typeof process.stdout.write;
    try {
      await program().parseAsync(['node', 'tei-edition', 'build', '--corpus', corpus, '--out', out, '--only', 'text', '--no-validate', '--jobs', '1', '--split', SPLIT]);
    } finally {
      process.stdout.write = write;
    }
    assert.match(printed, /3 documents/);
    for (const id of ['d1', 'd2', 'd3']) assert.ok(existsSync(path.join(out, `text/${id}.txt`)), id);
    assert.match(readFileSync(path.join(out, 'text/d2.txt'), 'utf8'), /¶2 Paragraph 1 of document 2/);
  });
});

describe('discover: whether a discovery still holds after a watcher\'s changes (stillHolds)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'te-discover-'));
    await mkdir(path.join(dir, 'letters'));
    for (const f of ['a.xml', 'letters/b.xml']) await writeFile(path.join(dir, f), '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('holds after edits of documents and changes of files that cannot be documents; not after a document added or removed, a folder or a link', async () => {
    const found = await discover(dir);
    // (Discovery names files under the corpus folder's real path.)
    const root = await realpath(dir);
    const at = (f: string) => path.join(root, f);
    assert.deepEqual(found.files, [at('a.xml'), at(path.join('letters', 'b.xml'))]);
    assert.equal(stillHolds(found, found.files), true, 'both documents edited');
    await writeFile(at('notes.txt'), 'x');
    assert.equal(stillHolds(found, [at('notes.txt'), at('gone-swap.tmp')]), true, 'a file that is no document, one gone that was never found');
    assert.equal(stillHolds(found, [at('c.xml')]), true, 'an .xml file gone before it was built (a temporary file)');
    await writeFile(at('c.xml'), '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>');
    assert.equal(stillHolds(found, [at('c.xml')]), false, 'a document added');
    await rm(at('c.xml'));
    await rm(at('a.xml'));
    assert.equal(stillHolds(found, [at('a.xml')]), false, 'a document removed');
    await writeFile(at('a.xml'), '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>');
    assert.equal(stillHolds(found, [at('letters')]), false, 'a folder');
    await rm(at('letters'), { recursive: true });
    assert.equal(stillHolds(found, [at('letters')]), false, 'a folder of documents gone');
    await symlink(at('a.xml'), at('link.txt'));
    assert.equal(stillHolds(found, [at('link.txt')]), false, 'a symbolic link');
    assert.equal(stillHolds(found, [dir]), false, 'the corpus folder itself (watched afresh)');
  });
  it('does not enter the output folder when it is inside the corpus (its exchange TEI is no document of the corpus)', async () => {
    const corpus = await tmp('out-inside');
    await mkdir(corpus, { recursive: true });
    try {
      await writeFile(path.join(corpus, 'letters.xml'), readFileSync(path.join(FIXTURES, 'teicorpus', 'letters.xml')));
      const out = path.join(corpus, 'site');
      const first = await build({ corpus, out, only: ['text', 'exchange'], validate: false, jobs: 1 });
      assert.equal(first.errors, 0, first.messages.map(String).join('\n'));
      assert.ok(first.manifest.files.some((f) => f.startsWith('exchange/') && f.endsWith('.xml')), 'the build wrote TEI into the output folder');
      assert.deepEqual((await discover(corpus, process.cwd(), out)).files, [path.join(await realpath(corpus), 'letters.xml')]);
      assert.ok((await discover(corpus)).files.length > 1, 'without the output folder named, its XML files are found');
      // A second build (cached) finds the same documents and changes nothing.
      const again = await build({ corpus, out, only: ['text', 'exchange'], validate: false, jobs: 1 });
      assert.deepEqual([again.documents, again.rebuilt, again.errors], [first.documents, [], 0], again.messages.map(String).join('\n'));
      assert.deepEqual(again.manifest.documents.map((d) => d.id), first.manifest.documents.map((d) => d.id));
    } finally {
      await rm(corpus, { recursive: true, force: true });
    }
  });
});
