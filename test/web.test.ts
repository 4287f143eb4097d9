/**
 * Web edition on the seed corpus: home page, registers, chronology,
 * bibliography, about page, search index, CSP compliance and internal links.
 * (Browser behaviour: test/e2e.test.ts; the preview server: test/web-serve.test.ts.)
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { select, selectAll } from 'hast-util-select';
import MiniSearch from 'minisearch';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { BuildResult } from '../src/pipeline.ts';
import { loadSearchIndex, searchOptions } from '../src/search/index.ts';
import { markdownToHast } from '../src/site/about.ts';
import { isoLabel } from '../src/site/chronology.ts';
import { CSP } from '../src/site/layout.ts';
import { buildSeed, REPO_ROOT } from './helpers/build-edition.ts';
import { checkLinks } from './helpers/link-check.ts';

const parse = (file: string): Root => unified().use(rehypeParse).parse(fs.readFileSync(file, 'utf8')) as Root;
const hrefs = (tree: Root, sel: string) => selectAll(sel, tree).map((a) => String(a.properties.href));

describe('web edition (seed corpus)', function () {
  this.timeout(300_000);
  let result: BuildResult;
  let out: string;
  const page = (p: string) => parse(path.join(out, p));

  before(async () => {
    result = await buildSeed();
    out = result.outDir;
    assert.equal(result.failed, 0, 'every seed document builds');
  });

  it('writes the edition-wide pages, the search index and self-hosted assets', () => {
    for (const p of ['index.html', 'chronology.html', 'bibliography.html', 'search.html', 'about.html', 'search/index.json',
      'registers/persons.html', 'registers/places.html', 'registers/organisations.html', 'registers/events.html',
      'assets/edition.js', 'assets/edition.css', 'assets/print.css', 'assets/search.js', 'assets/search-options.js', 'assets/minisearch.js']) {
      assert.ok(fs.existsSync(path.join(out, p)), `${p} is written`);
    }
    for (const d of result.manifest.documents) assert.ok(fs.existsSync(path.join(out, 'tei', `${d.id}.xml`)), `TEI source of ${d.id} for download`);
  });

  it('home page: title, introduction, every document by date, facets as browse lists and (hidden) filters', () => {
    const home = page('index.html');
    assert.equal(toString(select('main h1', home)!), result.manifest.title);
    const listed = hrefs(home, 'table.documents tbody a');
    assert.deepEqual(listed, result.manifest.documents.map((d) => `documents/${d.id}.html`), 'the table lists all documents, in edition order');
    assert.equal(listed.length, 5);
    const intro = select('section.introduction', home);
    assert.ok(intro, 'introduction section (config field "introduction")');
    assert.ok(hrefs(intro as unknown as Root, 'a').includes('documents/intro.html'));
    assert.match(toString(intro!), /Did Stalin purposefully seek/);
    const dates = selectAll('table.documents tbody tr', home).map((tr) => (select('time', tr)?.properties.dateTime as string | undefined) ?? '~');
    assert.deepEqual(dates, [...dates].sort(), 'dated documents first, by date');
    // Facets: without JS a browse list per value; the filter form is hidden until the reader script shows it.
    const types = selectAll('#browse-type ~ ul summary', home).map((s) => toString(s));
    assert.ok(types.some((t) => /^Letter \(1\)$/.test(t)), `type facet lists "Letter (1)": ${types.join(', ')}`);
    const form = select('form.facet-filters', home)!;
    assert.equal(form.properties.hidden, true);
    const letterKey = String(selectAll('#filter-type option', home).find((o) => toString(o).startsWith('Letter'))!.properties.value);
    const letterRows = selectAll('table.documents tbody tr', home).filter((tr) => String(tr.properties.dataFacets).split(' ').includes(letterKey));
    assert.equal(letterRows.length, 1, 'one row carries the Letter facet key');
    assert.equal(String(select('a', letterRows[0]!)!.properties.href), 'documents/letter-1950-08-27.html');
  });

  it('registers: every entry links to at least one occurrence, and shows forms and descriptions', () => {
    for (const reg of ['persons', 'places', 'organisations', 'events']) {
      const tree = page(`registers/${reg}.html`);
      const entries = selectAll('.register-entry', tree);
      assert.ok(entries.length > 0, `${reg}: has entries`);
      for (const e of entries) {
        const occ = hrefs(e as unknown as Root, 'a.occurrence');
        assert.ok(occ.length > 0, `${reg}#${String(e.properties.id)} links to an occurrence`);
        for (const h of occ) assert.match(h, /^\.\.\/documents\/[\w.-]+\.html(#.+)?$/);
      }
    }
    const persons = page('registers/persons.html');
    const gottwald = select('#gottwald', persons)!;
    assert.match(toString(select('dfn', gottwald)!), /Gottwald/);
    assert.match(toString(select('.entry-forms', gottwald)!), /Comrade Gottwald/, 'name forms as they occur in the text');
    assert.match(toString(gottwald), /Czechoslovak President/, 'the description the encoding gives');
    assert.ok(hrefs(gottwald as unknown as Root, 'a.occurrence').includes('../documents/letter-1950-08-27.html#letter-1950-08-27-p1'), 'links to ¶2 of the letter');
    const korean = select('#korean-war', page('registers/events.html'));
    assert.ok(korean, 'events named with eventName are listed');
  });

  it('chronology: every dated document and dated mention, sorted, linked to the passage', () => {
    const tree = page('chronology.html');
    const rows = selectAll('table.chronology tbody tr', tree);
    const keys = rows.map((r) => String(select('time', r)?.properties.dateTime ?? ''));
    const dated = keys.filter(Boolean);
    assert.deepEqual(dated, [...dated].sort(), 'in time order');
    const letter = rows.find((r) => r.properties.className && String(r.properties.className).includes('chron-document') && toString(r).includes('Filipov'));
    assert.ok(letter, 'the letter is listed as a dated document');
    assert.equal(select('time', letter)!.properties.dateTime, '1950-08-27');
    const june = rows.find((r) => toString(r).includes('27 June'));
    assert.ok(june, 'the date mention "27 June" is listed');
    assert.equal(select('time', june)!.properties.dateTime, '1950-06-27');
    assert.deepEqual(hrefs(june as unknown as Root, 'a'), ['documents/letter-1950-08-27.html#letter-1950-08-27-p2']);
    const mentions = result.manifest.documents.length; // at least one row per dated document
    assert.ok(rows.length > mentions);
    assert.equal(isoLabel('1950-08-27'), '27 August 1950');
    assert.equal(isoLabel('1950-08'), 'August 1950');
  });

  it('bibliography: every bibl entry with its id as anchor, cited from the notes', () => {
    const tree = page('bibliography.html');
    const ids = selectAll('li.bibl-entry', tree).map((li) => String(li.properties.id));
    for (const id of ['kim-stueck-dossier', 'ledovskii-2005', 'bajanov-1995-96']) assert.ok(ids.includes(id), `bibliography lists #${id}`);
    const ledovskii = select('#ledovskii-2005', tree)!;
    assert.match(toString(ledovskii), /Novaia i noveishaia istoriia/);
    assert.ok(select('cite', ledovskii), 'journal title in <cite>');
    // A note that cites the work links to its entry.
    const citing = fs.readdirSync(path.join(out, 'documents')).flatMap((f) =>
      hrefs(page(`documents/${f}`), 'li.note a[href]').filter((h) => h.startsWith('../bibliography.html#')),
    );
    assert.ok(citing.includes('../bibliography.html#ledovskii-2005'), `notes link to the bibliography: ${citing.join(' ')}`);
  });

  it('about page: docs/encoding.md as sanitised HTML with heading anchors', () => {
    const tree = page('about.html');
    const md = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'encoding.md'), 'utf8');
    const title = /^# (.+)$/m.exec(md)![1]!.replace(/`/g, '');
    assert.equal(toString(select('main h1', tree)!), title);
    assert.ok(selectAll('main table', tree).length > 0, 'GFM tables');
    assert.ok(selectAll('main h2[id]', tree).length >= 3, 'headings have ids');
    for (const h of hrefs(tree, '.toc a')) assert.ok(select(`[id="${h.slice(1)}"]`, tree), `toc target ${h}`);
    // Sanitising: raw HTML and scripts never pass, links to repository files become text.
    const hast = markdownToHast('# T\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [src](../src/a.ts) [w](https://example.org/)');
    const root: Root = { type: 'root', children: hast };
    let bad = 0;
    visit(root, 'element', (n: Element) => {
      if (n.tagName === 'script' || n.tagName === 'img' || Object.keys(n.properties).some((k) => /^on/i.test(k))) bad++;
      if (n.tagName === 'a' && !/^https:/.test(String(n.properties.href))) bad++;
    });
    assert.equal(bad, 0);
    assert.match(toString(root), /src/);
  });

  it('every page keeps to the CSP: no inline script, style or event handler', () => {
    const pages = fs.readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.html'));
    assert.ok(pages.length >= 14);
    for (const p of pages) {
      const tree = page(p);
      const csp = select('meta[http-equiv="Content-Security-Policy"]', tree);
      assert.equal(csp?.properties.content, CSP, `${p}: CSP meta`);
      visit(tree, 'element', (n: Element) => {
        assert.ok(!(n.tagName === 'script' && !n.properties.src), `${p}: inline script`);
        assert.notEqual(n.tagName, 'style', `${p}: <style>`);
        assert.equal(n.properties.style, undefined, `${p}: style attribute on <${n.tagName}>`);
        for (const k of Object.keys(n.properties)) assert.ok(!/^on/i.test(k), `${p}: ${k} on <${n.tagName}>`);
        const src = n.properties.src ?? (n.tagName === 'link' ? n.properties.href : undefined);
        if (src !== undefined && n.tagName !== 'a') assert.ok(!/^(https?:)?\/\//.test(String(src)), `${p}: external resource ${String(src)}`);
      });
    }
  });

  it('document pages keep TEI identity and the reader hooks', () => {
    const tree = page('documents/letter-1950-08-27.html');
    const passages = selectAll('.tei-text .passage[id]', tree);
    assert.ok(passages.length >= 5);
    assert.ok(selectAll('.tei-p', tree).length > 0, 'class tei-<element>');
    for (const p of passages) assert.ok(select('a.pn', p), 'paragraph number in each passage');
    const call = select('a.noteref', tree)!;
    const note = select(`[id="${String(call.properties.href).slice(1)}"]`, tree);
    assert.ok(note && select('a.note-back', note), 'numbered note with a back-link (no JS, print)');
    assert.ok(select('.reading.orig', tree) && select('.reading.reg', tree), 'both readings of a choice');
    assert.ok(select('.pb', tree), 'page-break markers');
    assert.ok(select('a.name-link[data-preview][href^="../registers/persons.html#"]', tree), 'names link to the register with a preview');
  });

  it('finds no broken internal link or anchor', () => {
    const report = checkLinks(out);
    assert.ok(report.links > 500, `checked ${report.links} links`);
    assert.deepEqual(report.problems, []);
  });

  it('the link checker itself reports missing files, missing anchors and escapes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tei-links-'));
    try {
      fs.mkdirSync(path.join(dir, 'documents'));
      fs.writeFileSync(path.join(dir, 'index.html'), '<a href="documents/a.html#p1">ok</a><a href="documents/a.html#nope">x</a><a href="missing.html">y</a><a href="../outside.html">z</a><a href="#top">t</a><p id="top"></p><a href="https://example.org/#x">e</a>');
      fs.writeFileSync(path.join(dir, 'documents', 'a.html'), '<p id="p1">text</p><a href="../index.html#top">back</a><img src="../img.png" alt="">');
      const report = checkLinks(dir);
      assert.equal(report.links, 7);
      assert.deepEqual(report.problems.map((p) => `${p.page} ${p.href} ${p.reason}`).sort(), [
        'documents/a.html ../img.png missing-file',
        'index.html ../outside.html outside-output',
        'index.html documents/a.html#nope missing-anchor',
        'index.html missing.html missing-file',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('search index: passages, notes and register entries, linked to the exact place', async () => {
    const { index, options } = await loadSearchIndex(out);
    const hits = index.search('Gottwald', options.SEARCH_OPTIONS);
    const urls = hits.map((h) => String(h.u));
    assert.ok(urls.includes('documents/letter-1950-08-27.html#letter-1950-08-27-p1'), 'the passage of the letter');
    assert.ok(urls.includes('registers/persons.html#gottwald'), 'the register entry');
    assert.deepEqual(index.search('GOTTWALD', options.SEARCH_OPTIONS).map((h) => h.u), urls, 'case-insensitive');
    const noteHit = index.search('Ledovskii', options.SEARCH_OPTIONS).find((h) => h.k === 'n');
    assert.ok(noteHit && /#[\w-]+-n\d+$/.test(String(noteHit.u)), 'notes are searchable and link to the note');
    for (const h of index.search('Korean War', options.SEARCH_OPTIONS)) {
      const [file, frag] = String(h.u).split('#');
      const tree = page(file!);
      if (frag) assert.ok(select(`[id="${frag}"]`, tree), `result target ${String(h.u)} exists`);
    }
  });

  it('search terms fold case and diacritics the same way at build time and in the browser', async () => {
    const { OPTIONS, SEARCH_OPTIONS, fold } = await searchOptions();
    assert.equal(fold('Ärzte'), 'arzte');
    assert.equal(fold('Straße'), 'strasse');
    assert.equal(fold('Dvořák'), 'dvorak');
    const ms = new MiniSearch(OPTIONS);
    ms.addAll([{ id: 0, title: '', text: 'Ankunft in Zürich bei Dvořák', t: '', d: '', k: 'p', n: '', u: 'a.html#p1' }]);
    for (const q of ['zurich', 'ZÜRICH', 'Zurich dvorak', 'dvořák']) assert.equal(ms.search(q, SEARCH_OPTIONS).length, 1, q);
    const js = fs.readFileSync(path.join(out, 'assets/search.js'), 'utf8');
    assert.match(js, /from '\.\/search-options\.js'/, 'the browser imports the same options module');
  });
});
