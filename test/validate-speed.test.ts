/**
 * What makes `tei-edition validate` fast must not change what it reports:
 * one parse per file (the RELAX NG validator observes the load stage),
 * worker threads for many files, and the compiled-schema cache.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diagnostic, formatLine, formatWithFrame, splitSourceLines } from '../src/diagnostics.js';
import { frameLines } from '../src/validate/command.js';
import { checkFile } from '../src/validate/check.js';
import { validatePaths } from '../src/validate/index.js';
import { loadDocument } from '../src/stages/load.js';
import { loadSchema } from '../src/validate/rng/schema.js';
import { validateRng } from '../src/validate/rng/validator.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIX = path.join(ROOT, 'test/fixtures/validate');
const EDITION_RNG = path.join(ROOT, 'schema/tei-edition.rng');
const LOAD = { maxFileSize: 1e8, maxDepth: 256 };

describe('validate speed-ups report exactly what the plain validator reports', () => {
  let dir: string;
  before(() => {
    // A corpus of variations of the schema fixture (each with different errors) and valid and broken files.
    dir = mkdtempSync(path.join(tmpdir(), 'te-validate-speed-'));
    const errors = readFileSync(path.join(FIX, 'schema/errors.xml'), 'utf8');
    const valid = readFileSync(path.join(FIX, 'schema/valid.xml'), 'utf8');
    for (let i = 0; i < 12; i++) {
      writeFileSync(path.join(dir, `e${String(i).padStart(2, '0')}.xml`), errors.replace('<p>e</p>', `<p>e</p>${'<bogus/>'.repeat(i)}<p n="${i}" colour="c${i}">f</p>`));
    }
    writeFileSync(path.join(dir, 'valid.xml'), valid);
    writeFileSync(path.join(dir, 'broken.xml'), valid.replace('</TEI>', ''));
    writeFileSync(path.join(dir, 'entities.xml'), `<!DOCTYPE TEI [<!ENTITY who "<persName>Kim</persName>">]>\n` + valid.replace(/<p>([^<]*)<\/p>/, '<p>$1 &who; <wrong/></p>'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('one parse (validator observing load) = load, then validateRng on the loaded text', async () => {
    const schema = loadSchema(EDITION_RNG);
    for (const f of readdirSync(dir).sort()) {
      const file = path.join(dir, f);
      const { doc, schemaMessages } = await checkFile(file, f, LOAD, schema, { foreignAttributeSeverity: 'warning' });
      const plain = await loadDocument(file, f, LOAD);
      assert.deepEqual(doc.messages.map(formatLine), plain.messages.map(formatLine), f);
      assert.equal(doc.ok, plain.ok, f);
      if (!plain.ok) {
        assert.equal(schemaMessages, undefined, `${f}: no schema messages for a document that is not ok`);
        continue;
      }
      const expected = validateRng(plain.text, f, schema, { foreignAttributeSeverity: 'warning' });
      assert.ok(expected.length > 0 || f === 'valid.xml', `${f} has schema errors`);
      assert.deepEqual(schemaMessages!.map(formatLine), expected.map(formatLine), f);
      assert.deepEqual(schemaMessages!.map((m) => m.expected), expected.map((m) => m.expected), f);
    }
  });

  it('worker threads give the same messages, in the same order, as one thread', async () => {
    const run = (jobs: number) => validatePaths([dir], { corpusDir: dir, jobs, layers: { rules: false, coherence: false } });
    const one = await run(1);
    const three = await run(3);
    assert.equal(three.files, 15);
    assert.ok(one.messages.length > 50);
    assert.deepEqual(three.messages.map(formatLine), one.messages.map(formatLine));
    assert.deepEqual(three.messages.map((m) => [m.fatal, m.expected, m.source]), one.messages.map((m) => [m.fatal, m.expected, m.source]));
    assert.deepEqual([...three.sources], [...one.sources]);
  });
});

describe('validate: the compiled-schema cache', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'te-schema-cache-'));
    writeFileSync(
      path.join(dir, 'main.rng'),
      `<grammar xmlns="http://relaxng.org/ns/structure/1.0" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
         <include href="part.rng"/>
         <start><element name="TEI" ns="http://www.tei-c.org/ns/1.0"><oneOrMore><ref name="item"/></oneOrMore></element></start>
       </grammar>`,
    );
    writeFileSync(path.join(dir, 'doc.xml'), '<TEI xmlns="http://www.tei-c.org/ns/1.0"><item n="1"/><item n="x"/><other/></TEI>');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const part = (type: string) =>
    writeFileSync(
      path.join(dir, 'part.rng'),
      `<grammar xmlns="http://relaxng.org/ns/structure/1.0" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
         <define name="item"><element name="item" ns="http://www.tei-c.org/ns/1.0"><attribute name="n"><data type="${type}"/></attribute></element></define>
       </grammar>`,
    );
  /** Validates doc.xml in a fresh process (no in-memory schema) with its own cache folder. */
  const validate = (cache: string) => {
    const script = `import { validatePaths } from ${JSON.stringify(path.join(ROOT, 'src/validate/index.ts'))};
      import { formatLine } from ${JSON.stringify(path.join(ROOT, 'src/diagnostics.ts'))};
      const r = await validatePaths([${JSON.stringify(path.join(dir, 'doc.xml'))}], { corpusDir: ${JSON.stringify(dir)}, schema: 'main.rng', layers: { rules: false, coherence: false } });
      console.log(JSON.stringify(r.messages.map((m) => [formatLine(m), m.expected])));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, TEI_EDITION_CACHE: cache },
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as [string, string[] | undefined][];
  };

  it('is written on the first run, gives the same messages on the next, and is not used once an included file changed', () => {
    const cache = path.join(dir, 'cache');
    part('integer');
    const cold = validate(cache);
    const entries = readdirSync(path.join(cache, 'schemas'));
    assert.equal(entries.length, 1, 'one cached schema');
    assert.deepEqual(cold.map(([l]) => l.replace(/^.*doc\.xml/, 'doc.xml')), [
      'doc.xml:1:61  error  schema-attribute-value  invalid value "x" for attribute @n on <item> (expected integer)',
      'doc.xml:1:68  error  schema-element-not-allowed  element <other> not allowed in <TEI> (expected end of element, <item>)',
    ]);
    const warm = validate(cache);
    assert.deepEqual(warm, cold, 'the cached schema reports the same');
    assert.deepEqual(readdirSync(path.join(cache, 'schemas')), entries, 'the warm run used the entry');
    part('NCName'); // "x" is now a valid value, "1" is not
    const changed = validate(cache);
    assert.deepEqual(changed.map(([l]) => l.replace(/^.*doc\.xml/, 'doc.xml').split('  ').slice(0, 3).join('  ')), [
      'doc.xml:1:48  error  schema-attribute-value',
      'doc.xml:1:68  error  schema-element-not-allowed',
    ]);
  });
});

describe('validate: code frames from the lines taken out once per file', () => {
  it('frameLines holds the wanted lines of splitSourceLines, and frames are the same', () => {
    for (const text of ['', 'a', 'a\nb\n', 'a\r\nb\rc\n\nd', '\n\n\r\r\nx', 'l1\nl2\r\nl3\rl4\nl5']) {
      const all = splitSourceLines(text);
      for (let line = 1; line <= all.length; line++) {
        const wanted = new Set([line - 1, line, line + 1]);
        const some = frameLines(text, wanted);
        assert.equal(some.length, all.length, JSON.stringify(text));
        for (const l of wanted) if (l >= 1 && l <= all.length) assert.equal(some[l - 1], all[l - 1], `${JSON.stringify(text)} line ${l}`);
        const m = diagnostic('m', { file: 'f.xml', line, column: 2, ruleId: 'r' });
        assert.equal(formatWithFrame(m, some), formatWithFrame(m, text));
      }
    }
  });
});
