import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatLine, toJson, type VFileMessage } from '../src/diagnostics.js';
import { validatePaths } from '../src/validate/index.js';
import { loadSchema } from '../src/validate/rng/schema.js';
import { validateRng } from '../src/validate/rng/validator.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIX = path.join(ROOT, 'test/fixtures/validate');
const TEI_ALL = path.resolve(ROOT, '../shared/schemas/tei_all.rng');
const SCHNITZLER = path.resolve(ROOT, '../shared/corpora/schnitzler-briefe/letters');

/** `file:line:col rule-id` with the file relative to the fixture directory. */
function located(messages: VFileMessage[], base: string, filter: (m: VFileMessage) => boolean = () => true): string[] {
  return messages.filter(filter).map((m) => `${path.relative(base, path.resolve(m.file ?? ''))}:${m.line}:${m.column} ${m.ruleId}`);
}

async function run(dir: string, paths: string[] = [dir], extra: Partial<Parameters<typeof validatePaths>[1]> = {}) {
  return validatePaths(paths, { corpusDir: dir, ...extra });
}

describe('validate — layer 1: hostile and broken files', () => {
  const dir = path.join(FIX, 'hostile');
  const cases: [string, string, string][] = [
    ['bomb.xml', '2:1', 'xml-entity-expansion'],
    ['empty.xml', '1:1', 'xml-empty'],
    ['p4.xml', '1:1', 'tei-p4'],
    ['random.xml', '1:1', 'xml-encoding'],
    ['xxe-file.xml', '3:3', 'xml-external-entity'],
    ['xxe-http.xml', '3:3', 'xml-external-entity'],
  ];
  for (const [file, at, rule] of cases) {
    it(`${file}: one located error ${rule}`, async () => {
      const { messages } = await run(dir, [path.join(dir, file)]);
      assert.deepEqual(located(messages, dir), [`${file}:${at} ${rule}`]);
    });
  }
  it('UTF-16 with BOM is decoded and validated (only the planted schema error)', async () => {
    const { messages } = await run(dir, [path.join(dir, 'utf16.xml')]);
    assert.deepEqual(located(messages, dir), ['utf16.xml:4:29 schema-element-not-allowed']);
  });
  it('20 000 nested elements: one xml-too-deep error, no crash', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'te-deep-'));
    try {
      writeFileSync(path.join(tmp, 'deep.xml'), '<TEI xmlns="http://www.tei-c.org/ns/1.0">' + '<hi>'.repeat(20000) + '</hi>'.repeat(20000) + '</TEI>');
      const { messages } = await run(tmp);
      // The default limit is 256 levels: the 257th start tag (after the 42-character <TEI …> and 256 <hi>) is reported.
      assert.deepEqual(located(messages, tmp), ['deep.xml:1:1066 xml-too-deep']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
  it('external entities are never resolved (no file content leaks into messages)', async () => {
    const { messages } = await run(dir, [path.join(dir, 'xxe-file.xml')]);
    assert.ok(!messages.some((m) => m.reason.includes('root:')));
  });
});

describe('validate — layer 2: RELAX NG', () => {
  const dir = path.join(FIX, 'schema');
  it('reports every schema error of a file at once, located, with what was expected', async () => {
    const { messages } = await run(dir, [path.join(dir, 'errors.xml')], { layers: { rules: false, coherence: false } });
    assert.deepEqual(located(messages, dir), [
      'errors.xml:2:96 schema-foreign-attribute',
      'errors.xml:6:12 schema-element-not-allowed',
      'errors.xml:7:19 schema-attribute-not-allowed',
      'errors.xml:8:27 schema-incomplete-content',
      'errors.xml:9:11 schema-text-not-allowed',
      'errors.xml:10:7 schema-element-not-allowed',
      'errors.xml:10:13 schema-attribute-value',
    ]);
    const foreign = messages[0]!;
    assert.equal(foreign.fatal, false, 'xsi:schemaLocation is a warning by default');
    const bogus = toJson(messages[1]!);
    assert.equal(bogus.message, 'element <bogus> not allowed in <p>');
    assert.ok(bogus.expected?.includes('end of element') && bogus.expected.includes('<abbr>'));
    assert.equal(messages[2]!.reason, 'attribute @colour not allowed on <p>');
    assert.deepEqual(toJson(messages[6]!).expected?.slice(0, 2), ['date', 'gYear']);
    assert.match(formatLine(messages[3]!), /<list> is incomplete/);
  });
  it('--strict turns the foreign-attribute warning into an error', async () => {
    const { messages } = await run(dir, [path.join(dir, 'errors.xml')], { strict: true, layers: { rules: false, coherence: false } });
    assert.equal(messages.find((m) => m.ruleId === 'schema-foreign-attribute')?.fatal, true);
  });
  it('a valid document gives no message', async () => {
    const { messages } = await run(dir, [path.join(dir, 'valid.xml')]);
    assert.deepEqual(messages.map(formatLine), []);
  });
  it('a 5 000-entry listPerson validates (linear, not cubic)', () => {
    const people = Array.from({ length: 5000 }, (_, i) => `<person xml:id="p${i}"><persName><forename>A</forename> <surname>B${i}</surname></persName><birth when="1900-01-01"/></person>`).join('\n');
    const text = `<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader><text><body><listPerson>\n${people}\n</listPerson></body></text></TEI>`;
    const schema = loadSchema(path.join(ROOT, 'schema/tei-edition.rng'));
    assert.deepEqual(validateRng(text, 'persons.xml', schema).map(formatLine), []);
  });
});

describe('validate — layer 3: Schematron project rules', () => {
  const dir = path.join(FIX, 'rules');
  let messages: VFileMessage[] = [];
  before(async () => {
    ({ messages } = await run(dir, [dir], { registerIds: new Set(['reg1']), layers: { schema: false, coherence: false } }));
  });
  const expected: Record<string, string[]> = {
    'ref-unresolved.xml': ['ref-unresolved.xml:6:68 ref-unresolved', 'ref-unresolved.xml:6:101 ref-unresolved'],
    'id-duplicate.xml': ['id-duplicate.xml:7:7 id-duplicate'],
    'date-invalid.xml': ['date-invalid.xml:6:16 date-invalid', 'date-invalid.xml:6:49 date-invalid'],
    'date-range.xml': ['date-range.xml:6:10 date-range', 'date-range.xml:6:61 date-range'],
    'ms.xml': ['ms.xml:3:126 ms-repository', 'ms.xml:3:126 ms-shelfmark'],
    'letter.xml': ['letter.xml:2:1 letter-recipient', 'letter.xml:3:163 corresp-sent-once', 'letter.xml:3:203 corresp-date-dateline'],
    'notes.xml': ['notes.xml:6:34 anchor-without-note', 'notes.xml:8:13 note-without-anchor'],
    'p-empty.xml': ['p-empty.xml:6:7 p-empty'],
  };
  for (const [file, want] of Object.entries(expected)) {
    it(file, () => {
      assert.deepEqual(located(messages, dir, (m) => m.file?.endsWith(file) ?? false), want);
    });
  }
  it('messages explain the problem', () => {
    const m = messages.find((x) => x.ruleId === 'ref-unresolved')!;
    assert.equal(m.reason, '@ref points to #nobody, which is neither in this document nor in the corpus registers');
    assert.equal(messages.find((x) => x.ruleId === 'p-empty')!.fatal, false);
    assert.equal(messages.find((x) => x.ruleId === 'corresp-date-dateline')!.fatal, false);
  });
});

describe('validate — layer 4: corpus coherence', () => {
  it('duplicate register ids, unreferenced entries, ambiguous names, date mismatch', async () => {
    const dir = path.join(FIX, 'coherence');
    const { messages } = await run(dir, [dir], { layers: { schema: false, rules: false } });
    assert.deepEqual(located(messages, dir), [
      'letter.xml:7:51 coherence-ambiguous-name',
      'letter.xml:10:25 coherence-date-mismatch',
      'registers/persons.xml:9:9 coherence-duplicate-register-id',
      'registers/persons.xml:10:9 coherence-unreferenced-entry',
    ]);
  });
});

describe('validate — the seed corpus tei/', () => {
  const dir = path.join(ROOT, 'tei');
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.xml')) : [];
  it('has at least 5 documents', () => {
    assert.ok(files.length >= 5, `tei/ has ${files.length} XML documents`);
  });
  for (const [name, schema] of [['tei_all', TEI_ALL], ['tei-edition.rng', undefined]] as const) {
    it(`every document is valid against ${name} and the project rules`, async function () {
      if (schema && !existsSync(schema)) this.skip();
      const { messages } = await run(dir, [dir], { schema, layers: { coherence: false } });
      assert.deepEqual(messages.filter((m) => m.fatal).map(formatLine), []);
    });
  }
});

describe('validate — same verdicts as jing on the Schnitzler letters (tei_all)', () => {
  it('each file: invalid per jing ⇔ invalid for us (strict); errors besides xsi:schemaLocation ⇔ ours besides schema-foreign-attribute', function () {
    if (!existsSync(SCHNITZLER) || !existsSync(TEI_ALL)) {
      console.log(`      (skipped: ${SCHNITZLER} or ${TEI_ALL} is absent)`);
      this.skip();
    }
    const verdicts = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/jing-verdicts.json'), 'utf8')) as {
      files: Record<string, { valid: boolean; other: number }>;
    };
    const schema = loadSchema(TEI_ALL);
    const mismatches: string[] = [];
    for (const [file, v] of Object.entries(verdicts.files)) {
      const msgs = validateRng(readFileSync(path.join(SCHNITZLER, file), 'utf8'), file, schema, { foreignAttributeSeverity: 'error' });
      const other = msgs.filter((m) => m.ruleId !== 'schema-foreign-attribute').length;
      if ((msgs.length === 0) !== v.valid || (other > 0) !== (v.other > 0)) mismatches.push(`${file}: jing ${v.other} other errors, ours ${other}`);
    }
    assert.equal(Object.keys(verdicts.files).length, 295);
    assert.deepEqual(mismatches, []);
  });
});
