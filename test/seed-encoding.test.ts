/**
 * Checks the TEI encoding of the seed dossier (tei/*.xml, tei/registers/*.xml)
 * against the seed text itself:
 *   1. every listed name form is tagged, with the right @ref, exactly as often
 *      as it occurs in the seed (and nothing else carries a register @ref);
 *   2. every @ref/@target/@source/@corresp/@resp resolves;
 *   3. the text of the five documents reproduces the seed word for word;
 *   4. xml:ids are unique, citation ids are regular, every register entry is used;
 *   plus page breaks, quotation sources and (if jing is installed) validity.
 *
 * Conventions tested here are documented in docs/encoding.md.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const seedPath = path.resolve(repoRoot, '..', 'shared', 'seed', '000_2f94f967ac8602dc.txt');
const schemaPath = path.resolve(repoRoot, '..', 'shared', 'schemas', 'tei_all.rng');
const teiDir = path.join(repoRoot, 'tei');
const registerDir = path.join(teiDir, 'registers');

/** The five documents, in the order of the dossier. */
const DOCS = ['intro', 'commentary-kim', 'commentary-stueck', 'letter-1950-08-27', 'commentators'];

// ---------------------------------------------------------------------------
// A small XML tree on top of fast-xml-parser (preserveOrder keeps mixed content)

interface El {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
}
type XNode = El | { text: string };

const isEl = (n: XNode): n is El => (n as El).name !== undefined;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  commentPropName: '#comment',
});

function convert(raw: unknown[]): XNode[] {
  const out: XNode[] = [];
  for (const item of raw as Record<string, unknown>[]) {
    for (const key of Object.keys(item)) {
      if (key === ':@') continue;
      if (key === '#text') out.push({ text: String(item[key]) });
      else if (key === '#comment' || key.startsWith('?')) continue;
      else
        out.push({
          name: key,
          attrs: (item[':@'] as Record<string, string>) ?? {},
          children: convert(item[key] as unknown[]),
        });
    }
  }
  return out;
}

function parseFile(file: string): El {
  const nodes = convert(parser.parse(fs.readFileSync(file, 'utf8')) as unknown[]);
  const root = nodes.find(isEl);
  assert.ok(root, `${file}: no root element`);
  return root;
}

function* walk(el: El): Generator<El> {
  yield el;
  for (const c of el.children) if (isEl(c)) yield* walk(c);
}

const child = (el: El, name: string): El | undefined =>
  el.children.find((c): c is El => isEl(c) && c.name === name);

/** Elements that start a new line of text (a space is put around them). */
const BLOCK = new Set([
  'p', 'head', 'item', 'label', 'list', 'titlePart', 'docTitle', 'byline', 'note',
  'opener', 'closer', 'signed', 'dateline', 'address', 'addrLine', 'div', 'body', 'front',
]);

/**
 * The text of an element as printed in the source: in <choice> only the
 * source form (sic/orig/abbr) is read; footnotes can be left out.
 */
function sourceText(node: XNode, opts: { skipFootnotes?: boolean } = {}): string {
  if (!isEl(node)) return node.text;
  if (node.name === 'choice') {
    const src = node.children.find((c): c is El => isEl(c) && ['sic', 'orig', 'abbr'].includes(c.name));
    return src ? sourceText(src, opts) : '';
  }
  if (opts.skipFootnotes && node.name === 'note' && node.attrs.place === 'foot') return ' ';
  const inner = node.children.map((c) => sourceText(c, opts)).join('');
  return BLOCK.has(node.name) ? ` ${inner} ` : inner;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------
// The seed

interface Seed {
  /** running text without footnotes, page layout and separators */
  main: string;
  /** footnote texts, in order */
  notes: string[];
  /** everything (main + notes), for counting name forms */
  all: string;
}

/** Joins lines; a line ending in a hyphen is joined to the next without a space (co-\nauthor). */
function joinLines(lines: string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (out === '') out = line;
    else if (/[\p{L}\p{N}]-$/u.test(out)) out += line;
    else out += ' ' + line;
  }
  return out;
}

