/** Reference resolution: the document's own lists first, then the corpus registers, then documents. */
import assert from 'node:assert/strict';
import { interfaceDigest } from '../src/cache.js';
import type { BuildContext } from '../src/formats/types.js';
import { references } from '../src/site/references.js';
import { indexResults, Registry, type IndexableResult } from '../src/stages/index.js';
import { entry, meta } from './helpers/meta.js';


describe('Registry (index stage)', () => {
  const r = new Registry();
  r.add({ id: 'places', file: '/c/indices/listplace.xml', meta: meta('places', { isRegister: true, entries: [entry('pmb50', 'place', 'Wien'), entry('pmb9', 'place', 'Graz')] }) });
  r.add({ id: 'L1', file: '/c/letters/L1.xml', meta: meta('L1', { entries: [entry('pmb7', 'person', 'Arthur Schnitzler'), entry('pmb50', 'place', 'Vienna')], passages: [{ id: 'par-1', n: 1, kind: 'p', page: '', text: '' }], ids: ['L1', 'par-1', 'pmb7'] }) });
  r.add({ id: 'L2', file: '/c/letters/L2.xml', meta: meta('L2', { date: { value: '1890', when: '1890', from: '', to: '', cert: '', text: '1890' } }) });
  r.finish();

  it('resolves #id to the entry the document carries itself', () => {
    assert.deepEqual(r.resolve('#pmb7', 'L1'), { kind: 'entry', entry: r.entries.get('pmb7') });
  });
  it('resolves a bare id (pmb50, without #) and a register-only entry from another file', () => {
    const got = r.resolve('pmb9', 'L1');
    assert.equal(got?.kind, 'entry');
    assert.equal(got?.kind === 'entry' && got.entry.label, 'Graz');
  });
  it('merges one id defined in several files into one entry with every name form', () => {
    const wien = r.entries.get('pmb50')!;
    assert.deepEqual(wien.names.sort(), ['Vienna', 'Wien']);
  });
  it('resolves passages, documents (file.xml#id, bare ids) and external URLs; refuses other schemes', () => {
    assert.deepEqual(r.resolve('#par-1', 'L1'), { kind: 'doc', doc: 'L1', fragment: 'par-1' });
    assert.deepEqual(r.resolve('L1.xml#par-1', 'L2'), { kind: 'doc', doc: 'L1', fragment: 'par-1' });
    assert.deepEqual(r.resolve('L2', 'L1'), { kind: 'doc', doc: 'L2', fragment: '' });
    assert.deepEqual(r.resolve('https://example.org/x', 'L1'), { kind: 'external', url: 'https://example.org/x' });
    assert.equal(r.resolve('javascript:alert(1)', 'L1'), undefined);
    assert.equal(r.resolve('#nothing', 'L1'), undefined);
  });
  it('sorts documents by date (undated last) and separates register files', () => {
    assert.deepEqual(r.documents.map((d) => d.id), ['L2', 'L1']);
    assert.deepEqual(r.registerFiles.map((d) => d.id), ['places']);
  });
  it('sorts alike whether or not the last registry had the same documents (its order is reused only then)', () => {
    const date = (when: string) => ({ value: when, when, from: '', to: '', cert: '', text: when });
    const make = (docs: [string, string][]) => {
      const reg = new Registry();
      for (const [id, when] of docs) reg.add({ id, file: `/c/${id}.xml`, meta: meta(id, { date: date(when) }) });
      reg.finish();
      return reg.documents.map((d) => d.id);
    };
    const docs: [string, string][] = [['c', '1901'], ['a', '1900'], ['b', '1900'], ['d', '']];
    assert.deepEqual(make(docs), ['a', 'b', 'c', 'd']);
    assert.deepEqual(make(docs), ['a', 'b', 'c', 'd'], 'the same documents again');
    assert.deepEqual(make([['c', '1899'], ...docs.slice(1)]), ['c', 'a', 'b', 'd'], 'a date changed');
    assert.deepEqual(make([docs[3]!, docs[2]!, docs[1]!, docs[0]!]), ['a', 'b', 'c', 'd'], 'added in another order');
    assert.deepEqual(make([['e', '1800'], ...docs]), ['e', 'a', 'b', 'c', 'd'], 'one more');
  });
  it('gives each registry the ids a document defines, from the same metadata object as often as it is added', () => {
    const m = meta('L9', { passages: [{ id: 'par-1', n: 1, kind: 'p', page: '', text: '' }], ids: ['x'] });
    const [a, b] = [new Registry(), new Registry()];
    for (const reg of [a, b]) reg.add({ id: 'L9', file: '/c/L9.xml', meta: m });
    for (const reg of [a, b]) assert.deepEqual(reg.resolve('#x', 'L9'), { kind: 'doc', doc: 'L9', fragment: 'x' });
    assert.equal(b.resolve('#par-2', 'L9'), undefined);
  });
});

