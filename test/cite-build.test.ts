/**
 * Issue 5: stable, citable units in the built edition. ¶ numbers and note
 * numbers agree between the web page and the plain text of every document
 * (seed and Schnitzler), and with the metadata the citations use; passage
 * identifiers survive a rebuild and an edit elsewhere; the cite format's
 * files, meta tags, "Cite this" panel and text header are in the output.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { readBack } from '../src/cite/exports.js';
import { loadCorpus } from '../src/corpus.js';
import type { BuildResult } from '../src/pipeline.js';
import { buildEdition, buildSchnitzler, hasSchnitzler, REPO_ROOT, SEED_CORPUS } from './helpers/build-edition.js';
import { parseHtml } from './helpers/html.js';

interface Numbers { passages: { id: string; n: number }[]; notes: number[]; noteList: number[] }

/** ¶ numbers (with ids) and note numbers of a built web page (the article only, not the tools). */
function htmlNumbers(html: string): Numbers {
  const tree = parseHtml(html) as Root;
  const article = select('article', tree) as Element;
  // A passage is an element with id and data-n (the block itself, or its ¶ anchor where the block is a table).
  const passages = selectAll('[data-n][id]', article).map((e) => ({ id: String(e.properties.id), n: Number(e.properties.dataN) }));
  const notes = selectAll('a.noteref', article).map((a) => Number(toString(a).trim()));
  const noteList = selectAll('li.note', tree).map((li) => Number(li.properties.value));
  return { passages, notes, noteList };
}

/** ¶ numbers and note numbers of a plain-text file (body only; the notes section separately). */
function textNumbers(txt: string): Omit<Numbers, 'passages'> & { passages: number[] } {
  const body = txt.slice(txt.indexOf('\n\n'));
  const notesAt = body.search(/\nNotes\n/);
  const main = notesAt < 0 ? body : body.slice(0, notesAt);
  const notesPart = notesAt < 0 ? '' : body.slice(notesAt);
  return {
    passages: [...main.matchAll(/^¶(\d+)/gm)].map((m) => Number(m[1])),
    notes: [...main.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])),
    noteList: [...notesPart.matchAll(/^\[(\d+)\]/gm)].map((m) => Number(m[1])),
  };
}

async function checkNumbering(result: BuildResult): Promise<number> {
  let checked = 0;
  for (const d of result.manifest.documents) {
    const html = await readFile(path.join(result.outDir, 'documents', `${d.id}.html`), 'utf8');
    const txt = await readFile(path.join(result.outDir, 'text', `${d.id}.txt`), 'utf8');
    const h = htmlNumbers(html);
    const t = textNumbers(txt);
    assert.deepEqual(t.passages, h.passages.map((p) => p.n), `${d.id}: ¶ numbers, web vs text`);
    assert.deepEqual(h.passages.map((p) => p.n), h.passages.map((_, i) => i + 1), `${d.id}: ¶ numbers run 1…N`);
    assert.deepEqual(t.noteList, h.noteList, `${d.id}: numbered notes, web vs text`);
    // Note calls: every call in the text is a call on the web page, in the same order.
    assert.deepEqual(t.notes, h.notes, `${d.id}: note calls, web vs text`);
    checked++;
  }
  return checked;
}