function readSeed(): Seed {
  const lines = fs.readFileSync(seedPath, 'utf8').split(/\r?\n/);
  const isSeparator = (l: string) => /^\s*\*\s*\*\s*\*\s*$/.test(l);
  const isMarker = (l: string) => /^\d+$/.test(l.trim());
  // The footnote area starts at a line of (only) many spaces and ends at the next "* * *".
  const fnStart = lines.findIndex((l) => /^ {20,}$/.test(l));
  assert.ok(fnStart > 0, 'seed: footnote area not found');
  let fnEnd = lines.findIndex((l, i) => i > fnStart && isSeparator(l));
  if (fnEnd < 0) fnEnd = lines.length;
  const mainLines = lines.filter((l, i) => (i < fnStart || i >= fnEnd) && !isSeparator(l) && !isMarker(l));
  const notes: string[][] = [];
  for (const l of lines.slice(fnStart + 1, fnEnd)) {
    if (isMarker(l)) notes.push([]);
    else if (notes.length) notes[notes.length - 1].push(l);
  }
  const main = norm(joinLines(mainLines));
  const noteTexts = notes.map((n) => norm(joinLines(n)));
  return { main, notes: noteTexts, all: [main, ...noteTexts].join(' ') };
}

// ---------------------------------------------------------------------------
// Name forms: every surface form of every entity, with the context that
// separates it from longer forms ("Kim" vs "Kim Il Sung", "China" vs "new China").

interface Form {
  ref: string;
  form: string;
  /** the form does not count when the seed has one of these just before it */
  notBefore?: string[];
  /** … or just after it */
  notAfter?: string[];
  /**
   * For forms shared by several entities ("Kim"): how many of the seed's
   * occurrences belong to this entity. The expectations of one form must add
   * up to the seed count.
   */
  expected?: number;
}

