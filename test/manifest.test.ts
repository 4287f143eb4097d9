/**
 * manifest.json (src/stages/manifest.ts): made from the build's render records;
 * a maker kept between builds (a watcher's) updates the sorted file list and the
 * documents' entries from the records that changed, and gives, byte for byte,
 * what JSON.stringify(manifest, null, 2) gives for the whole manifest (in pieces, written one after the other).
 */
import assert from 'node:assert/strict';
import { ManifestMaker, type FilesRecord, type Manifest, type ManifestSource } from '../src/stages/manifest.js';

const record = (...files: [string, string, string?][]): FilesRecord => ({ files: files.map(([p, kind, doc]) => (doc ? { path: p, kind, doc } : { path: p, kind })) });

/** The manifest as a whole, made the plain way (what the maker must equal). */
function plain(title: string, docs: ManifestSource[], records: FilesRecord[]): string {
  const files = records.flatMap((r) => r.files);
  const manifest: Manifest = {
    title,
    documents: docs.map((d) => {
      const outputs: Record<string, string | string[]> = {};
      for (const f of files.filter((x) => x.doc === d.id).sort((a, b) => a.path.localeCompare(b.path))) {
        const prev = outputs[f.kind];
        outputs[f.kind] = prev === undefined ? f.path : Array.isArray(prev) ? [...prev, f.path] : [prev, f.path];
      }
      return { ...d, outputs };
    }),
    files: files.map((f) => f.path).sort(),
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

describe('manifest.json', () => {
  const doc = (id: string, title = `Letter “${id}”`): ManifestSource => ({ id, title, date: '1950-08-27', source: `${id}.xml` });

  it('given the documents that changed (a watcher\'s save), looks at their entries and those the changed records name, no other', () => {
    const maker = new ManifestMaker();
    const html = (id: string, extra = '') => record([`documents/${id}${extra}.html`, 'html', id]);
    const docs = [doc('a'), doc('b'), doc('c')];
    const records = [html('a'), html('b'), html('c'), record(['search/s-1.json', 'search-index'])];
    maker.make('T', docs, records);
    // b re-rendered with another file, c's title changed: both named; a part's record now names a.
    const docs2 = [docs[0]!, doc('b'), doc('c', 'Another title')];
    const records2 = [records[0]!, html('b', '-2'), records[2]!, record(['search/s-2.json', 'search-index', 'a'])];
    const made = maker.make('T', docs2, records2, new Set(['b', 'c']));
    assert.equal(made.chunks.join(''), plain('T', docs2, records2));
    assert.equal(made.chunks.join(''), new ManifestMaker().make('T', docs2, records2).chunks.join(''));
    assert.equal(made.changed, true);
    // A document not named, whose title the caller changed all the same: its entry is not looked at.
    const docs3 = [doc('a', 'Not looked at'), docs2[1]!, docs2[2]!];
    const same = maker.make('T', docs3, records2, new Set());
    assert.equal(same.chunks.join(''), made.chunks.join(''));
    assert.equal(same.changed, false);
    // Without the names, every entry is looked at.
    assert.equal(maker.make('T', docs3, records2).chunks.join(''), plain('T', docs3, records2));
  });

  it('equals JSON.stringify of the whole manifest, build after build, as records change', () => {
    const maker = new ManifestMaker();
    const a = { html: record(['documents/a.html', 'html', 'a']), dts: record(['exchange/dts/a/1.xml', 'dts', 'a'], ['exchange/dts/a/2.xml', 'dts', 'a']) };
    const b = { html: record(['documents/b.html', 'html', 'b']), text: record(['text/b.txt', 'text', 'b']) };
    const parts = { search: record(['search/index.json', 'search-index'], ['search/s-1.json', 'search-index']), home: record(['index.html', 'html']) };
    const builds: [ManifestSource[], FilesRecord[]][] = [];
    let docs = [doc('a'), doc('b')];
    let records = [a.html, a.dts, b.html, b.text, parts.search, parts.home];
    builds.push([docs, records]);
    // An edit: b's text record and the search part made again (a shard renamed); the others carried over (same objects).
    const bText2 = record(['text/b.txt', 'text', 'b']);
    const search2 = record(['search/index.json', 'search-index'], ['search/s-2.json', 'search-index']);
    records = [a.html, a.dts, b.html, bText2, search2, parts.home];
    builds.push([docs, records]);
    // A passage file fewer, a title changed, a document added, one with quotes and a line break in its title.
    const aDts2 = record(['exchange/dts/a/1.xml', 'dts', 'a']);
    docs = [doc('a', 'A new "title"\nwith a break'), doc('b'), doc('c')];
    // (c's second file has a path JSON must escape.)
    records = [a.html, aDts2, b.html, bText2, record(['documents/c.html', 'html', 'c'], ['documents/c "quoted"\\.txt', 'text', 'c']), search2, parts.home];
    builds.push([docs, records]);
    // A document removed; nothing else changed.
    docs = [doc('a', 'A new "title"\nwith a break'), doc('c')];
    records = records.filter((r) => !r.files.some((f) => f.doc === 'b'));
    builds.push([docs, records]);
    builds.push([docs, records]);
    for (const [i, [d, r]] of builds.entries()) {
      const { manifest, chunks } = maker.make('Dossier', d, r);
      const text = chunks.join('');
      assert.equal(text, plain('Dossier', d, r), `build ${i + 1}`);
      assert.deepEqual(JSON.parse(text), manifest, `build ${i + 1}: the object is the text`);
      assert.equal(new ManifestMaker().make('Dossier', d, r).chunks.join(''), text, `build ${i + 1}: as a fresh maker gives it`);
    }
  });

  it('in a large edition, takes a few paths out and puts new ones in where they go (blocks split as they grow); equals JSON.stringify every time', () => {
    // 3 000 files in 300 records of 10: a change of up to 46 paths (here 41) is made in place, not by a pass over all.
    const pad = (n: number) => String(n).padStart(5, '0');
    const docs = Array.from({ length: 300 }, (_, i) => doc(`d${pad(i)}`));
    let records = docs.map((d) => record(...Array.from({ length: 10 }, (_, k): [string, string, string] => [`documents/${d.id}/${k}.html`, 'html', d.id])));
    const maker = new ManifestMaker();
    maker.make('Large', docs, records);
    for (let build = 0; build < 120; build++) {
      records = [...records];
      // A document's record made again: one path renamed (a shard's hash), one more, the same others.
      const i = (build * 37) % docs.length;
      const id = docs[i]!.id;
      records[i] = record(...Array.from({ length: 10 + (build % 2) }, (_, k): [string, string, string] => [`documents/${id}/${k === 0 ? `r${build}` : k}.html`, 'html', id]));
      // 20 paths that all go into the first block (at ~120 builds it outgrows two blocks' size and splits).
      records.push(record(...Array.from({ length: 20 }, (_, k): [string, string] => [`a/${pad(build)}-${k}.json`, 'data'])));
      const { chunks, manifest, changed } = maker.make('Large', docs, records);
      assert.equal(changed, true);
      const text = [...chunks].join('');
      if (build % 10 === 0 || build > 110) {
        assert.equal(text, plain('Large', docs, records), `build ${build + 1}`);
        assert.deepEqual(manifest.files, JSON.parse(text).files);
      }
    }
    assert.equal(maker.make('Large', docs, records).changed, false, 'the same records: the same text');
    records = records.slice(0, -1);
    const fewer = maker.make('Large', docs, records);
    assert.equal(fewer.changed, true, '20 paths fewer');
    assert.equal([...fewer.chunks].join(''), plain('Large', docs, records));
  });

  it('with as many records as last time, finds the changed ones place by place (a watcher\'s save): replaced, moved, naming other documents; equals JSON.stringify every time', () => {
    const docs = Array.from({ length: 40 }, (_, i) => doc(`d${String(i).padStart(2, '0')}`));
    const perDoc = (id: string, tag = '') => [
      record([`documents/${id}${tag}.html`, 'html', id]),
      record([`text/${id}.txt`, 'text', id], [`text/${id}-notes${tag}.txt`, 'text', id]),
    ];
    // An edition-wide record that names documents too (e.g. per-document files made by a part).
    const corpus = (tag: string) => record(['search/index.json', 'search-index'], [`exchange/dts/d00/${tag}.xml`, 'dts', 'd00'], [`exchange/dts/d01/${tag}.xml`, 'dts', 'd01']);
    let records = [...docs.flatMap((d) => perDoc(d.id)), corpus('a')];
    const maker = new ManifestMaker();
    const check = (what: string, d: ManifestSource[] = docs) => {
      const { chunks, manifest } = maker.make('Watched', d, records);
      const text = chunks.join('');
      assert.equal(text, plain('Watched', d, records), what);
      assert.deepEqual(JSON.parse(text), manifest, `${what}: the object is the text`);
      assert.equal(new ManifestMaker().make('Watched', d, records).chunks.join(''), text, `${what}: as a fresh maker gives it`);
    };
    check('first');
    const edit = (what: string, change: (r: FilesRecord[]) => void, d?: ManifestSource[]) => {
      records = [...records];
      change(records);
      check(what, d);
    };
    edit('a record made again with the same files', (r) => (r[2] = perDoc('d01')[0]!));
    edit('a record with a file renamed', (r) => (r[3] = perDoc('d01', '-b')[1]!));
    edit('two records that changed places', (r) => ([r[4], r[6]] = [r[6]!, r[4]!]));
    edit('a record whose files now name another document', (r) => (r[8] = record(['documents/d04.html', 'html', 'd05'])));
    edit('the edition-wide record that names documents', (r) => (r[r.length - 1] = corpus('b')));
    edit('nothing', () => undefined);
    edit('a document left out, its records still there', () => undefined, docs.slice(1));
    edit('and back', () => undefined, docs);
  });

  it('says whether the text changed since the last make', () => {
    const maker = new ManifestMaker();
    const a = record(['documents/a.html', 'html', 'a']);
    assert.equal(maker.make('T', [doc('a')], [a]).changed, true, 'first');
    assert.equal(maker.make('T', [doc('a')], [a]).changed, false, 'same records');
    assert.equal(maker.make('T', [doc('a')], [record(['documents/a.html', 'html', 'a'])]).changed, false, 'a record made again with the same files');
    assert.equal(maker.make('T', [doc('a', 'Another title')], [a]).changed, true, 'a title');
    assert.equal(maker.make('T2', [doc('a', 'Another title')], [a]).changed, true, 'the edition title');
    assert.equal(maker.make('T2', [doc('a', 'Another title')], [a, record(['index.html', 'html'])]).changed, true, 'a file more');
  });

  it('writes empty lists as JSON.stringify does', () => {
    assert.equal(new ManifestMaker().make('Empty', [], []).chunks.join(''), plain('Empty', [], []));
    assert.equal(new ManifestMaker().make('No files', [doc('a')], []).chunks.join(''), plain('No files', [doc('a')], []));
  });
});

describe('manifest.json: paths', () => {
  it('refuses a file made in this build at the path of one carried over (two outputs want the same path)', () => {
    const maker = new ManifestMaker();
    const kept = record(['documents/a.html', 'html', 'a']);
    const doc = (id: string): ManifestSource => ({ id, title: id, date: '', source: `${id}.xml` });
    maker.make('T', [doc('a')], [kept, record(['index.html', 'html'])]);
    assert.throws(() => maker.make('T', [doc('a')], [kept, record(['index.html', 'html'], ['documents/a.html', 'html'])]), /two outputs want the same path: documents\/a\.html/);
  });
});
