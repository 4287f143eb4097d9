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
import { cslRecord, editionRecord, findPassage, shelfmark } from '../src/cite/csl.js';
import { readBack, toBibLaTeX, toBibTeX, toCslJson, toRis } from '../src/cite/exports.js';
import { citationJs, type CslItem } from '../src/cite/styles.js';
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
