/**
 * Issue 5: citations. The seed letter in Chicago (full note, short note,
 * bibliography), MLA 9 and APA 7, as a historian of the Soviet bloc would
 * write them; CSL-JSON / BibLaTeX / RIS exports read back by citation-js
 * with every field; the shelfmark rule; the `cite` CLI.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { cslRecord, editionRecord, findPassage, passageLocator, passageRecord, shelfmark, type PassageRef } from '../src/cite/csl.js';
import { StyleEngine, styleEngine, withoutSortKeys } from '../src/cite/engine.js';
import { readBack, toBibLaTeX, toBibTeX, toCslJson, toRis } from '../src/cite/exports.js';
import { formatCitation, type CiteStyle } from '../src/cite/format.js';
import { citationJs, STYLE_TEMPLATES, type CslItem } from '../src/cite/styles.js';
import { loadCorpus, type Corpus } from '../src/corpus.js';
import { citationFor } from '../src/formats/cite.js';
import type { SourceInfo } from '../src/model.js';
import { REPO_ROOT, SCHNITZLER_CORPUS, hasSchnitzler } from './helpers/build-edition.js';

/** The seed's edition config (tei/edition.config.json), pinned here, plus a base URL so citations carry URLs. */
const SEED_CONFIG = {
  title: 'Did Stalin Lure the United States into the Korean War?',
  subtitle: 'New Evidence on the Origins of the Korean War',
  editors: ['Donggil Kim', 'William Stueck'],
  publisher: 'North Korea International Documentation Project (NKIDP), Wilson Center',
  baseUrl: 'https://example.org/stalin-dossier/',
  version: '1.0',
};
const LETTER = 'letter-1950-08-27';
const EDITION = 'Did Stalin Lure the United States into the Korean War? New Evidence on the Origins of the Korean War';
const PUBLISHER = 'North Korea International Documentation Project (NKIDP), Wilson Center';
const URL = 'https://example.org/stalin-dossier/documents/letter-1950-08-27.html';

let seed: Corpus;
const ctxOf = (c: Corpus) => ({ config: c.config, registry: c.registry });
const letter = () => seed.documents.find((d) => d.id === LETTER)!;

before(async function () {
  this.timeout(120_000);
  seed = await loadCorpus(path.join(REPO_ROOT, 'tei'), SEED_CONFIG);
});