describe('references kept between builds (src/site/references.ts)', () => {
  const registry = (...extra: ReturnType<typeof entry>[]) => {
    const r = new Registry();
    r.add({ id: 'persons', file: '/c/persons.xml', meta: meta('persons', { isRegister: true, entries: [entry('p1', 'person', 'Gottwald'), ...extra] }) });
    r.add({ id: 'L1', file: '/c/L1.xml', meta: meta('L1', {}) });
    r.finish();
    return r;
  };
  // The same pointer list, as a watcher's kept contribution gives it from build to build.
  const pointers = [
    { pointers: ['#p1'], form: 'Gottwald', passage: 'par-1', where: 'text' as const },
    { pointers: ['persons.xml#p2'], form: 'Filipov', passage: 'par-2', where: 'text' as const },
  ];
  const refs = (r: Registry) => {
    const documents = [{ id: 'L1', file: '/c/L1.xml', meta: meta('L1', {}), outputs: {}, pointers }];
    return references({ registry: r, documents } as unknown as BuildContext);
  };

  it('resolves a document\'s pointers again when the registry answers differently, not otherwise', () => {
    const a = registry();
    assert.deepEqual([...refs(a).keys()], ['p1'], 'p2 is in no register yet');
    assert.equal(registry().resolutionSignature(), a.resolutionSignature(), 'an equal registry: the same signature');
    assert.deepEqual([...refs(registry()).keys()], ['p1']);
    // A register entry added: the kept resolution must not stand in.
    const b = registry(entry('p2', 'person', 'Stalin'));
    assert.notEqual(b.resolutionSignature(), a.resolutionSignature());
    assert.deepEqual([...refs(b).keys()], ['p1', 'p2']);
    assert.deepEqual(refs(b).get('p2'), [{ doc: 'L1', form: 'Filipov', passage: 'par-2', where: 'text' }]);
  });
});

