/**
 * Print edition (issue 7): PDFs checked with poppler (pdftotext -bbox/-layout,
 * pdffonts), the EPUB with epubcheck, LaTeX escaping and numbering directly.
 * Tests that need Chromium, poppler-utils or epubcheck skip with a message
 * when the tool is missing; the Schnitzler tests skip without ../shared.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { build, type BuildResult } from '../src/pipeline.js';
import { texEscape } from '../src/print/latex.js';
import { chromiumPath, PdfRenderer } from '../src/print/render.js';
import { parseXml, transform } from '../src/xslt/run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schnitzler = path.resolve(root, '..', 'shared', 'corpora', 'schnitzler-briefe');

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const CHROMIUM = !!chromiumPath();
const POPPLER = has('pdftotext') && has('pdffonts');
/** Debian links /usr/bin/epubcheck to the jar (run through binfmt_misc when jarwrapper is set up): call java. */
function epubcheckCommand(): string[] | undefined {
  const r = spawnSync('sh', ['-c', 'command -v epubcheck'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const bin = realpathSync(r.stdout.trim());
  if (!bin.endsWith('.jar')) return [bin];
  return has('java') ? ['java', '-jar', bin] : undefined;
}
const EPUBCHECK = epubcheckCommand();

// ---------------------------------------------------------------------------
// Reading PDFs with poppler

interface Word { text: string; x0: number; y0: number; x1: number; y1: number }
interface Page { width: number; height: number; words: Word[] }

function pdfWords(file: string): Page[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const pages: Page[] = [];
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words: Word[] = [];
    for (const w of m[3]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      words.push({ x0: +w[1]!, y0: +w[2]!, x1: +w[3]!, y1: +w[4]!, text: decode(w[5]!) });
    }
    pages.push({ width: +m[1]!, height: +m[2]!, words });
  }
  return pages;
}

function pdfPagesText(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\f').slice(0, -1);
}

const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

interface NoteCheck { n: number; text: string }

/**
 * Where each footnote's text starts and where its call is. The note text is
 * found as its number followed by its first words; the call is the number
 * set smaller than the word before it (a superscript) inside the text column.
 */
function footnotePages(pages: Page[], note: NoteCheck): { notePages: number[]; callPages: number[] } {
  const first = norm(note.text).split(' ').slice(0, 2);
  const label = String(note.n);
  const notePages: number[] = [];
  const callPages: number[] = [];
  pages.forEach((p, i) => {
    const w = p.words;
    let noteY = Infinity;
    for (let k = 0; k + 2 < w.length; k++) {
      if (w[k]!.text === label && w[k + 1]!.text === first[0] && (first.length < 2 || w[k + 2]!.text === first[1]) && Math.abs(w[k + 1]!.y0 - w[k]!.y0) < 2) {
        notePages.push(i + 1);
        noteY = Math.min(noteY, w[k]!.y0);
      }
    }
    const columnRight = p.width - 24 * 2.835; // right page margin: 24 mm
    const heights = w.map((x) => x.y1 - x.y0).sort((a, b) => a - b);
    const body = heights[Math.floor(heights.length * 0.75)] ?? 0;
    for (let k = 1; k < w.length; k++) {
      const cur = w[k]!;
      const prev = w[k - 1]!;
      // A superscript: smaller than the text, right after a word or starting its own line.
      const small = cur.y1 - cur.y0 < 0.8 * body;
      const attached = Math.abs(cur.x0 - prev.x1) < 3 || cur.y0 > prev.y1;
      if (cur.text === label && small && attached && cur.x1 < columnRight && cur.y1 < noteY) callPages.push(i + 1);
    }
  });
  return { notePages, callPages };
}

function indexPages(pagesText: string[], heading: string, label: string): number[] {
  const start = pagesText.findIndex((t) => t.split('\n').some((l) => l.trim() === heading));
  assert.ok(start >= 0, `no "${heading}" in the PDF`);
  const text = pagesText.slice(start).join('\n');
  const m = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, ([\\d–, ]+?)(?:\\s{2,}|$)`, 'm').exec(text);
  assert.ok(m, `no index entry "${label}"`);
  return m[1]!.split(',').map((s) => s.trim()).filter(Boolean).flatMap((r) => {
    const [a, b] = r.split('–').map(Number);
    return b ? Array.from({ length: b - a! + 1 }, (_, i) => a! + i) : [a!];
  });
}

/** Page body without its running head (first line) and page number (last line). */
function pageBody(t: string): string {
  const lines = t.split('\n').filter((l) => l.trim());
  return lines.slice(1, -1).join('\n');
}

// ---------------------------------------------------------------------------

describe('print edition: LaTeX (stylesheet)', function () {
  this.timeout(300_000);

  it('escapes every LaTeX special and numbers notes as te:note-n does', async () => {
    const tei = `<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
      <text><body><p>Costs: 5 $ &amp; 10 % of #3_a {x} ~y ^z \\end{document}<note>First <hi rend="italic">note</hi> 50 %.</note></p>
      <p>Друг Gottwald — Šťastný<note>Second, with <note>an inner note</note>.</note> <pb n="7"/>end.</p></body></text></TEI>`;
    const doc = await parseXml(tei, 'file:///fixture.xml');
    const out = (await transform('print/latex.xsl', doc, {})).principal;
    assert.match(out, /5 \\\$ \\& 10 \\% of \\#3\\_a \\\{x\\\} \\textasciitilde\{\}y \\textasciicircum\{\}z \\textbackslash\{\}end\\\{document\\\}/);
    assert.ok(!/\\end\{document\}/.test(out), 'an unescaped \\end{document} from the source would end the file');
    assert.match(out, /\\footnote\[1\]\{First \\emph\{note\} 50 \\%\.\}/);
    assert.match(out, /\\footnote\[2\]\{Second, with \[an inner note\]\.\}/);
    assert.match(out, /Друг Gottwald — Šťastný/);
    assert.match(out, /\\pb\{7\}/);
    assert.match(out, /\\pn\{1\}Costs/);
    assert.match(out, /\\pn\{2\}Друг/);
  });

  it('texEscape handles the specials in metadata', () => {
    assert.equal(texEscape('a\\b {c} $d & #e ^f _g %h ~i'), 'a\\textbackslash{}b \\{c\\} \\$d \\& \\#e \\textasciicircum{}f \\_g \\%h \\textasciitilde{}i');
  });
});

describe('print edition: seed (PDF, EPUB, LaTeX)', function () {
  this.timeout(900_000);
  let out: string;
  let result: BuildResult;

  before(async function () {
    out = mkdtempSync(path.join(os.tmpdir(), 'tei-print-'));
    result = await build({ corpus: path.join(root, 'tei'), out, only: ['print', 'cite', 'text'], validate: false, jobs: 1 });
  });
  after(() => rmSync(out, { recursive: true, force: true }));


  it('writes LaTeX per document and for the edition, with the notes of web and text', () => {
    const tex = readFileSync(path.join(out, 'print', 'intro.tex'), 'utf8');
    assert.match(tex, /\\usepackage\{fontspec\}/);
    assert.match(tex, /\\footnote\[1\]\{Ledovskii/);
    assert.match(tex, /\\footnote\[2\]\{See for example/);
    const text = readFileSync(path.join(out, 'text', 'intro.txt'), 'utf8');
    assert.match(text, /\[1\] Ledovskii/);
    assert.match(text, /\[2\] See for example/);
    const edition = readFileSync(path.join(out, 'print', 'edition.tex'), 'utf8');
    for (const d of result.manifest.documents) assert.ok(existsSync(path.join(out, 'print', `${d.id}.tex`)), `print/${d.id}.tex`);
    assert.equal((edition.match(/\\footnote\[/g) ?? []).length, 3);
    assert.match(edition, /\\tableofcontents/);
  });

  it('writes a PDF per document and for the edition', function () {
    if (!CHROMIUM) this.skip();
    for (const d of result.manifest.documents) assert.ok(existsSync(path.join(out, 'print', `${d.id}.pdf`)), `print/${d.id}.pdf`);
    assert.ok(existsSync(path.join(out, 'print', 'edition.pdf')));
    assert.deepEqual(result.messages.filter((m) => String(m.ruleId).startsWith('print-')).map((m) => m.reason), []);
  });

  it('sets every footnote on the page of its call, numbered as in web and text', function () {
    if (!CHROMIUM || !POPPLER) return this.skip();
    const expected: Record<string, NoteCheck[]> = {
      'letter-1950-08-27': [{ n: 1, text: '[Source: Russian' }],
      intro: [{ n: 1, text: 'Ledovskii, Andrei,' }, { n: 2, text: 'See for example:' }],
    };
    for (const [id, notes] of Object.entries(expected)) {
      const pages = pdfWords(path.join(out, 'print', `${id}.pdf`));
      for (const note of notes) {
        const { notePages, callPages } = footnotePages(pages, note);
        assert.equal(notePages.length, 1, `${id}: note ${note.n} text found on pages [${notePages}]`);
        assert.deepEqual(callPages, notePages, `${id}: call of note ${note.n} on pages [${callPages}], note on [${notePages}]`);
      }
    }
    // In the edition PDF too (each document numbers its own notes).
    const edition = pdfWords(path.join(out, 'print', 'edition.pdf'));
    for (const note of [...expected['letter-1950-08-27']!, ...expected.intro!]) {
      const { notePages, callPages } = footnotePages(edition, note);
      assert.equal(notePages.length, 1, `edition: note "${note.text}"`);
      assert.ok(callPages.includes(notePages[0]!), `edition: call of note "${note.text}" on [${callPages}], note on ${notePages[0]}`);
    }
  });

  it('has running heads, page numbers and embedded Noto fonts', function () {
    if (!CHROMIUM || !POPPLER) return this.skip();
    const file = path.join(out, 'print', 'edition.pdf');
    const pages = pdfPagesText(file);
    assert.ok(pages.length >= 10, `${pages.length} pages`);
    pages.forEach((t, i) => {
      if (i === 0) return; // title page: no running head, no folio
      const lines = t.split('\n').filter((l) => l.trim());
      assert.match(lines[0]!, /^\s*Did Stalin Lure the United States into the Korean/, `running head on page ${i + 1}`);
      assert.equal(lines.at(-1)!.trim(), String(i + 1), `page number on page ${i + 1}`);
    });
    // The document title is the right-hand running head of its pages.
    const letterPage = pages.findIndex((t) => /Pass Gottwald the following message orally/.test(t));
    assert.match(pages[letterPage]!.split('\n').find((l) => l.trim())!, /Letter from Filipov \(Stalin\)/);
    // Contents with page numbers that point at the documents.
    const tocLine = pages[1]!.split('\n').find((l) => /Commentary by Donggil Kim/.test(l)) ?? '';
    const tocPage = Number(/(\d+)\s*$/.exec(tocLine)?.[1]);
    assert.ok(tocPage > 2 && /Commentary by Donggil Kim/.test(pageBody(pages[tocPage - 1]!)), `contents: Kim's commentary on page ${tocPage}`);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    assert.ok(fonts.length > 0);
    for (const f of fonts) {
      const cols = f.trim().split(/\s+/);
      assert.equal(cols.at(-5), 'yes', `font not embedded: ${f}`);
    }
    assert.ok(fonts.some((f) => /NotoSerif-Regular/.test(f)), 'Noto Serif is the text face');
  });

  it('gives the right pages for Gottwald in the index of persons', function () {
    if (!CHROMIUM || !POPPLER) return this.skip();
    const pages = pdfPagesText(path.join(out, 'print', 'edition.pdf'));
    const listed = indexPages(pages, 'Index of persons', 'Klement Gottwald');
    const indexStart = pages.findIndex((t) => /\n\s*Index of persons\s*\n/.test(t));
    // Pages of the documents whose text (not the running head) names Gottwald.
    const expected = pages
      .map((t, i) => ({ i: i + 1, t }))
      .filter(({ i, t }) => i > 2 && i <= indexStart && /Gottwald/.test(pageBody(t)))
      .map(({ i }) => i);
    assert.deepEqual(listed, expected);
    const letter = pages.findIndex((t) => /Pass Gottwald the following message orally/.test(t)) + 1;
    assert.ok(listed.includes(letter), `the letter’s “Pass Gottwald …” is on page ${letter}`);
  });

  it('renders diacritics and Cyrillic', async function () {
    if (!CHROMIUM || !POPPLER) return this.skip();
    const renderer = new PdfRenderer(chromiumPath()!);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tei-print-glyphs-'));
    try {
      const sample = 'Šťastný Łódź Ærøskøbing façade naïve — Сталин Готвальд Ёлка';
      const html = `<!doctype html><html lang="cs"><head><meta charset="utf-8"><style>@page{size:A4;margin:20mm} html{font-family:"Noto Serif"}</style></head><body><p>${sample}</p></body></html>`;
      const a = await renderer.render(html, { title: 'glyphs', fixedDate: new Date(Date.UTC(2020, 0, 1)), id: 'glyphs' });
      const b = await renderer.render(html, { title: 'glyphs', fixedDate: new Date(Date.UTC(2020, 0, 1)), id: 'glyphs' });
      assert.ok(Buffer.from(a.pdf).equals(Buffer.from(b.pdf)), 'two renderings of the same page are byte-identical');
      const file = path.join(dir, 'g.pdf');
      writeFileSync(file, a.pdf);
      assert.equal(norm(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })), sample);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      assert.match(info, /CreationDate:\s+Wed Jan\s+1 00:00:00 2020/);
    } finally {
      await renderer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes an EPUB 3 that epubcheck accepts, with EPUB footnotes', async function () {
    const file = path.join(out, 'print', 'edition.epub');
    const zip = await JSZip.loadAsync(readFileSync(file));
    const names = Object.keys(zip.files);
    assert.equal(names[0], 'mimetype');
    assert.equal(await zip.file('mimetype')!.async('string'), 'application/epub+zip');
    const xhtml = await Promise.all(names.filter((n) => /doc-\d+\.xhtml$/.test(n)).map((n) => zip.file(n)!.async('string')));
    const all = xhtml.join('\n');
    assert.equal((all.match(/epub:type="noteref"/g) ?? []).length, 3);
    assert.equal((all.match(/<aside[^>]*epub:type="footnote"/g) ?? []).length, 3);
    assert.match(all, /<aside[^>]*id="d-intro--fn-2"[\s\S]*?See for example/);
    if (!EPUBCHECK) {
      console.log('      (epubcheck not run: install the Debian package epubcheck and a Java runtime)');
      return this.skip();
    }
    const r = spawnSync(EPUBCHECK[0]!, [...EPUBCHECK.slice(1), file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `epubcheck:\n${r.stdout}\n${r.stderr}`);
  });

  it('rebuilds byte-identical PDFs (fixed dates, ids and Paged.js names)', async function () {
    if (!CHROMIUM) return this.skip();
    const again = mkdtempSync(path.join(os.tmpdir(), 'tei-print-again-'));
    try {
      await build({ corpus: path.join(root, 'tei'), out: again, only: ['print', 'cite', 'text'], validate: false, jobs: 1 });
      for (const f of ['edition.pdf', 'intro.pdf', 'letter-1950-08-27.pdf']) {
        assert.ok(readFileSync(path.join(again, 'print', f)).equals(readFileSync(path.join(out, 'print', f))), `${f} differs on rebuild`);
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('without Chromium builds everything else, says in one line how to get the PDF, and rebuilds identical EPUB/LaTeX', async function () {
    const again = mkdtempSync(path.join(os.tmpdir(), 'tei-print-nochrome-'));
    const saved = process.env.TEI_EDITION_CHROMIUM;
    process.env.TEI_EDITION_CHROMIUM = path.join(again, 'no-chromium-here');
    try {
      const r = await build({ corpus: path.join(root, 'tei'), out: again, only: ['print', 'cite', 'text'], validate: false, jobs: 1 });
      const hint = r.messages.filter((m) => m.ruleId === 'print-no-chromium');
      assert.equal(hint.length, 1);
      assert.match(hint[0]!.reason, /apt-get install chromium/);
      assert.equal(r.errors, 0);
      assert.ok(!existsSync(path.join(again, 'print', 'edition.pdf')));
      for (const f of ['edition.epub', 'edition.tex', 'intro.tex']) {
        assert.ok(readFileSync(path.join(again, 'print', f)).equals(readFileSync(path.join(out, 'print', f))), `${f} is byte-identical on rebuild`);
      }
    } finally {
      if (saved === undefined) delete process.env.TEI_EDITION_CHROMIUM;
      else process.env.TEI_EDITION_CHROMIUM = saved;
      rmSync(again, { recursive: true, force: true });
    }
  });
});

describe('print edition: Schnitzler letters (subset)', function () {
  this.timeout(900_000);

  it('builds the PDF of ten letters with their notes at the page foot', async function () {
    if (!existsSync(path.join(schnitzler, 'letters'))) {
      console.log('      (skipped: ../shared/corpora/schnitzler-briefe is absent)');
      return this.skip();
    }
    if (!CHROMIUM) return this.skip();
    const corpus = mkdtempSync(path.join(os.tmpdir(), 'tei-print-sb-'));
    const out = path.join(corpus, 'out');
    try {
      const letters = readdirSync(path.join(schnitzler, 'letters')).filter((f) => f.endsWith('.xml')).sort().slice(0, 10);
      for (const f of letters) cpSync(path.join(schnitzler, 'letters', f), path.join(corpus, 'tei', 'letters', f));
      cpSync(path.join(schnitzler, 'indices'), path.join(corpus, 'tei', 'indices'), { recursive: true });
      const r = await build({ corpus: path.join(corpus, 'tei'), out, only: ['print'], validate: false, jobs: 1 });
      assert.deepEqual(r.messages.filter((m) => m.fatal === true && String(m.ruleId).startsWith('print-')).map((m) => m.reason), []);
      assert.deepEqual(r.messages.filter((m) => m.ruleId === 'print-footnote-placement').map((m) => m.reason), []);
      const pdf = path.join(out, 'print', 'edition.pdf');
      assert.ok(existsSync(pdf));
      if (!POPPLER) return;
      const pages = pdfPagesText(pdf);
      assert.ok(pages.length > 10, `${pages.length} pages`);
      assert.match(pages.join('\n'), /Index of persons/);
      // Diacritics of the German letters survive.
      assert.match(pages.join('\n'), /[äöüß]/);
    } finally {
      rmSync(corpus, { recursive: true, force: true });
    }
  });
});