describe('cite: citable units in the built seed (issue 5)', function () {
  this.timeout(600_000);
  let result: BuildResult;
  before(async function () {
    result = await buildEdition('seed-cite', SEED_CORPUS, { only: ['html', 'text', 'cite'], jobs: 1, config: { baseUrl: 'https://example.org/stalin-dossier/' } });
    assert.equal(result.documents, 5);
  });

  it('¶ and note numbers agree between web and text for every document', async function () {
    assert.equal(await checkNumbering(result), 5);
  });

  it('the web page’s passage ids and ¶ numbers are the ones the citations use (DocMeta)', async function () {
    const corpus = await loadCorpus(SEED_CORPUS);
    for (const doc of corpus.documents) {
      const h = htmlNumbers(await readFile(path.join(result.outDir, 'documents', `${doc.id}.html`), 'utf8'));
      assert.deepEqual(h.passages, doc.meta.passages.map((p) => ({ id: p.id, n: p.n })), doc.id);
    }
  });

  it('writes CSL-JSON, BibLaTeX, BibTeX and RIS per document and for the edition, all read back alike', async function () {
    for (const stem of [...result.manifest.documents.map((d) => d.id), 'edition']) {
      const json = await readFile(path.join(result.outDir, 'cite', `${stem}.json`), 'utf8');
      const records = JSON.parse(json) as object[];
      assert.ok(records.length >= 1, stem);
      assert.deepEqual(readBack('biblatex', await readFile(path.join(result.outDir, 'cite', `${stem}.bib`), 'utf8')), readBack('csl-json', json), `${stem}.bib`);
      assert.deepEqual(readBack('ris', await readFile(path.join(result.outDir, 'cite', `${stem}.ris`), 'utf8')), readBack('csl-json', json), `${stem}.ris`);
      assert.match(await readFile(path.join(result.outDir, 'cite', `${stem}.bibtex.bib`), 'utf8'), /^@\w+\{/);
    }
    const edition = JSON.parse(await readFile(path.join(result.outDir, 'cite', 'edition.json'), 'utf8')) as { id: string }[];
    assert.deepEqual(edition.map((r) => r.id), ['edition', ...result.manifest.documents.map((d) => d.id)]);
  });

  it('the letter’s page has Highwire meta tags, alternate links, a Cite this panel and a citation per paragraph', async function () {
    const tree = parseHtml(await readFile(path.join(result.outDir, 'documents', 'letter-1950-08-27.html'), 'utf8')) as Root;
    const meta = (name: string) => selectAll(`meta[name="${name}"]`, tree).map((m) => String(m.properties.content));
    assert.deepEqual(meta('citation_author'), ['Stalin, Joseph']);
    assert.deepEqual(meta('citation_date'), ['1950/08/27']);
    assert.deepEqual(meta('citation_title'), ['Letter from Filipov (Stalin) to Soviet Ambassador in Prague, conveying message to CSSR leader Klement Gottwald, 27 August 1950']);
    assert.deepEqual(meta('DC.source'), ['RGASPI, f. 558, op. 11, d. 62, ll. 71–72, Russia']);
    const links = selectAll('link[rel="alternate"]', tree).map((l) => String(l.properties.href));
    for (const ext of ['json', 'bib', 'bibtex.bib', 'ris']) assert.ok(links.includes(`../cite/letter-1950-08-27.${ext}`), ext);
    for (const style of ['chicago', 'chicago-short', 'chicago-bib', 'mla', 'apa', 'biblatex', 'ris']) {
      const pre = select(`pre#cite-${style}`, tree);
      assert.ok(pre && toString(pre).trim(), `pre#cite-${style}`);
      assert.ok(select(`button[data-copy="cite-${style}"]`, tree), `copy button for ${style}`);
    }
    assert.match(toString(select('pre#cite-chicago', tree)!), /^Joseph Stalin to Klement Gottwald, 27 August 1950, RGASPI, f\. 558, op\. 11, d\. 62, ll\. 71–72/);
    const perPassage = selectAll('.cite-passage-list [data-cite]', tree);
    assert.equal(perPassage.length, 13);
    const p5 = perPassage.find((e) => e.properties.dataCite === 'letter-1950-08-27-p4')!;
    assert.equal(p5.properties.dataN, '5');
    assert.match(toString(p5), /para\. 5, https:\/\/example\.org\/stalin-dossier\/documents\/letter-1950-08-27\.html#letter-1950-08-27-p4\.$/);
  });

  it('the plain text says how to cite', async function () {
    const txt = await readFile(path.join(result.outDir, 'text', 'letter-1950-08-27.txt'), 'utf8');
    const header = txt.slice(0, txt.indexOf('\n\n')).replace(/\s+/g, ' ');
    assert.match(header, /How to cite: Joseph Stalin to Klement Gottwald, 27 August 1950, RGASPI, f\. 558, op\. 11, d\. 62, ll\. 71–72, Russia, trans\. Gary Goldberg/);
  });
});

describe('cite: ¶ and note numbers in the Schnitzler edition', function () {
  this.timeout(1_800_000);
  it('agree between web and text for every letter', async function () {
    if (!hasSchnitzler()) this.skip(); // ../shared/corpora/schnitzler-briefe is absent
    const result = await buildSchnitzler();
    assert.ok(result.documents >= 290, `built ${result.documents} letters`);
    assert.equal(await checkNumbering(result), result.manifest.documents.length);
  });
});

describe('cite: passage identifiers are stable', function () {
  this.timeout(300_000);
  it('survive a rebuild, an appended paragraph and an edit to another document', async function () {
    const dir = await mkdtemp(path.join(tmpdir(), 'cite-stable-'));
    try {
      await cp(path.join(REPO_ROOT, 'tei'), dir, { recursive: true });
      const snapshot = async () => {
        const c = await loadCorpus(dir);
        return new Map(c.documents.map((d) => [d.id, { passages: d.meta.passages.map((p) => ({ id: p.id, n: p.n })), notes: d.meta.notes.map((n) => ({ id: n.id, n: n.n })) }]));
      };
      const before = await snapshot();
      assert.deepEqual(await snapshot(), before, 'a rebuild changes nothing');

      // Append a paragraph (without xml:id) at the end of the last division of one document…
      const stueck = path.join(dir, 'commentary-stueck.xml');
      const s = await readFile(stueck, 'utf8');
      const end = s.lastIndexOf('</div>');
      await writeFile(stueck, `${s.slice(0, end)}<p>An appended paragraph.</p>\n${s.slice(end)}`);
      // …and edit the wording of another.
      const kim = path.join(dir, 'commentary-kim.xml');
      const k = await readFile(kim, 'utf8');
      assert.ok(k.includes('Written just two months'));
      await writeFile(kim, k.replace('Written just two months', 'Written only two months'));

      const after = await snapshot();
      for (const [id, was] of before) {
        const now = after.get(id)!;
        if (id === 'commentary-stueck') {
          assert.deepEqual(now.passages.slice(0, was.passages.length), was.passages, 'earlier passages keep id and ¶ number');
          assert.equal(now.passages.length, was.passages.length + 1);
          assert.equal(now.passages.at(-1)!.n, was.passages.length + 1);
          assert.equal(now.passages.at(-1)!.id, `par-${was.passages.length + 1}`);
          assert.deepEqual(now.notes, was.notes);
        } else {
          assert.deepEqual(now, was, `${id} unchanged`);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