describe('cite: the seed letter (issue 5)', function () {
  this.timeout(60_000);

  it('has one CSL record with the archival facts in their own fields', function () {
    const item = cslRecord(letter(), ctxOf(seed));
    assert.deepEqual(item, {
      id: LETTER,
      type: 'letter',
      title: 'Letter from Filipov (Stalin) to Soviet Ambassador in Prague, conveying message to CSSR leader Klement Gottwald, 27 August 1950',
      author: [{ given: 'Joseph', family: 'Stalin' }],
      recipient: [{ given: 'Klement', family: 'Gottwald' }],
      issued: { 'date-parts': [[1950, 8, 27]] },
      archive: 'RGASPI',
      archive_location: 'f. 558, op. 11, d. 62, ll. 71–72',
      'archive-place': 'Russia',
      translator: [{ given: 'Gary', family: 'Goldberg' }],
      language: 'en',
      'container-title': EDITION,
      editor: [{ given: 'Donggil', family: 'Kim' }, { given: 'William', family: 'Stueck' }],
      publisher: PUBLISHER,
      URL,
      version: '1.0',
    });
  });

  it('Chicago full note: writer to recipient, date, RGASPI f./op./d./ll., translator, this edition', function () {
    assert.equal(
      citationFor(letter(), ctxOf(seed), 'chicago'),
      `Joseph Stalin to Klement Gottwald, 27 August 1950, RGASPI, f. 558, op. 11, d. 62, ll. 71–72, Russia, trans. Gary Goldberg, in ${EDITION}, ed. Donggil Kim and William Stueck, version 1.0 (${PUBLISHER}), ${URL}.`,
    );
  });

  it('Chicago full note of one paragraph: para. N and the paragraph’s URL', function () {
    const p = findPassage(letter().meta.passages, 'letter-1950-08-27-p4')!;
    assert.equal(p.n, 5);
    assert.equal(
      citationFor(letter(), ctxOf(seed), 'chicago', p),
      `Joseph Stalin to Klement Gottwald, 27 August 1950, RGASPI, f. 558, op. 11, d. 62, ll. 71–72, Russia, trans. Gary Goldberg, in ${EDITION}, ed. Donggil Kim and William Stueck, version 1.0 (${PUBLISHER}), para. 5, ${URL}#letter-1950-08-27-p4.`,
    );
  });

  it('Chicago short note', function () {
    assert.equal(citationFor(letter(), ctxOf(seed), 'chicago-short'), 'Stalin to Gottwald, 27 August 1950.');
    assert.equal(citationFor(letter(), ctxOf(seed), 'chicago-short', { id: 'par-13', n: 13 }), 'Stalin to Gottwald, 27 August 1950, para. 13.');
  });

  it('Chicago bibliography entry', function () {
    assert.equal(
      citationFor(letter(), ctxOf(seed), 'chicago-bib'),
      `Stalin, Joseph, to Klement Gottwald. 27 August 1950. RGASPI, f. 558, op. 11, d. 62, ll. 71–72, Russia. Translated by Gary Goldberg. In ${EDITION}, edited by Donggil Kim and William Stueck. Version 1.0. ${PUBLISHER}. ${URL}.`,
    );
  });

  it('MLA 9: works-cited entry, with the archive as second container; in-text citation of a paragraph', function () {
    const entry = `Stalin, Joseph. “Letter from Filipov (Stalin) to Soviet Ambassador in Prague, Conveying Message to CSSR Leader Klement Gottwald, 27 August 1950.” ${EDITION}, edited by Donggil Kim and William Stueck, translated by Gary Goldberg, version 1.0, ${PUBLISHER}, 27 Aug. 1950, ${URL}. RGASPI, Russia, f. 558, op. 11, d. 62, ll. 71–72.`;
    assert.equal(citationFor(letter(), ctxOf(seed), 'mla'), entry);
    assert.equal(
      citationFor(letter(), ctxOf(seed), 'mla', { id: 'letter-1950-08-27-p4', n: 5 }),
      `${entry.replace(URL, `${URL}#letter-1950-08-27-p4`)}\n(Stalin, para. 5)`,
    );
  });

  it('APA 7: reference-list entry with repository and shelfmark', function () {
    assert.equal(
      citationFor(letter(), ctxOf(seed), 'apa'),
      `Stalin, J. (1950). Letter from Filipov (Stalin) to Soviet Ambassador in Prague, conveying message to CSSR leader Klement Gottwald, 27 August 1950 (G. Goldberg, Trans.). In D. Kim & W. Stueck (Eds.), ${EDITION} (Version 1.0). ${PUBLISHER}. RGASPI (f. 558, op. 11, d. 62, ll. 71–72), Russia. ${URL}`,
    );
  });

  it('a commentary is a chapter of the edition; no date is invented (n.d.)', function () {
    const kim = seed.documents.find((d) => d.id === 'commentary-kim')!;
    const item = cslRecord(kim, ctxOf(seed));
    assert.equal(item.type, 'chapter');
    assert.equal(item.issued, undefined);
    assert.equal(item.archive_location, undefined);
    assert.equal(
      citationFor(kim, ctxOf(seed), 'chicago'),
      `Donggil Kim, “Commentary by Donggil Kim (Beijing University),” in ${EDITION}, ed. Donggil Kim and William Stueck (${PUBLISHER}, n.d.), https://example.org/stalin-dossier/documents/commentary-kim.html.`,
    );
  });

  it('omits the URL when the edition has no base URL', async function () {
    const noUrl = await loadCorpus(path.join(REPO_ROOT, 'tei'), { ...SEED_CONFIG, baseUrl: '' });
    const doc = noUrl.documents.find((d) => d.id === LETTER)!;
    assert.equal(cslRecord(doc, ctxOf(noUrl)).URL, undefined);
    assert.doesNotMatch(citationFor(doc, ctxOf(noUrl), 'chicago'), /https?:/);
  });
});

describe('cite: shelfmarks', function () {
  const source = (over: Partial<SourceInfo>): SourceInfo => ({
    hasMs: true, country: '', settlement: '', institution: '', repository: '', repositoryRef: '', collection: '',
    idnos: [], locus: '', locusFrom: '', locusTo: '', witnesses: 0, bibls: [], text: '', ...over,
  });
  it('builds f./op./d./ll. from idno types and the locus, ignoring the altIdentifier form', function () {
    const s = source({
      idnos: [{ type: 'fond', value: '558' }, { type: 'opis', value: '11' }, { type: 'delo', value: '62' }, { type: 'shelfmark', value: 'fond 558, opis 11, delo 62' }],
      locus: 'listy 71-72', locusFrom: '71', locusTo: '72',
    });
    assert.equal(shelfmark(s), 'f. 558, op. 11, d. 62, ll. 71–72');
    assert.equal(shelfmark({ ...s, locusTo: '71' }), 'f. 558, op. 11, d. 62, l. 71');
  });
  it('keeps a western shelfmark as given; never a handle or URI', function () {
    assert.equal(shelfmark(source({ idnos: [{ type: 'handle', value: 'https://hdl.handle.net/x' }, { type: '', value: 'Schnitzler, B 68' }] })), 'Schnitzler, B 68');
    assert.equal(shelfmark(source({ idnos: [{ type: 'URI', value: 'https://x' }] })), '');
  });
});