describe('a watcher\'s index derived from the last one (indexResults)', () => {
  const date = (when: string) => ({ value: when, when, from: '', to: '', cert: '', text: when });
  const result = (file: string, m: ReturnType<typeof meta> | undefined): IndexableResult => ({ ok: m !== undefined, file: `/c/${file}`, displayPath: `c/${file}`, meta: m });
  const first = () => [
    result('persons.xml', meta('persons', { isRegister: true, entries: [entry('p1', 'person', 'Gottwald')] })),
    result('L1.xml', meta('L1', { date: date('1950-01-02'), ids: ['n1'], entries: [entry('p9', 'person', 'Filipov')] })),
    result('L2.xml', meta('L2', { date: date('1950-01-01'), ids: ['n1'] })),
    result('L3.xml', meta('x y', { date: date('1949') })),
    result('L4.xml', meta('L2', { date: date('1951') })),
  ];
  /** What a registry answers: documents in order (id, metadata), files' ids, resolved pointers, entries, signature. */
  const answers = (r: Registry, from: string[]) => ({
    documents: r.documents.map((d) => [d.id, d.file, d.meta]),
    registerFiles: r.registerFiles.map((d) => d.id),
    files: ['L1.xml', 'L2.xml', 'L3.xml', 'L4.xml', 'persons.xml'].map((f) => r.docIdForFile(f)),
    resolved: from.flatMap((doc) => ['#n1', '#n2', '#p1', '#p9', 'L2', 'L1.xml#n1', 'persons.xml#p1'].map((p) => r.resolve(p, doc))),
    entries: r.entriesText(),
    signature: r.resolutionSignature(),
  });
  const docIds = ['L1', 'L2', 'x_y', 'L2-2'];

  it('derives it when the edited documents stand as they stood (same id, sort date, no entries), answering as a fresh index', () => {
    const before = first();
    const last = indexResults(before);
    const after = [...before];
    // L2 edited: a new note id, a new title; same id and date.
    after[2] = result('L2.xml', meta('L2', { date: date('1950-01-01'), ids: ['n1', 'n2'], title: 'Revised' }));
    const derived = indexResults(after, last);
    const fresh = indexResults(after);
    assert.equal(derived.registry.entries, last.registry.entries, 'derived: the entries are the last registry\'s');
    assert.notEqual(fresh.registry.entries, last.registry.entries);
    assert.deepEqual(answers(derived.registry, docIds), answers(fresh.registry, docIds));
    assert.equal(derived.registry.resolve('#n2', 'L2')?.kind, 'doc', 'the edited document\'s new id');
    assert.deepEqual(derived.ids, fresh.ids);
    assert.deepEqual(derived.ids, ['persons', 'L1', 'L2', 'x_y', 'L2-2']);
    assert.deepEqual(derived.places, fresh.places);
    assert.equal(derived.results[derived.places.get('L2')!], after[2]);
    assert.deepEqual(derived.notes().map((m) => [m.file, m.ruleId, m.reason]), fresh.notes().map((m) => [m.file, m.ruleId, m.reason]));
    assert.deepEqual(fresh.notes().map((m) => m.ruleId), ['doc-id-sanitised', 'doc-id-duplicate']);
    assert.throws(() => derived.registry.add({ id: 'L5', file: '/c/L5.xml', meta: meta('L5') }), /takes no more documents/);
    // Derived from a derived index, with nothing changed (only the last step is kept: the registry before lets go of its own).
    const again = indexResults(after, derived);
    assert.equal(again.registry.entries, last.registry.entries);
    assert.equal(again.registry.derivedFrom?.base, derived.registry);
    assert.equal(derived.registry.derivedFrom, undefined);
    assert.deepEqual(answers(again.registry, docIds), answers(fresh.registry, docIds));
  });

  it('indexes afresh when an edited document stands otherwise: date, id, entries, a failure, one document more', () => {
    const before = first();
    const last = indexResults(before);
    const edits: [string, (r: IndexableResult[]) => void][] = [
      ['a new date', (r) => void (r[2] = result('L2.xml', meta('L2', { date: date('1952') })))],
      ['a new id', (r) => void (r[2] = result('L2.xml', meta('L7', { date: date('1950-01-01') })))],
      ['an entry of its own', (r) => void (r[2] = result('L2.xml', meta('L2', { date: date('1950-01-01'), entries: [entry('p2', 'person', 'Stalin')] })))],
      ['entries no more', (r) => void (r[1] = result('L1.xml', meta('L1', { date: date('1950-01-02'), ids: ['n1'] })))],
      ['a failed transform', (r) => void (r[2] = result('L2.xml', undefined))],
      ['one document more', (r) => void r.push(result('L5.xml', meta('L5')))],
      ['a register file edited', (r) => void (r[0] = result('persons.xml', meta('persons', { isRegister: true, entries: [entry('p1', 'person', 'Klement Gottwald')] })))],
    ];
    for (const [what, edit] of edits) {
      const after = [...before];
      edit(after);
      const got = indexResults(after, last);
      assert.notEqual(got.registry.entries, last.registry.entries, what);
      const ids = [...new Set([...docIds, ...got.registry.documents.map((d) => d.id)])];
      assert.deepEqual(answers(got.registry, ids), answers(indexResults(after).registry, ids), what);
    }
  });

  it('makes what depends on the entries once for registries derived from one another, again when entries are added', () => {
    const r = new Registry();
    r.add({ id: 'persons', file: '/c/persons.xml', meta: meta('persons', { isRegister: true, entries: [entry('p1', 'person', 'Gottwald')] }) });
    const text = r.entriesText();
    r.add({ id: 'places', file: '/c/places.xml', meta: meta('places', { isRegister: true, entries: [entry('w', 'place', 'Wien')] }) });
    assert.notEqual(r.entriesText(), text, 'made again after entries were added');
    r.finish();
    let made = 0;
    r.entriesMemo('x', () => ++made);
    r.withDocuments(new Map()).withDocuments(new Map()).entriesMemo('x', () => ++made);
    assert.equal(made, 1);
  });
});

