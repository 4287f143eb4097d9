/**
 * Issue 3: the plain-text edition of the seed reproduces the seed's wording
 * (allowing for layout). Every line of the seed must appear, word for word, in
 * the text edition (page furniture, ¶ numbers, note calls and page markers
 * removed). Where the encoding records an editorial correction
 * (choice/sic+corr, orig+reg), the text edition shows the corrected reading;
 * the test maps it back to the printed form recorded in the TEI.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from '../src/pipeline.js';
import { REPO, SEED_TEXT, skipUnless } from './helpers/shared.js';

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
/** The dossier's documents in the order of the seed. */
const DOCS = ['intro', 'commentary-kim', 'commentary-stueck', 'letter-1950-08-27', 'commentators'];

/**
 * Editorial corrections recorded in the TEI (choice: sic/corr, orig/reg), as
 * replacements to apply to the printed seed: printed form → reading shown in
 * the text edition. An insertion (empty sic) is located by the words around it.
 */
function corrections(): [printed: string, corrected: string][] {
  const pairs: [string, string][] = [];
  const strip = (x: string) => x.replace(/<[^>]+>/g, '');
  for (const id of DOCS) {
    const xml = readFileSync(path.join(REPO, 'tei', `${id}.xml`), 'utf8');
    for (const m of xml.matchAll(/<choice>([\s\S]*?)<\/choice>/g)) {
      const inner = m[1]!;
      const corr = /<(corr|reg|expan)\b[^>]*>([\s\S]*?)<\/\1>/.exec(inner);
      if (!corr) continue;
      const printed = /<(sic|orig|abbr)>([\s\S]*?)<\/\1>/.exec(inner);
      if (printed && strip(printed[2]!).trim()) {
        pairs.push([norm(strip(printed[2]!)), norm(strip(corr[2]!))]);
      } else {
        // Insertion: the words just before and after the choice, without markup.
        const before = strip(xml.slice(Math.max(0, m.index! - 300), m.index)).slice(-8);
        const after = strip(xml.slice(m.index! + m[0].length, m.index! + m[0].length + 300)).slice(0, 8);
        pairs.push([before + after, before + corr[2]! + after]);
      }
    }
  }
  return pairs;
}

describe('plain-text edition of the seed (issue 3)', function () {
  let out: string;
  let text = '';
  before(async function () {
    skipUnless(this, SEED_TEXT, 'the seed text');
    out = await mkdtemp(path.join(tmpdir(), 'tei-seed-text-'));
    const result = await build({ corpus: path.join(REPO, 'tei'), out, jobs: 1, only: ['text'], validate: false });
    assert.equal(result.documents, 5);
    const parts: string[] = [];
    for (const id of DOCS) {
      const raw = await readFile(path.join(out, 'text', `${id}.txt`), 'utf8');
      const body = raw.slice(raw.indexOf('\n\n'));
      parts.push(
        body
          .split('\n')
          .filter((l) => !/^[=-]{3,}$/.test(l)) // heading underlines
          .join('\n')
          .replace(/^¶\d+ /gm, '')
          .replace(/\[p\. \d+\]/g, ' ')
          .replace(/\[\d+\]/g, '')
          .replace(/^Notes$/m, ' '),
      );
    }
    text = norm(parts.join(' '));
  });
  after(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('contains every line of the seed, word for word', function () {
    const lines = readFileSync(SEED_TEXT, 'utf8')
      .split(/\r?\n/)
      .map(norm)
      .filter((l) => l && !/^(\* \* \*|\d+)$/.test(l));
    assert.ok(lines.length > 200, 'the seed has its lines');
    // Compare without white space (layout); apply the recorded corrections to the printed lines.
    const flat = text.replace(/\s+/g, '');
    const fixes = corrections();
    const missing = lines.filter((line) => {
      let l = line;
      for (const [printed, corrected] of fixes) l = l.split(printed).join(corrected);
      return !flat.includes(l.replace(/\s+/g, ''));
    });
    assert.deepEqual(missing, [], `lines of the seed not found in the text edition:\n${missing.join('\n')}`);
  });

  it('keeps typographic quotes, dashes and the footnotes', function () {
    for (const s of ['“to give the American', 'April 1950 – only after', 'Gottwald—a nervous ally—about', 'Tsedunh', '79-113']) {
      assert.ok(text.includes(s), `text edition has ${JSON.stringify(s)}`);
    }
  });
});
