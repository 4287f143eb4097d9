/**
 * Golden tests: one fixture per TEI element family (test/fixtures/golden/<case>/input.xml)
 * built through the real pipeline; the document's <article> (normalised) and its plain
 * text are compared with expected.html / expected.txt, and the diagnostics with
 * expected-messages.txt. `UPDATE=1 npx mocha test/golden.test.ts` rewrites expectations.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { build } from '../src/pipeline.js';
import { formatLine } from '../src/diagnostics.js';
import { findElement, normaliseHtml, parseHtml } from './helpers/html.js';
import { REPO } from './helpers/shared.js';

const FIXTURES = path.join(REPO, 'test', 'fixtures', 'golden');
const UPDATE = process.env.UPDATE === '1';

describe('golden fixtures (one per element family)', function () {
  let work: string;
  const cases = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-golden-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('has a fixture for every element family', () => {
    for (const family of ['textstructure', 'letters', 'transcription', 'namesdates', 'notes', 'linking', 'bibl', 'unknown']) {
      assert.ok(cases.includes(family), `missing golden fixture ${family}`);
    }
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(FIXTURES, name);
      const corpus = path.join(work, name, 'corpus');
      await cp(path.join(dir, 'input.xml'), path.join(corpus, `${name}.xml`), { recursive: true });
      const out = path.join(work, name, 'out');
      const result = await build({ corpus, out, jobs: 1, only: ['html', 'text'], validate: false });
      const messages = result.messages.map((m) => formatLine(m).replace(m.file ?? '', path.basename(m.file ?? ''))).join('\n') + '\n';
      const page = await readFile(path.join(out, 'documents', `${name}.html`), 'utf8');
      const article = findElement(parseHtml(page), (e) => e.tagName === 'article');
      assert.ok(article, 'the document page has an <article>');
      const html = normaliseHtml(toHtml(article));
      const text = await readFile(path.join(out, 'text', `${name}.txt`), 'utf8');
      const expected = { html: path.join(dir, 'expected.html'), text: path.join(dir, 'expected.txt'), messages: path.join(dir, 'expected-messages.txt') };
      if (UPDATE || !existsSync(expected.html)) {
        if (!UPDATE) assert.fail(`no expected output for ${name}: run UPDATE=1 npx mocha test/golden.test.ts and review the files`);
        await writeFile(expected.html, html);
        await writeFile(expected.text, text);
        await writeFile(expected.messages, messages);
        return;
      }
      assert.equal(html, normaliseHtml(await readFile(expected.html, 'utf8')), `${name}: HTML differs from expected.html`);
      assert.equal(text, await readFile(expected.text, 'utf8'), `${name}: text differs from expected.txt`);
      assert.equal(messages, await readFile(expected.messages, 'utf8'), `${name}: diagnostics differ`);
      // Re-parsing the output gives the same tree: the HTML is stable.
      assert.equal(normaliseHtml(html), html);
    });
  }
});