describe('the interface digest of a derived registry (src/cache.ts interfaceDigest)', () => {
  const date = (when: string) => ({ value: when, when, from: '', to: '', cert: '', text: when });
  const result = (file: string, m: ReturnType<typeof meta>): IndexableResult => ({ ok: true, file: `/c/${file}`, displayPath: `c/${file}`, meta: m });
  const digestOf = (registry: Registry, pages = ['about']) => interfaceDigest({ config: { title: 'T' }, formats: new Set(['html']), corpusDir: '/c', registry } as unknown as BuildContext, pages);
  const before = [
    result('persons.xml', meta('persons', { isRegister: true, entries: [entry('p1', 'person', 'Gottwald')] })),
    result('L1.xml', meta('L1', { date: date('1950'), title: 'Letter', passages: [{ id: 'p1', n: 1, kind: 'p', page: '', text: 'Dear' }] })),
    result('L2.xml', meta('L2', { date: date('1951'), title: 'Reply' })),
  ];

  it('is the last one\'s when the replaced documents\' outlines are the same, without hashing the documents again', () => {
    const last = indexResults(before);
    const lastDigest = digestOf(last.registry);
    const after = [...before];
    // An edit of words: the passage's text (not in the outline).
    after[1] = result('L1.xml', meta('L1', { date: date('1950'), title: 'Letter', passages: [{ id: 'p1', n: 1, kind: 'p', page: '', text: 'Dear comrade' }] }));
    const derived = indexResults(after, last).registry;
    assert.ok(derived.derivedFrom, 'derived');
    assert.equal(digestOf(indexResults(after).registry), lastDigest, 'an outline the same: the same digest made afresh');
    // A document slipped into the derived registry's list behind its back: hashing the documents again would see it.
    derived.documents.push({ id: 'L3', file: '/c/L3.xml', meta: meta('L3') });
    assert.equal(digestOf(derived), lastDigest);
  });

  it('is made afresh when a replaced document\'s outline changed, or the pages did', () => {
    const last = indexResults(before);
    const lastDigest = digestOf(last.registry);
    const after = [...before];
    after[1] = result('L1.xml', meta('L1', { date: date('1950'), title: 'Letter, revised' }));
    const derived = indexResults(after, last).registry;
    assert.ok(derived.derivedFrom, 'derived');
    const digest = digestOf(derived);
    assert.notEqual(digest, lastDigest);
    assert.equal(digest, digestOf(indexResults(after).registry));
    const again = indexResults(after, indexResults(before)).registry;
    digestOf(again.derivedFrom!.base);
    assert.equal(digestOf(again, ['about', 'credits']), digestOf(indexResults(after).registry, ['about', 'credits']));
    assert.notEqual(digestOf(again, ['about', 'credits']), digest);
  });
});
