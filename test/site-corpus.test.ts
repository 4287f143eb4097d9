/**
 * Edition-wide web pages from per-document contributions: register references
 * (pointers read once per document version, resolved against the registry of
 * each build), chronology items and search records from one document's
 * metadata alone, recombined in edition order.
 */
import assert from 'node:assert/strict';
import type { Root } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import type { BuildContext, BuiltDocument } from '../src/formats/types.js';
import type { DocMeta } from '../src/model.js';
import { selectAll } from 'hast-util-select';
import { documentSearchRecords, numberRecords, searchRecords, registerSearchRecords } from '../src/search/records.js';
import { chronologyItems, chronologyPage, combineChronology, documentChronology } from '../src/site/chronology.js';
import { documentPointers, pointersFromTree, referencedIds, references, rememberPointers, resolvePointers } from '../src/site/references.js';
import { referenceLabel, registerPages } from '../src/site/registers.js';
import { isChunks, type OutputFile } from '../src/model.js';
import { Registry } from '../src/stages/index.js';
import { entry, meta } from './helpers/meta.js';


const date = (when: string, text = when) => ({ value: when, when, from: '', to: '', cert: '', text });

const HTML = [
  '<article><header class="doc-header"><dl><dd><a data-ref="#p1">Anna</a></dd></dl></header>',
  '<section id="s1"><h2>On <a data-ref="#pl1">Wien</a></h2>',
  '<p class="passage" id="d1-p1">Dear <a data-ref="#p1 #p2 #p1">Anna and Bert</a>, see <a data-target="#d1-p2">below</a>.</p>',
  '<p class="passage" id="d1-p2">In <a data-target="pl1">the city</a>.</p></section>',
  '<ol class="notes"><li class="note" id="d1-n1">Cf. <a data-ref="https://example.org/x #p2">Bert B.</a></li></ol></article>',
].join('');

function corpus(): { registry: Registry; ctx: BuildContext; docs: BuiltDocument[] } {
  const registry = new Registry();
  registry.add({ id: 'register', file: '/c/register.xml', meta: meta('register', { isRegister: true, entries: [entry('p1', 'person', 'Anna A.'), entry('p2', 'person', 'Bert B.'), entry('pl1', 'place', 'Vienna')] }) });
  const m1 = meta('d1', {
    date: date('1900-01-02'),
    passages: [{ id: 'd1-p1', n: 1, kind: 'p', page: '', text: 'Dear Anna and Bert, see below.' }, { id: 'd1-p2', n: 2, kind: 'p', page: '', text: 'In the city.' }],
    notes: [{ id: 'd1-n1', n: 1, type: '', place: 'foot', passage: 'd1-p1', text: 'Cf. Bert B.' }],
    dates: [{ ...date('1899-12-24', 'Christmas'), form: 'Christmas', passage: 'd1-p2' }, { ...date('1899-12-24', 'Christmas'), form: 'Christmas', passage: 'd1-p2' }],
    ids: ['d1-p1', 'd1-p2', 'd1-n1', 's1'],
  });
  const m2 = meta('d2', { date: date('1899-12-24'), passages: [{ id: 'd2-p1', n: 1, kind: 'p', page: '', text: 'Hello.' }] });
  registry.add({ id: 'd1', file: '/c/d1.xml', meta: m1 });
  registry.add({ id: 'd2', file: '/c/d2.xml', meta: m2 });
  registry.finish();
  const doc = (id: string, m: DocMeta, html: string): BuiltDocument => ({ id, file: `/c/${id}.xml`, displayPath: `${id}.xml`, meta: m, outputs: { 'html/html.xsl': html }, results: {} });
  const docs = [doc('d2', m2, '<p class="passage" id="d2-p1">Hello.</p>'), doc('d1', m1, HTML)];
  const ctx = {
    config: { language: 'en' }, corpusDir: '/c', registry, documents: docs,
    hooks: { documentHead: [], documentAside: [], textHeader: [] }, report: () => undefined, formats: new Set(['html']),
  } as unknown as BuildContext;
  return { registry, ctx, docs };
}