/** Deep equality regardless of key order. */
function sameRecord(actual: CslItem, expected: CslItem, label: string): void {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  assert.deepEqual(canon(actual), canon(expected), label);
}

function roundTrip(items: CslItem[]): void {
  for (const [format, write] of [['csl-json', toCslJson], ['biblatex', toBibLaTeX], ['ris', toRis]] as const) {
    const back = readBack(format, write(items));
    assert.equal(back.length, items.length, `${format}: number of records`);
    items.forEach((item, i) => sameRecord(back[i]!, item, `${format} round trip of ${item.id}`));
  }
}

describe('cite: exports read back by citation-js with every field', function () {
  this.timeout(120_000);

  it('every seed document and the edition record', function () {
    const items = [editionRecord(seed.config), ...seed.documents.map((d) => cslRecord(d, ctxOf(seed)))];
    assert.ok(items.some((i) => i.recipient && i.archive_location && i.translator), 'the seed has an archival letter');
    roundTrip(items);
  });

  it('citation-js’s own import of the exports agrees on the standard fields', function () {
    const item = cslRecord(letter(), ctxOf(seed));
    const { Cite } = citationJs();
    for (const text of [toBibLaTeX([item]), toBibTeX([item]), toRis([item])]) {
      const [parsed] = new Cite(text).data;
      assert.equal(parsed!.title, item.title);
      assert.deepEqual(parsed!.author, [{ family: 'Stalin', given: 'Joseph' }]);
      assert.deepEqual((parsed!.issued as { 'date-parts': number[][] })['date-parts'][0]![0], 1950);
    }
    // RIS: TY MANSCPT, A4 translator, AN shelfmark, DB archive.
    const ris = toRis([item]);
    for (const line of ['TY  - MANSCPT', 'A4  - Goldberg, Gary', 'AN  - f. 558, op. 11, d. 62, ll. 71–72', 'DB  - RGASPI', 'A2  - Gottwald, Klement']) {
      assert.ok(ris.split('\n').includes(line), `RIS has "${line}"`);
    }
    assert.match(toBibLaTeX([item]), /^\tlibrary = \{RGASPI, f\. 558, op\. 11, d\. 62, ll\. 71–72\},$/m);
  });

  it('Schnitzler letters (date ranges, comma names, western shelfmarks)', async function () {
    if (!hasSchnitzler()) this.skip(); // ../shared/corpora/schnitzler-briefe is absent
    const tmp = await import('node:fs/promises');
    const os = await import('node:os');
    // A small sample (10 letters + the indices) keeps this quick; the build tests cover all 295.
    const dir = await tmp.mkdtemp(path.join(os.tmpdir(), 'cite-sb-'));
    await tmp.cp(path.join(SCHNITZLER_CORPUS, 'indices'), path.join(dir, 'indices'), { recursive: true });
    const letters = (await tmp.readdir(path.join(SCHNITZLER_CORPUS, 'letters'))).sort().slice(0, 10);
    await tmp.mkdir(path.join(dir, 'letters'));
    for (const f of letters) await tmp.copyFile(path.join(SCHNITZLER_CORPUS, 'letters', f), path.join(dir, 'letters', f));
    try {
      const sb = await loadCorpus(dir, { title: 'Arthur Schnitzler: Briefwechsel', editors: ['Müller, Martin Anton'], baseUrl: 'https://example.org/sb/' });
      const items = sb.documents.map((d) => cslRecord(d, ctxOf(sb)));
      assert.equal(items.length, 10);
      const first = items.find((i) => i.id === 'L00001')!;
      assert.deepEqual(first.author, [{ given: 'Fedor', family: 'Mamroth' }]);
      assert.equal(first.archive_location, 'Schnitzler, B\u00a068'); // the TEI has a no-break space
      assert.equal(first['archive-place'], 'Cambridge, GB');
      roundTrip(items);
    } finally {
      await tmp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cite: command line', function () {
  this.timeout(120_000);
  it('prints a paragraph citation and fails on an unknown paragraph', async function () {
    const run = promisify(execFile);
    const cli = path.join(REPO_ROOT, 'src', 'cli.ts');
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const { stdout } = await run(tsx, [cli, 'cite', `${LETTER}#5`, '--style', 'chicago-short', '--corpus', path.join(REPO_ROOT, 'tei')], { cwd: REPO_ROOT });
    assert.equal(stdout, 'Stalin to Gottwald, 27 August 1950, para. 5.\n');
    await assert.rejects(run(tsx, [cli, 'cite', `${LETTER}#99`, '--corpus', path.join(REPO_ROOT, 'tei')], { cwd: REPO_ROOT }), (e: { code?: number; stderr?: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr ?? '', /has no paragraph "99"/);
      return true;
    });
  });
});

/**
 * What citation-js gives (`new Cite(record).format(…)`, the implementation before
 * issue 9): the oracle for the engine kept per style.
 */
function viaCitationJs(item: CslItem, style: CiteStyle, config: Corpus['config'], passage?: PassageRef): string {
  const { Cite } = citationJs();
  const record = passage ? passageRecord(item, config, passage) : item;
  const entry = { id: record.id, ...(passage ? passageLocator(passage) : {}) };
  const opts = (template: string) => ({ template, lang: 'en-US', format: 'text' });
  const note = (template: string) => new Cite(record).format('citation', { ...opts(template), entry: [entry] }).trim();
  const ref = (template: string) => new Cite(record).format('bibliography', opts(template)).trim();
  switch (style) {
    case 'chicago':
      return note(STYLE_TEMPLATES['chicago-fullnote']);
    case 'chicago-short':
      return note(STYLE_TEMPLATES['chicago-short']);
    case 'chicago-bib':
      return ref(STYLE_TEMPLATES['chicago-fullnote']);
    case 'mla':
    case 'apa':
      return passage ? `${ref(STYLE_TEMPLATES[style])}\n${note(STYLE_TEMPLATES[style])}` : ref(STYLE_TEMPLATES[style]);
    default:
      throw new Error(style);
  }
}

describe('cite: one citeproc engine per style, every call independent (issue 9)', function () {
  this.timeout(180_000);
  const CSL_STYLES: CiteStyle[] = ['chicago', 'chicago-short', 'chicago-bib', 'mla', 'apa'];
  let serial = 0;
  /** The seed letter's record under a new id and URL, so no memo from an earlier test answers. */
  const fresh = (over: Partial<CslItem> = {}): CslItem => {
    const id = `issue9-${++serial}`;
    return { ...cslRecord(letter(), ctxOf(seed)), id, URL: `https://example.org/stalin-dossier/documents/${id}.html`, ...over };
  };

  it('engines are built without the styles\' sort keys (one item a call: nothing to sort), the rest of each style kept', function () {
    const csl = citationJs().plugins.config.get('@csl');
    const count = (xml: string, re: RegExp) => (xml.match(re) ?? []).length;
    for (const template of Object.values(STYLE_TEMPLATES)) {
      const xml = csl.styles.get(template)!;
      const stripped = withoutSortKeys(xml);
      assert.ok(count(xml, /<sort\b/g) >= 1, `${template} has sort keys to strip`);
      assert.equal(count(stripped, /<sort\b|<\/sort>|<key\b/g), 0, template);
      for (const kept of [/<macro\b/g, /<text\b/g, /<citation\b/g, /<bibliography\b/g, /<layout\b/g, /<\/style>/g]) {
        assert.equal(count(stripped, kept), count(xml, kept), `${template}: ${kept.source}`);
      }
      assert.equal(withoutSortKeys(stripped), stripped);
    }
    // A self-closing or attributed sort, and text around it, as a style could write them.
    assert.equal(withoutSortKeys('<citation><sort/><layout/></citation><bibliography><sort id="s">\n<key variable="title"/></sort ><layout/></bibliography>'), '<citation><layout/></citation><bibliography><layout/></bibliography>');
  });

  it('A, B, A again on the shared engines: each as a fresh engine gives it (no disambiguation against B, no ibid, no stale A)', function () {
    const a = fresh();
    // Same family name and year: registered together, APA would disambiguate ("J. Stalin", 1950a/b).
    const b: CslItem = { ...a, id: `${a.id}-b`, author: [{ given: 'Iosif', family: 'Stalin' }], title: 'Another letter, 1950' };
    // Same id as A, other data: must not come out as A.
    const a2: CslItem = { ...a, archive_location: 'f. 17, op. 3, d. 1', recipient: [{ given: 'Kim', family: 'Il Sung' }] };
    const cite = { locator: '5', label: 'paragraph' };
    for (const template of Object.values(STYLE_TEMPLATES)) {
      const shared = styleEngine(template, 'en-US');
      const firstNote = shared.note(a, cite);
      const firstRef = shared.reference(a);
      const sequence = [b, a2, a, b, a, a2].map((item) => [shared.note(item, cite), shared.reference(item), shared.note(item)]);
      const freshOf = (item: CslItem) => {
        const engine = new StyleEngine(template, 'en-US');
        return [engine.note(item, cite), engine.reference(item), engine.note(item)];
      };
      const [fa, fb, fa2] = [freshOf(a), freshOf(b), freshOf(a2)];
      assert.deepEqual([firstNote, firstRef], fa.slice(0, 2), `${template}: A`);
      assert.deepEqual(sequence, [fb, fa2, fa, fb, fa, fa2], `${template}: B, A′, A, B, A, A′`);
      assert.notDeepEqual(fa, fa2, `${template}: A′ differs from A`);
    }
  });

  it('formatCitation gives what citation-js gave, in any order (seed letter, commentary, a namesake)', function () {
    const a = fresh();
    const namesake = fresh({ author: [{ given: 'Vasily', family: 'Stalin' }] });
    const kim = cslRecord(seed.documents.find((d) => d.id === 'commentary-kim')!, ctxOf(seed));
    const cases: [CslItem, CiteStyle, PassageRef | undefined][] = [];
    for (const item of [a, namesake, kim]) {
      for (const style of CSL_STYLES) for (const passage of [undefined, { id: 'par-3', n: 3 }]) cases.push([item, style, passage]);
    }
    const expected = cases.map(([item, style, passage]) => viaCitationJs(item, style, seed.config, passage));
    // Reversed and interleaved: the order of calls must not matter.
    const order = cases.map((_, i) => i).sort((x, y) => ((x * 7) % cases.length) - ((y * 7) % cases.length));
    const got = new Map(order.map((i) => [i, formatCitation(cases[i]![0], cases[i]![1], seed.config, cases[i]![2])]));
    cases.forEach(([item, style, passage], i) => assert.equal(got.get(i), expected[i], `${item.id} ${style} ${passage?.id ?? ''}`));
  });

  it('paragraph citations: every ¶ of a document comes out as citeproc renders it, odd fragment ids too', function () {
    const passages: PassageRef[] = [
      { id: 'p1', n: 1 }, { id: 'letter-1950-08-27-p4', n: 5 }, { id: 'par_10', n: 10 }, { id: 'a.b', n: 99 },
      { id: 'ends-with-dot.', n: 100 }, { id: 'é-1', n: 1234 }, { id: 'x', n: 0 },
    ];
    // The third record's title holds the template's number sentinel: templates must not be used for it.
    for (const item of [fresh(), fresh({ archive_location: 'f. 8642097531' }), fresh({ title: 'zQxPassageSentinelQz' })]) {
      for (const style of ['chicago', 'chicago-short', 'mla', 'apa'] as CiteStyle[]) {
        for (const p of passages) assert.equal(formatCitation(item, style, seed.config, p), viaCitationJs(item, style, seed.config, p), `${item.id} ${style} ${p.id}`);
      }
    }
  });

  it('renders a page’s paragraph notes with two citeproc calls, and a repeated citation with none', function () {
    const calls = { note: 0, reference: 0 };
    const proto = StyleEngine.prototype;
    const [note, reference] = [proto.note, proto.reference];
    proto.note = function (this: StyleEngine, ...args: Parameters<typeof note>) {
      calls.note++;
      return note.apply(this, args);
    };
    proto.reference = function (this: StyleEngine, ...args: Parameters<typeof reference>) {
      calls.reference++;
      return reference.apply(this, args);
    };
    try {
      const item = fresh();
      const texts = Array.from({ length: 20 }, (_, i) => formatCitation(item, 'chicago', seed.config, { id: `${item.id}-p${i + 1}`, n: i + 1 }));
      assert.equal(calls.note, 2, 'one note with sentinels, one real note to check it against');
      assert.equal(new Set(texts).size, 20);
      assert.match(texts[12]!, /, para\. 13, https:\/\/example\.org\/stalin-dossier\/documents\/issue9-\d+\.html#issue9-\d+-p13\.$/);
      formatCitation(item, 'apa', seed.config);
      formatCitation(item, 'apa', seed.config);
      formatCitation(item, 'chicago', seed.config, { id: `${item.id}-p7`, n: 7 });
      assert.deepEqual(calls, { note: 2, reference: 1 });
    } finally {
      proto.note = note;
      proto.reference = reference;
    }
  });
});
