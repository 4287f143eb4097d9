/**
 * Property-based robustness (issue 10): real TEI (the seed letter, Schnitzler
 * letters) mutated by fast-check (elements deleted, duplicated, renamed;
 * attributes deleted or set to hostile values; truncation; entities; odd
 * characters). For every mutant, `validate` and `build` finish without an
 * uncaught exception, every message is located (file, line ≥ 1, column ≥ 1,
 * rule id), and every HTML page is free of script injection.
 *
 * FUZZ_RUNS (default 25) sets the number of mutants; `npm run fuzz` runs 5000.
 * FUZZ_SEED replays a failing run (fast-check prints the seed and path).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { VFileMessage } from 'vfile-message';
import { buildCacheDir } from '../src/cache.js';
import { build } from '../src/pipeline.js';
import { validatePaths } from '../src/validate/index.js';
import { REPO, htmlProblems, listFiles, tempDir } from './fixtures/hostile/corpus.js';
import { SCHNITZLER } from './helpers/shared.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

interface Tag { start: number; end: number; name: string; close: boolean; empty: boolean }

/** Start/end tags of a document (regex scan; comments, PIs, CDATA skipped). */
function tags(xml: string): Tag[] {
  const out: Tag[] = [];
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=>\/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (const m of xml.matchAll(re)) {
    if (!m[2]) continue;
    out.push({ start: m.index!, end: m.index! + m[0].length, name: m[2], close: m[1] === '/', empty: m[4] === '/' });
  }
  return out;
}

/** Elements as [start of start tag, end of end tag), matched with a stack; undefined if tags do not nest. */
function elements(xml: string): { start: number; end: number; name: string; tagEnd: number }[] | undefined {
  const stack: Tag[] = [];
  const out: { start: number; end: number; name: string; tagEnd: number }[] = [];
  for (const t of tags(xml)) {
    if (t.empty) out.push({ start: t.start, end: t.end, name: t.name, tagEnd: t.end });
    else if (!t.close) stack.push(t);
    else {
      const open = stack.pop();
      if (!open || open.name !== t.name) return undefined;
      out.push({ start: open.start, end: t.end, name: t.name, tagEnd: open.end });
    }
  }
  return out;
}

const HOSTILE_VALUES = [
  'javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd',
  '" onmouseover="alert(1)', "' onclick='alert(1)", '"><script>alert(1)</script>', '../../../../etc/passwd', '#', '',
  '#does-not-exist', 'https://example.org/"<>', '\u202Eevil', 'a'.repeat(3000), '&#x6A;avascript:alert(1)',
];
const NAMES = ['script', 'p', 'div', 'note', 'ref', 'hi', 'persName', 'xi:include', 'foo', 'html:script', 'svg', 'iframe', 'TEI', 'teiHeader', 'text', 'body'];
const ATTRS = ['target', 'url', 'facs', 'ref', 'xml:id', 'rend', 'n', 'when', 'onclick', 'style', 'href', 'xml:lang', 'corresp', 'style'];
const ODD = ['\u0000', '\u0001', '\uFFFE', '\uFEFF', '\uD800', '\u202E', '\u0301', ']]>', '<', '&', '&amp;', '&#0;', '&#xD800;', '<![CDATA[<script>alert(1)</script>]]>', '&lt;script&gt;alert(1)&lt;/script&gt;', '\r\n', '\t', '𝔗𝔈𝔍', '<?pi x?>', '<!-- -- -->'];
const DOCTYPES = [
  '<!DOCTYPE TEI [<!ENTITY e "entity text">]>',
  '<!DOCTYPE TEI [<!ENTITY e "<hi>markup</hi>">]>',
  '<!DOCTYPE TEI [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>',
  '<!DOCTYPE TEI [<!ENTITY e \'x" onclick="alert(1)\'>]>',
  '<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei.dtd">',
  '<!DOCTYPE TEI [<!ENTITY e "&e;">]>',
];

type Mutation = (xml: string) => string;
const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