describe('edition-wide pages from per-document contributions', () => {
  it('reads a rendering’s pointers with their place, independent of the registry', () => {
    assert.deepEqual(documentPointers(HTML), [
      { pointers: ['#p1'], form: 'Anna', passage: '', where: 'metadata' },
      { pointers: ['#pl1'], form: 'Wien', passage: 's1', where: 'heading' },
      { pointers: ['#p1', '#p2', '#p1'], form: 'Anna and Bert', passage: 'd1-p1', where: 'text' },
      { pointers: ['#d1-p2'], form: 'below', passage: 'd1-p1', where: 'text' },
      { pointers: ['pl1'], form: 'the city', passage: 'd1-p2', where: 'text' },
      { pointers: ['https://example.org/x', '#p2'], form: 'Bert B.', passage: 'd1-n1', where: 'text' },
    ]);
  });

  it('reads the same pointers as a walk over rehype-parse’s tree (entities, comments, misnested blocks, templates)', () => {
    const tricky = HTML + [
      '<p class="passage" id="x-p3">A <!-- c --><a data-ref="#p1">&amp;&nbsp;An<b>na</b>&#x2019;s</a>',
      '<div><a data-ref="#p2">Bert</a></div> after</p>',
      '<template><a data-ref="#p1">hidden</a></template><a data-ref="">empty</a><a data-target=" ">blank</a>',
      '<h3 id="h"><span id="inner"><a data-ref="#pl1">W</a></span></h3><li class="note" id="x-n"><a data-ref="#p1">n</a></li>',
    ].join('');
    const tree = unified().use(rehypeParse, { fragment: true }).parse(tricky) as Root;
    assert.deepEqual(documentPointers(tricky), pointersFromTree(tree));
    assert.ok(documentPointers(tricky).some((p) => p.form === '& Anna’s'));
  });

  it('gives a name holding other names (its reference an arrow link after it) the words of the name, without arrows and note calls', () => {
    // html.xsl te:name: <rs type="event" ref="#e1"><rs type="person" ref="#p1">Offenbach</rs></rs>
    const html = '<p class="passage" id="x-p1">bei einigen <span class="rs has-ref-link"><a data-ref="#p1" class="rs name-link">Offenbach</a></span>'
      + '<a class="ref-link name-link" data-ref="#e1"><span aria-hidden="true">→</span><span class="visually-hidden"> (register entry)</span></a>’s</p>'
      + '<p class="passage" id="x-p2"><a class="ref-link name-link" data-ref="#e2"><span aria-hidden="true">→</span></a></p>'
      // Three names in one another, a note call inside (L01006): <rs ref="#pl"><rs ref="#ev"><rs ref="#w">Loge 6<note/></rs></rs></rs>
      + '<p class="passage" id="x-p3">in die <span class="tei-rs place has-ref-link"><span class="tei-rs event has-ref-link"><span class="tei-rs work has-ref-link">'
      + 'Loge 6<a class="noteref" href="#note-1"><sup>1</sup></a></span><a class="ref-link name-link" data-ref="#w">→</a></span>'
      + '<a class="ref-link name-link" data-ref="#ev">→</a></span><a class="ref-link name-link" data-ref="#pl">→</a>, rechts</p>';
    const expected = [
      { pointers: ['#p1'], form: 'Offenbach', passage: 'x-p1', where: 'text' },
      { pointers: ['#e1'], form: 'Offenbach', passage: 'x-p1', where: 'text' },
      { pointers: ['#e2'], form: '→', passage: 'x-p2', where: 'text' },
      { pointers: ['#w'], form: 'Loge 6', passage: 'x-p3', where: 'text' },
      { pointers: ['#ev'], form: 'Loge 6', passage: 'x-p3', where: 'text' },
      { pointers: ['#pl'], form: 'Loge 6', passage: 'x-p3', where: 'text' },
    ];
    assert.deepEqual(documentPointers(html), expected);
    assert.deepEqual(pointersFromTree(unified().use(rehypeParse, { fragment: true }).parse(html) as Root), expected);
  });

  it('resolves pointers to register entries only, each entry once per element', () => {
    const { registry } = corpus();
    const got = resolvePointers(registry, 'd1', documentPointers(HTML)).map((r) => `${r.entry}@${r.ref.passage}:${r.ref.where}`);
    assert.deepEqual(got, ['p1@:metadata', 'pl1@s1:heading', 'p1@d1-p1:text', 'p2@d1-p1:text', 'pl1@d1-p2:text', 'p2@d1-n1:text']);
  });

  it('gathers references in edition order and labels them by ¶ and note', () => {
    const { ctx } = corpus();
    const refs = references(ctx);
    assert.deepEqual(refs.get('p2')!.map((r) => referenceLabel(ctx, r)), ['¶1', 'n. 1']);
    assert.deepEqual(refs.get('pl1')!.map((r) => referenceLabel(ctx, r)), ['heading', '¶2']);
    assert.equal(refs.has('d1-p2'), false, 'a pointer to a passage is no register reference');
  });

  it('uses a document version’s kept pointers instead of reading its rendering again', () => {
    const { ctx, docs } = corpus();
    const d1 = docs[1]!;
    const key = 'version-of-d1';
    rememberPointers(key, documentPointers(HTML).slice(0, 1));
    Object.defineProperty(d1, 'key', { value: key });
    Object.defineProperty(d1, 'outputs', { get: () => assert.fail('the rendering is read again') });
    const refs = references({ ...ctx });
    assert.deepEqual([...refs.keys()], ['p1'], 'only the kept pointers count');
  });

  it('keeps pointers for the next build of a session only (a single build reads them anew in each part)', () => {
    const { ctx, docs } = corpus();
    const d1 = docs[1]!;
    Object.defineProperty(d1, 'key', { value: 'version-of-d1-single' });
    let reads = 0;
    Object.defineProperty(d1, 'outputs', { get: () => (reads++, { 'html/html.xsl': HTML }) });
    const expected = [...references({ ...ctx, session: false }).keys()];
    reads = 0;
    for (const session of [false, false, true, undefined]) {
      assert.deepEqual([...references({ ...ctx, session }).keys()], expected);
    }
    assert.equal(reads, 3, 'read by both single builds and the first of the session; the next build of the session reads none');
  });

  it('chronology items: kept with the metadata for the next build of a session, not by a single build', () => {
    const { ctx } = corpus();
    const items = (session?: boolean) => chronologyItems({ ...ctx, session });
    const first = items(true);
    assert.ok(first.length > 0);
    assert.ok(items(undefined).every((it, i) => it === first[i]), 'the same items again in a session');
    const single = items(false);
    assert.deepEqual(single, first);
    assert.ok(single.every((it, i) => it !== first[i]), 'made anew by a single build');
    assert.ok(items(false).every((it, i) => it !== single[i]), 'and not kept by it');
  });

  it('uses the pointers the pipeline attached to a document', () => {
    const { ctx, docs } = corpus();
    Object.defineProperty(docs[1]!, 'pointers', { value: documentPointers(HTML).slice(1, 2) });
    Object.defineProperty(docs[1]!, 'outputs', { get: () => assert.fail('the rendering is read again') });
    assert.deepEqual([...references(ctx).keys()], ['pl1']);
  });

  it('chronology: a document’s items come from its metadata alone; the whole is their combination', () => {
    const { ctx, docs } = corpus();
    const one = documentChronology('d1', docs[1]!.meta);
    assert.deepEqual(one.map((i) => [i.kind, i.key, i.place]), [['document', '1900-01-02', ''], ['mention', '1899-12-24', '¶2']], 'duplicate mentions once');
    const all = chronologyItems(ctx);
    assert.deepEqual(all, combineChronology(docs.map((d) => documentChronology(d.id, d.meta))));
    assert.deepEqual(all.map((i) => `${i.key} ${i.kind} ${i.doc}`), ['1899-12-24 document d2', '1899-12-24 mention d1', '1900-01-02 document d1']);
  });

  it('register and chronology pages come in pieces, an entry or a row each, made as the file is written', () => {
    const { ctx } = corpus();
    Object.assign(ctx.config, { title: 'Test edition', editors: [], publisher: '', licence: { label: 'CC BY 4.0', url: '' } });
    const pages: OutputFile[] = [...registerPages(ctx), chronologyPage(ctx)];
    const find = (p: string) => pages.find((f) => f.path === p)!;
    // Persons: Anna and Bert under two initials; places: Vienna.
    for (const [file, ids, groups] of [['registers/persons.html', ['p1', 'p2'], 2], ['registers/places.html', ['pl1'], 1]] as const) {
      const { content } = find(file);
      assert.ok(isChunks(content) && typeof content !== 'string', `${file}: pieces, not one string`);
      const pieces = [...content];
      // The page before its groups, then per group its heading, its entries one by one, its end; then the rest of the page.
      assert.equal(pieces.length, 2 + 2 * groups + ids.length, `${file}: a piece per entry`);
      const entries = pieces.filter((p) => p.startsWith('<div class="register-entry'));
      assert.deepEqual(entries.map((p) => /^<div class="[^"]*" id="([^"]+)">/.exec(p)?.[1]), ids, `${file}: one entry a piece`);
      assert.ok(entries.every((p) => p.endsWith('</div>')));
      assert.equal([...content].join(''), pieces.join(''), `${file}: the same text when written again`);
      const tree = unified().use(rehypeParse).parse(pieces.join('')) as Root;
      assert.deepEqual(selectAll('.register-entry', tree).map((e) => e.properties.id), ids, `${file}: the page holds its entries`);
      assert.equal(selectAll('main', tree).length, 1);
    }
    const chronology = find('chronology.html').content;
    assert.ok(isChunks(chronology) && typeof chronology !== 'string');
    const rows = [...chronology].filter((p) => p.startsWith('<tr class="chron-'));
    assert.equal(rows.length, 3, 'a piece per row');
    const tree = unified().use(rehypeParse).parse([...chronology].join('')) as Root;
    assert.deepEqual(selectAll('tbody tr', tree).map((r) => (r.properties.className as string[])[0]), ['chron-document', 'chron-mention', 'chron-document']);
  });

  it('search: a document’s records come from its metadata alone, numbered in edition order then the registers', () => {
    const { ctx, docs } = corpus();
    const all = searchRecords(ctx);
    assert.deepEqual(all, numberRecords([...docs.map((d) => documentSearchRecords(d.id, d.meta)), registerSearchRecords(ctx)]));
    assert.deepEqual(all.map((r) => r.id), all.map((_, i) => i));
    assert.deepEqual(documentSearchRecords('d1', docs[1]!.meta).map((r) => `${r.k} ${r.n} ${r.u}`), [
      'd  documents/d1.html', 'p ¶1 documents/d1.html#d1-p1', 'p ¶2 documents/d1.html#d1-p2', 'n n. 1 documents/d1.html#d1-n1',
    ]);
  });
});

describe('the entries the documents refer to, kept between a session\'s builds (referencedIds)', () => {
  const registry = new Registry();
  registry.add({ id: 'register', file: '/c/register.xml', meta: meta('register', { isRegister: true, entries: ['p1', 'p2', 'p3', 'p4'].map((id) => entry(id, 'person', id)) }) });
  for (const id of ['d1', 'd2', 'd3']) registry.add({ id, file: `/c/${id}.xml`, meta: meta(id) });
  registry.finish();
  const docs = registry.documents.map((d) => ({ ...d, displayPath: d.file, outputs: {} }) as unknown as BuiltDocument);
  const pointing = (...ids: string[]) => ({ pointers: ids.map((id) => ({ pointers: [`#${id}`], form: id, passage: '', where: 'text' as const })) });
  /** A session's build: each document's web contribution (its pointers), and what changed since the builds before (by token). */
  const build = (data: Record<string, { pointers: unknown[] }>, token: object, changes: Map<object, Set<string>>, readable = new Set(Object.keys(data))) => ({
    registry, documents: docs, session: true, build: token,
    contribution: (format: string, id: string) => {
      if (!readable.has(id)) throw new Error(`${id}'s contribution read`);
      return format === 'html' ? data[id] : undefined;
    },
    changedSince: (since: object) => (since === token ? new Set<string>() : changes.get(since)),
  }) as unknown as BuildContext;

  it('updates the last answer for the documents changed since its build, reading no other document; equals an answer made afresh', () => {
    const [t1, t2, t3, t4] = [{}, {}, {}, {}];
    const first = { d1: pointing('p1', 'p2'), d2: pointing('p2'), d3: pointing() };
    assert.deepEqual(referencedIds(build(first, t1, new Map())), ['p1', 'p2']);
    // d2 now refers to p3 instead of p2 (p2 still referred to by d1); only d2 may be read.
    const second = { ...first, d2: pointing('p3') };
    assert.deepEqual(referencedIds(build(second, t2, new Map([[t1, new Set(['d2'])]]), new Set(['d2']))), ['p1', 'p2', 'p3']);
    // d1 no longer refers to p2, nobody does; d3 refers to p4. (Changes since t2 known; since t1 too.)
    const third = { ...second, d1: pointing('p1'), d3: pointing('p4', 'p4') };
    const since = new Map([[t2, new Set(['d1', 'd3'])], [t1, new Set(['d1', 'd2', 'd3'])]]);
    assert.deepEqual(referencedIds(build(third, t3, since, new Set(['d1', 'd3']))), ['p1', 'p3', 'p4']);
    assert.deepEqual(referencedIds(build(third, t3, since, new Set())), ['p1', 'p3', 'p4'], 'asked again in the same build: nothing read');
    // What changed since the last answer's build is not known: made afresh.
    const fourth = { ...third, d2: pointing('p2') };
    assert.deepEqual(referencedIds(build(fourth, t4, new Map())), ['p1', 'p2', 'p4']);
    assert.throws(() => referencedIds(build(fourth, {}, new Map(), new Set(['d1']))), /d2's contribution read/);
  });
});