const FORMS: Form[] = [
  // persons
  { ref: 'stalin', form: 'Stalin', notBefore: ['Joseph '] },
  { ref: 'stalin', form: 'Joseph Stalin' },
  { ref: 'stalin', form: 'Filipov' },
  { ref: 'stalin', form: 'FILIPPOV' },
  { ref: 'stalin', form: 'the Soviet leader' },
  { ref: 'stalin', form: 'the Soviet ruler' },
  { ref: 'stalin', form: 'the Vozhd' },
  { ref: 'gottwald', form: 'Gottwald', notBefore: ['Klement ', 'Comrade '] },
  { ref: 'gottwald', form: 'Klement Gottwald' },
  { ref: 'gottwald', form: 'Comrade Gottwald' },
  { ref: 'gottwald', form: 'a nervous ally' },
  { ref: 'kim-il-sung', form: 'Kim Il Sung' },
  { ref: 'kim-il-sung', form: 'the North Korean leader' },
  { ref: 'kim-il-sung', form: 'Kim', notBefore: ['Donggil '], notAfter: [' Il Sung'], expected: 1 },
  { ref: 'kim-donggil', form: 'Kim', notBefore: ['Donggil '], notAfter: [' Il Sung'], expected: 3 },
  { ref: 'kim-donggil', form: 'Donggil Kim' },
  { ref: 'stueck', form: 'William Stueck', notAfter: [' Jr.'] },
  { ref: 'stueck', form: 'William Stueck Jr.' },
  { ref: 'stueck', form: 'Stueck', notBefore: ['William ', 'Dr. '] },
  { ref: 'stueck', form: 'Dr. Stueck' },
  { ref: 'acheson', form: 'Dean Acheson' },
  { ref: 'ledovskii', form: 'Andrei Ledovskii' },
  { ref: 'ledovskii', form: 'Ledovskii, Andrei' },
  { ref: 'goldberg', form: 'Gary Goldberg' },
  { ref: 'bajanov', form: 'Bajanov, Evgueni' },
  { ref: 'weathersby', form: 'Weathersby, Kathryn' },
  { ref: 'mao', form: 'Mao Tsedunh' },
  { ref: 'soviet-ambassador-prague', form: 'Soviet Ambassador' },
  // places and polities
  { ref: 'usa', form: 'United States', notAfter: [' of America'] },
  { ref: 'usa', form: 'United States of America' },
  { ref: 'usa', form: 'America', notBefore: ['States of '] },
  { ref: 'usa', form: 'US', notAfter: [' Air Force'] },
  { ref: 'usa', form: 'U.S.' },
  { ref: 'usa', form: 'Washington' },
  { ref: 'usa', form: 'the American government' },
  { ref: 'usa', form: 'American government', notBefore: ['the '] },
  { ref: 'soviet-union', form: 'Soviet Union' },
  { ref: 'soviet-union', form: 'USSR' },
  { ref: 'china', form: 'China', notBefore: ['new ', 'Republic of '] },
  { ref: 'prc', form: 'People’s Republic of China' },
  { ref: 'prc', form: 'the new China' },
  { ref: 'czechoslovakia', form: 'CSSR' },
  { ref: 'korea', form: 'Korea', notBefore: ['North ', 'South '] },
  { ref: 'korean-peninsula', form: 'Korean Peninsula' },
  { ref: 'korean-peninsula', form: 'Peninsula', notBefore: ['Korean '] },
  { ref: 'korean-peninsula', form: 'peninsula' },
  { ref: 'north-korea', form: 'North Korea' },
  { ref: 'south-korea', form: 'South Korea' },
  { ref: 'busan-perimeter', form: 'Busan [Pusan] Perimeter' },
  { ref: 'prague', form: 'Prague' },
  { ref: 'moscow', form: 'Moscow' },
  { ref: 'beijing', form: 'Beijing', notAfter: [' University'] },
  { ref: 'princeton', form: 'Princeton' },
  { ref: 'taiwan', form: 'Taiwan' },
  { ref: 'indochina', form: 'Indochina' },
  { ref: 'japan', form: 'Japan' },
  { ref: 'europe', form: 'Europe' },
  { ref: 'europe', form: 'that continent' },
  { ref: 'europe', form: 'the European theater' },
  { ref: 'asia', form: 'Asia' },
  { ref: 'far-east', form: 'Far East' },
  { ref: 'pacific', form: 'Pacific', notBefore: ['western '] },
  { ref: 'western-pacific', form: 'western Pacific' },
  { ref: 'west', form: 'West' },
  // organisations
  { ref: 'unsc', form: 'United Nations Security Council' },
  { ref: 'unsc', form: 'UN Security Council' },
  { ref: 'unsc', form: 'UNSC' },
  { ref: 'unsc', form: 'Security Council', notBefore: ['UN ', 'Nations '] },
  { ref: 'unsc', form: 'that body' },
  { ref: 'un', form: 'United Nations', notAfter: [' Security Council'] },
  { ref: 'un', form: 'UN', notAfter: [' Security Council'] },
  { ref: 'un', form: 'the international organization' },
  { ref: 'nato', form: 'NATO' },
  { ref: 'guomindang', form: 'Guomindang' },
  { ref: 'us-air-force', form: 'US Air Force' },
  { ref: 'nkidp', form: 'NKIDP' },
  { ref: 'cwihp', form: 'Cold War International History Project' },
  { ref: 'academy-of-korean-studies', form: 'Academy of Korean Studies' },
  { ref: 'peking-university', form: 'Peking University' },
  { ref: 'peking-university', form: 'Beijing University' },
  { ref: 'university-of-georgia', form: 'University of Georgia' },
  { ref: 'rgaspi', form: 'Russian State Archive of Socio-Political History' },
  { ref: 'rgaspi', form: 'RGASPI' },
  { ref: 'zhonggong-dangshi-chubanshe', form: 'Zhonggong dangshi chubanshe' },
  // events
  { ref: 'korean-war', form: 'Korean War' },
  { ref: 'korean-war', form: 'koreiskaia voina' },
  { ref: 'korean-war', form: 'Koreiskaia Voina' },
  { ref: 'berlin-blockade', form: 'Berlin blockade' },
  { ref: 'marshall-plan', form: 'Marshall Plan' },
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Occurrences of a form in the seed: whole words, case-sensitive, minus the excluded contexts. */
function countInSeed(text: string, f: Form): number {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(f.form)}(?![\\p{L}\\p{N}])`, 'gu');
  let n = 0;
  for (const m of text.matchAll(re)) {
    const before = text.slice(0, m.index);
    const after = text.slice(m.index! + m[0].length);
    if (f.notBefore?.some((b) => before.endsWith(b))) continue;
    if (f.notAfter?.some((a) => after.startsWith(a))) continue;
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------
// The corpus

interface Doc {
  id: string;
  file: string;
  root: El;
  ids: Set<string>;
  isRegister: boolean;
}

function loadCorpus(): Doc[] {
  const files = [
    ...fs.readdirSync(teiDir).filter((f) => f.endsWith('.xml')).map((f) => path.join(teiDir, f)),
    ...fs.readdirSync(registerDir).filter((f) => f.endsWith('.xml')).map((f) => path.join(registerDir, f)),
  ];
  return files.map((file) => {
    const root = parseFile(file);
    const ids = new Set<string>();
    for (const el of walk(root)) if (el.attrs['xml:id']) ids.add(el.attrs['xml:id']);
    const body = child(child(root, 'text') ?? root, 'body');
    const bodyEls = body ? body.children.filter(isEl) : [];
    const isRegister = bodyEls.length > 0 && bodyEls.every((e) => /^list[A-Z]/.test(e.name));
    return { id: root.attrs['xml:id'], file, root, ids, isRegister };
  });
}

const REF_ATTRS = ['ref', 'target', 'source', 'corresp', 'resp'];
const ENTRY = new Set(['person', 'place', 'org', 'event', 'biblStruct']);

// ---------------------------------------------------------------------------

describe('seed dossier encoding (tei/)', function () {
  let seed: Seed;
  let corpus: Doc[];
  let docs: Doc[];

  before(function () {
    if (!fs.existsSync(seedPath)) {
      console.log(`  [seed-encoding] seed not found at ${seedPath}: skipping`);
      this.skip();
    }
    seed = readSeed();
    corpus = loadCorpus();
    docs = DOCS.map((id) => {
      const d = corpus.find((c) => path.basename(c.file) === `${id}.xml`);
      assert.ok(d, `tei/${id}.xml is missing`);
      return d;
    });
  });

  it('has the five documents with root xml:id = file stem and xml:lang="en"', function () {
    for (const d of docs) {
      assert.equal(d.root.name, 'TEI');
      assert.equal(d.root.attrs.xmlns, 'http://www.tei-c.org/ns/1.0');
      assert.equal(d.id, path.basename(d.file, '.xml'));
      assert.equal(d.root.attrs['xml:lang'], 'en');
      assert.equal(d.isRegister, false, `${d.id} must not look like a register`);
    }
    const registers = corpus.filter((c) => c.isRegister).map((c) => path.basename(c.file));
    for (const r of ['persons.xml', 'places.xml', 'orgs.xml', 'bibliography.xml'])
      assert.ok(registers.includes(r), `register ${r} missing or not detected as register`);
  });

  it('tags every name form with the right @ref, as often as the seed has it', function () {
    // tagged mentions in the five texts (headers excluded)
    const tagged = new Map<string, number>();
    for (const d of docs) {
      const text = child(d.root, 'text')!;
      for (const el of walk(text)) {
        const ref = el.attrs.ref;
        if (!ref || !ref.startsWith('#')) continue;
        const key = `${ref.slice(1)}|${norm(sourceText(el))}`;
        tagged.set(key, (tagged.get(key) ?? 0) + 1);
      }
    }
    const problems: string[] = [];
    // forms shared by several entities must add up to the seed count
    const byForm = new Map<string, Form[]>();
    for (const f of FORMS) byForm.set(f.form, [...(byForm.get(f.form) ?? []), f]);
    for (const [form, fs_] of byForm) {
      if (fs_.length < 2) continue;
      const seedN = countInSeed(seed.all, fs_[0]);
      const sum = fs_.reduce((a, f) => a + (f.expected ?? NaN), 0);
      if (sum !== seedN) problems.push(`"${form}": expectations add up to ${sum}, seed has ${seedN}`);
    }
    for (const f of FORMS) {
      const seedN = countInSeed(seed.all, f);
      if (seedN === 0) problems.push(`"${f.form}" (#${f.ref}) does not occur in the seed`);
      const want = f.expected ?? seedN;
      const got = tagged.get(`${f.ref}|${f.form}`) ?? 0;
      if (got !== want) problems.push(`"${f.form}" → #${f.ref}: ${got} tagged, ${want} expected`);
    }
    // nothing may carry a register @ref with an unlisted form
    const listed = new Set(FORMS.map((f) => `${f.ref}|${f.form}`));
    for (const [key, n] of tagged)
      if (!listed.has(key)) problems.push(`unexpected tagging "${key.split('|')[1]}" → #${key.split('|')[0]} (${n}×)`);
    assert.deepEqual(problems, []);
  });

  it('resolves every @ref, @target, @source, @corresp and @resp', function () {
    const registerIds = new Set<string>();
    for (const c of corpus) if (c.isRegister) for (const id of c.ids) registerIds.add(id);
    const byFile = new Map(corpus.map((c) => [path.basename(c.file), c]));
    const problems: string[] = [];
    for (const c of corpus) {
      for (const el of walk(c.root)) {
        for (const a of REF_ATTRS) {
          if (!el.attrs[a]) continue;
          for (const tok of el.attrs[a].split(/\s+/).filter(Boolean)) {
            let ok = false;
            if (tok.startsWith('#')) ok = c.ids.has(tok.slice(1)) || registerIds.has(tok.slice(1));
            else {
              const m = /^([\w.-]+\.xml)#(.+)$/.exec(tok);
              ok = !!m && !!byFile.get(m[1])?.ids.has(m[2]);
            }
            if (!ok) problems.push(`${path.basename(c.file)}: <${el.name} ${a}="${tok}"> does not resolve`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('reproduces the seed word for word (running text and footnotes)', function () {
    const compare = (label: string, expected: string, actual: string) => {
      const e = expected.split(' ');
      const a = actual.split(' ');
      const n = Math.min(e.length, a.length);
      let i = 0;
      while (i < n && e[i] === a[i]) i++;
      if (i === e.length && i === a.length) return;
      assert.fail(
        `${label}: first divergence at word ${i + 1}\n` +
          `  seed: …${e.slice(Math.max(0, i - 8), i).join(' ')} [${e.slice(i, i + 8).join(' ')}]\n` +
          `  TEI:  …${a.slice(Math.max(0, i - 8), i).join(' ')} [${a.slice(i, i + 8).join(' ')}]`,
      );
    };
    const main = norm(docs.map((d) => sourceText(child(d.root, 'text')!, { skipFootnotes: true })).join(' '));
    compare('running text', seed.main, main);
    const notes: string[] = [];
    for (const d of docs)
      for (const el of walk(child(d.root, 'text')!))
        if (el.name === 'note' && el.attrs.place === 'foot') notes.push(norm(sourceText(el)));
    assert.equal(notes.length, seed.notes.length, 'number of footnotes');
    seed.notes.forEach((n, i) => compare(`footnote ${i + 1}`, n, notes[i]));
  });

  it('keeps the footnote numbers and places the notes in the introduction', function () {
    const intro = docs[0];
    const notes = [...walk(intro.root)].filter((e) => e.name === 'note' && e.attrs.place === 'foot');
    assert.deepEqual(
      notes.map((n) => [n.attrs.n, n.attrs['xml:id']]),
      [['1', 'intro-n1'], ['2', 'intro-n2']],
    );
    for (const n of notes) {
      const bibls = [...walk(n)].filter((e) => e.name === 'bibl');
      assert.ok(bibls.length > 0 && bibls.every((b) => b.attrs.corresp?.startsWith('#')), 'footnote bibls point to the bibliography');
    }
  });

  it('has unique xml:ids, regular citation ids, and uses every register entry', function () {
    const seen = new Map<string, string>();
    const dups: string[] = [];
    for (const c of corpus)
      for (const el of walk(c.root)) {
        const id = el.attrs['xml:id'];
        if (!id) continue;
        if (seen.has(id)) dups.push(`${id} (${seen.get(id)} and ${path.basename(c.file)})`);
        seen.set(id, path.basename(c.file));
      }
    assert.deepEqual(dups, [], 'duplicate xml:ids');

    // citation anchors: <docid>-<letter><n>, numbered 1, 2, 3 … per letter in document order
    const PREFIX: Record<string, string> = {
      p: 'p', note: 'n', quote: 'q', item: 'i', head: 'h', signed: 's', dateline: 'd',
    };
    const problems: string[] = [];
    for (const d of docs) {
      const counters = new Map<string, number>();
      const text = child(d.root, 'text')!;
      for (const el of walk(text)) {
        let letter = PREFIX[el.name];
        if (!letter && el.attrs['xml:id'] && /-o\d+$/.test(el.attrs['xml:id'])) letter = 'o';
        if (!letter) continue;
        const next = (counters.get(letter) ?? 0) + 1;
        counters.set(letter, next);
        const want = `${d.id}-${letter}${next}`;
        if (el.attrs['xml:id'] !== want) problems.push(`${d.id}: <${el.name}> has xml:id "${el.attrs['xml:id']}", expected "${want}"`);
      }
    }
    assert.deepEqual(problems, [], 'citation ids');

    // register entries: lowercase ascii hyphenated ids, each used from a document
    const used = new Set<string>();
    for (const d of corpus.filter((c) => !c.isRegister))
      for (const el of walk(d.root))
        for (const a of REF_ATTRS)
          for (const tok of (el.attrs[a] ?? '').split(/\s+/)) if (tok.startsWith('#')) used.add(tok.slice(1));
    const unused: string[] = [];
    for (const c of corpus.filter((x) => x.isRegister))
      for (const el of walk(c.root)) {
        if (!ENTRY.has(el.name)) continue;
        const id = el.attrs['xml:id'];
        assert.ok(id && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id), `${path.basename(c.file)}: bad entry id "${id}"`);
        if (!used.has(id)) unused.push(id);
      }
    assert.deepEqual(unused, [], 'register entries never referenced from a document');
  });

  it('records the six PDF pages once each, in order', function () {
    const pbs = docs.flatMap((d) => [...walk(child(d.root, 'text')!)].filter((e) => e.name === 'pb').map((e) => e.attrs.n));
    assert.deepEqual(pbs, ['1', '2', '3', '4', '5', '6']);
  });

  it('points each quotation of the letter at the paragraph that contains it', function () {
    const letter = docs[3];
    const paraText = new Map<string, string>();
    for (const el of walk(letter.root)) if (el.name === 'p' && el.attrs['xml:id']) paraText.set(el.attrs['xml:id'], norm(sourceText(el)));
    const quotes = [...walk(child(docs[1].root, 'text')!)].filter((e) => e.name === 'quote');
    assert.equal(quotes.length, 4);
    for (const q of quotes) {
      const m = /^letter-1950-08-27\.xml#(.+)$/.exec(q.attrs.source ?? '');
      assert.ok(m, `quote ${q.attrs['xml:id']} has no @source into the letter`);
      const target = paraText.get(m[1]);
      assert.ok(target, `${q.attrs.source} is not a paragraph of the letter`);
      // drop the quoting author's bracketed insertions, split at the ellipsis
      const fragments = norm(sourceText(q))
        .replace(/\[[^\]]*\]/g, '')
        .split('…')
        .map((s) => s.trim().replace(/[.,;:]$/, ''))
        .filter(Boolean);
      for (const f of fragments) assert.ok(target.includes(f), `${q.attrs['xml:id']}: "${f}" not in ${m[1]}`);
    }
  });

  it('is valid against tei_all.rng (when jing is installed)', function () {
    let jing = '';
    try {
      jing = execFileSync('sh', ['-c', 'command -v jing'], { encoding: 'utf8' }).trim();
    } catch {
      /* not installed */
    }
    if (!jing || !fs.existsSync(schemaPath)) {
      console.log('  [seed-encoding] jing or tei_all.rng not available: validity not checked');
      this.skip();
    }
    const files = corpus.map((c) => c.file);
    try {
      execFileSync(jing, [schemaPath, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stdout?: string };
      assert.fail(`jing reports errors:\n${err.stdout ?? String(e)}`);
    }
  });
});