const mutation: fc.Arbitrary<{ label: string; apply: Mutation }> = fc.oneof<fc.Arbitrary<{ label: string; apply: Mutation }>[]>(
  fc.nat().map((n) => ({
    label: `delete element #${n}`,
    apply: (x: string) => {
      const els = elements(x);
      if (!els?.length) return x;
      const e = pick(els, n);
      return x.slice(0, e.start) + x.slice(e.end);
    },
  })),
  fc.nat().map((n) => ({
    label: `duplicate element #${n}`,
    apply: (x: string) => {
      const els = elements(x);
      if (!els?.length) return x;
      const e = pick(els, n);
      return x.slice(0, e.end) + x.slice(e.start, e.end) + x.slice(e.end);
    },
  })),
  fc.tuple(fc.nat(), fc.nat()).map(([n, k]) => ({
    label: `rename element #${n} to ${pick(NAMES, k)}`,
    apply: (x: string) => {
      const els = elements(x);
      if (!els?.length) return x;
      const e = pick(els, n);
      const name = pick(NAMES, k);
      const inner = x.slice(e.start, e.end);
      const endTag = `</${e.name}>`;
      let renamed = `<${name}` + inner.slice(1 + e.name.length);
      if (renamed.endsWith(endTag)) renamed = renamed.slice(0, -endTag.length) + `</${name}>`;
      return x.slice(0, e.start) + renamed + x.slice(e.end);
    },
  })),
  fc.nat().map((n) => ({
    label: `delete attribute #${n}`,
    apply: (x: string) => {
      const attrs = [...x.matchAll(/\s[\w:.-]+\s*=\s*("[^"]*"|'[^']*')/g)];
      if (!attrs.length) return x;
      const a = pick(attrs, n);
      return x.slice(0, a.index!) + x.slice(a.index! + a[0].length);
    },
  })),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([n, k, v]) => ({
    label: `set attribute ${pick(ATTRS, k)} of element #${n} to ${JSON.stringify(pick(HOSTILE_VALUES, v).slice(0, 40))}`,
    apply: (x: string) => {
      const els = elements(x);
      if (!els?.length) return x;
      const e = pick(els, n);
      const name = pick(ATTRS, k);
      const value = pick(HOSTILE_VALUES, v).replace(/&(?!#)/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
      const tag = x.slice(e.start, e.tagEnd).replace(new RegExp(`\\s${name.replace('.', '\\.')}\\s*=\\s*("[^"]*"|'[^']*')`), '');
      const at = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
      return x.slice(0, e.start) + tag.slice(0, at) + ` ${name}="${value}"` + tag.slice(at) + x.slice(e.tagEnd);
    },
  })),
  fc.nat().map((n) => ({ label: `truncate at ${n}`, apply: (x: string) => x.slice(0, n % (x.length + 1)) })),
  fc.tuple(fc.nat(), fc.nat()).map(([d, n]) => ({
    label: `entity: ${pick(DOCTYPES, d).slice(0, 50)}`,
    apply: (x: string) => {
      const decl = /^\s*<\?xml[^>]*\?>/.exec(x)?.[0] ?? '';
      const body = x.slice(decl.length).replace(/<!DOCTYPE[^\[>]*(\[[\s\S]*?\])?\s*>/, '');
      const texts = [...body.matchAll(/>([^<]+)</g)];
      const t = texts.length ? pick(texts, n) : undefined;
      const at = t ? t.index! + 1 : body.length;
      return `${decl}\n${pick(DOCTYPES, d)}\n${body.slice(0, at)}&e;${body.slice(at)}`;
    },
  })),
  fc.tuple(fc.nat(), fc.nat()).map(([n, c]) => ({
    label: `insert ${JSON.stringify(pick(ODD, c))} at ${n}`,
    apply: (x: string) => {
      const texts = [...x.matchAll(/>([^<]+)</g)];
      const at = texts.length ? pick(texts, n).index! + 1 : n % (x.length + 1);
      return x.slice(0, at) + pick(ODD, c) + x.slice(at);
    },
  })),
  fc.nat().map((n) => ({
    label: `raw byte damage at ${n}`,
    apply: (x: string) => {
      const at = n % (x.length + 1);
      return x.slice(0, at) + '\uFFFD\u0080<' + x.slice(at + 3);
    },
  })),
).map((m) => Object.assign(m, { [fc.toStringMethod]: () => m.label }));

function assertLocated(messages: VFileMessage[], what: string): void {
  for (const m of messages) {
    const where = `${what}: ${m.file}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`;
    assert.ok(m.file, `no file: ${where}`);
    assert.ok(Number.isInteger(m.line) && m.line! >= 1, `no line: ${where}`);
    assert.ok(Number.isInteger(m.column) && m.column! >= 1, `no column: ${where}`);
    assert.ok(m.ruleId, `no rule id: ${where}`);
  }
}

describe(`fuzz: mutated TEI never crashes validate or build (${RUNS} runs)`, function () {
  this.timeout(Math.max(180_000, RUNS * 20_000));
  let work: string;
  let corpus: string;
  const seeds: { name: string; text: string }[] = [];

  before(function () {
    work = tempDir('fuzz');
    corpus = path.join(work, 'corpus');
    mkdirSync(corpus);
    seeds.push({ name: 'letter', text: readFileSync(path.join(REPO, 'tei', 'letter-1950-08-27.xml'), 'utf8') });
    const letters = path.join(SCHNITZLER, 'letters');
    if (existsSync(letters)) {
      const files = readdirSync(letters).filter((f) => f.endsWith('.xml')).sort();
      for (const f of [files[0], files[Math.floor(files.length / 2)]]) if (f) seeds.push({ name: f.replace('.xml', ''), text: readFileSync(path.join(letters, f), 'utf8') });
    } else {
      console.log(`      (Schnitzler letters not found at ${letters} (../shared); fuzzing the seed letter only)`);
    }
  });

  after(() => {
    if (!work) return;
    rmSync(buildCacheDir(corpus), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('every mutant: no uncaught exception, located messages, no script injection', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (s, muts) => {
        const seed = pick(seeds, s);
        let xml = seed.text;
        for (const m of muts) xml = m.apply(xml);
        const what = `${seed.name} ← ${muts.map((m) => m.label).join(' ; ')}`;
        // A fresh corpus and output per mutant.
        for (const f of readdirSync(corpus)) rmSync(path.join(corpus, f), { recursive: true, force: true });
        const file = path.join(corpus, `${seed.name}.xml`);
        writeFileSync(file, xml);
        const out = path.join(work, `out-${run++ % 2}`);
        rmSync(out, { recursive: true, force: true });

        const validated = await validatePaths([file], { corpusDir: corpus });
        assertLocated(validated.messages, `validate ${what}`);

        const result = await build({ corpus, out, jobs: 1, only: ['html', 'text'], validate: false, cache: false });
        assertLocated(result.messages, `build ${what}`);
        if (result.failed) assert.ok(result.messages.some((m) => m.fatal === true), `${what}: a document failed without an error`);
        for (const f of listFiles(out).filter((x) => x.endsWith('.html'))) {
          assert.deepEqual(htmlProblems(readFileSync(path.join(out, f), 'utf8')), [], `${what}: ${f}`);
        }
        for (const f of listFiles(out)) {
          const text = readFileSync(path.join(out, f), 'utf8');
          assert.ok(!/^root:.*:0:0:/m.test(text), `${what}: /etc/passwd content in ${f}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, verbose: 1 },
    );
  });
});
