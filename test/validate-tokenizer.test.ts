/**
 * The load stage's fast tokenizer (src/stages/xml-fast.ts) must give exactly
 * the events saxes gives, with the same line and column at each, or give up
 * (and leave the text to saxes): it may never accept what saxes rejects.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { formatLine } from '../src/diagnostics.js';
import { checkFile } from '../src/validate/check.js';
import { loadSchema } from '../src/validate/rng/schema.js';
import { validateRng } from '../src/validate/rng/validator.js';
import { checkText } from '../src/stages/load.js';
import { FastXmlParser } from '../src/stages/xml-fast.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCHNITZLER = path.resolve(ROOT, '../shared/corpora/schnitzler-briefe/letters');
const EDITION_RNG = path.join(ROOT, 'schema/tei-edition.rng');

type Log = unknown[][];

/** Every event with what the validator and the load stage read of it, and the parser's line and column then. */
function record(p: { on: (e: string, f: (x: never) => void) => unknown; line: number; column: number }, log: Log): void {
  const at = () => [p.line, p.column];
  type A = { name: string; prefix: string; local: string; uri?: string; value: string };
  type T = { name: string; prefix?: string; local?: string; uri?: string; isSelfClosing?: boolean; attributes: Record<string, A> };
  p.on('opentagstart', (t: T) => log.push(['opentagstart', t.name, ...at()]));
  p.on('attribute', (a: A) => log.push(['attribute', a.name, a.prefix, a.local, a.value, ...at()]));
  p.on('text', (t: string) => log.push(['text', t, ...at()]));
  p.on('cdata', (t: string) => log.push(['cdata', t, ...at()]));
  p.on('comment', (t: string) => log.push(['comment', t, ...at()]));
  p.on('processinginstruction', (pi: { target: string; body: string }) => log.push(['pi', pi.target, pi.body, ...at()]));
  p.on('opentag', (t: T) =>
    log.push(['opentag', t.name, t.prefix, t.local, t.uri, t.isSelfClosing, Object.values(t.attributes).map((a) => [a.name, a.prefix, a.local, a.uri, a.value]), ...at()]),
  );
  p.on('closetag', (t: T) => log.push(['closetag', t.name, t.isSelfClosing, ...at()]));
}

/** 'fast' (same events as saxes, which found no error), 'saxes' (the fast tokenizer gave up), or what went wrong. */
function compare(text: string): string {
  const fast: Log = [];
  const f = new FastXmlParser();
  record(f as never, fast);
  const accepted = f.parse(text);
  const slow: Log = [];
  const s = new SaxesParser({ xmlns: true, position: true });
  record(s as never, slow);
  let error: string | undefined;
  s.on('error', (e) => void (error ??= e.message));
  try {
    const CHUNK = 1 << 16;
    for (let i = 0; i < text.length; i += CHUNK) s.write(text.slice(i, i + CHUNK));
    s.close();
  } catch (e) {
    error ??= String(e);
  }
  if (!accepted) return 'saxes';
  if (error) return `accepted, but saxes says: ${error}`;
  for (let i = 0; i < Math.max(fast.length, slow.length); i++) {
    const a = JSON.stringify(fast[i]);
    const b = JSON.stringify(slow[i]);
    if (a !== b) return `event ${i}: fast ${a}, saxes ${b}`;
  }
  return 'fast';
}

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...xmlFiles(p));
    else if (p.endsWith('.xml')) out.push(p);
  }
  return out;
}

describe('load: the fast tokenizer gives what saxes gives', () => {
  it('on every fixture: the same events at the same positions, or left to saxes', () => {
    const results = xmlFiles(path.join(ROOT, 'test/fixtures')).map((f) => [f, compare(readFileSync(f, 'utf8'))]);
    for (const [f, r] of results) assert.ok(r === 'fast' || r === 'saxes', `${f}: ${r}`);
    assert.ok(results.filter(([, r]) => r === 'fast').length >= 20, 'most fixtures take the fast path');
  });

  it('on the Schnitzler letters (when present): the same events at the same positions, for every letter', function () {
    if (!existsSync(SCHNITZLER)) this.skip();
    for (const f of readdirSync(SCHNITZLER).filter((x) => x.endsWith('.xml'))) {
      assert.equal(compare(readFileSync(path.join(SCHNITZLER, f), 'utf8')), 'fast', f);
    }
  });

  it('on constructs at its limits', () => {
    const fast = [
      '<a/>',
      '\n  <a/>\n',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<a/>',
      "<?xml version='1.0'?><!-- c --><?pi  body ?x?><a\n  b = 'x&#9;y\tz&#x10000;' c=\"&lt;&amp;&gt;&quot;&apos;\"\n/>\n<!-- after -->\n",
      '<a xmlns="urn:a" xmlns:p="urn:p"><p:b p:c="1" c="2"/><c xmlns=""><d>]]</d><e>]&gt;&#93;]></e></c></a>',
      '<a><!----><!-- - --><!-->--></a>',
      // Characters outside the Basic Multilingual Plane: one column each, as in saxes.
      '<a b="\u{1F600}\u{1F600}" c="x">\u{1F600} <b/>\n\u{10FFFF}<c\n d="\u{1F600}"/><!--\u{1F600}--></a>',
      '<é/>',
      '<a>\r\n</a>',
      '<a><![CDATA[x]]></a>',
      '<a>\ud800</a>',
      '<a b="x\udc00"/>',
      '<a>\udc00\ud800</a>',
    ];
    for (const t of fast.slice(0, 7)) assert.equal(compare(t), 'fast', JSON.stringify(t));
    for (const t of fast.slice(7)) assert.equal(compare(t), 'saxes', JSON.stringify(t));
    const rejected = [
      '', ' ', 'x<a/>', '<a/>x', '<a/><b/>', '<a>', '</a>', '<a></b>', '<a b="1"c="2"/>', '<a b="1" b="2"/>',
      '<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>', '<p:a/>', '<a p:b="1"/>', '<a xmlns:p=""/>', '<a b=1/>', '<a b/>',
      '<a b="<"/>', '<a>&foo;</a>', '<a>&#0;</a>', '<a>&#X41;</a>', '<a>& b;</a>', '<a>]]></a>', '<a><!-- -- --></a>',
      '<a><!-- ---></a>', '<a / >', '<a></a >x', ' <?xml version="1.0"?><a/>', '<?xml version="1.1"?><a/>',
      '<?XML version="1.0"?><a/>', '<a><?xml x?></a>', '<a:b:c/>', '<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>',
      '<a>\u0001</a>', '<a>\uFFFE</a>', '\uFEFF<a/>', '<xmlns:a/>',
    ];
    for (const t of rejected) assert.equal(compare(t), 'saxes', JSON.stringify(t));
  });

  it('on thousands of damaged documents: never accepts what saxes rejects, never differs', () => {
    let seed = 4242;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const pieces = [
      '<', '>', '&', ';', '"', "'", '=', '/', ':', '!', '?', '-', ']', ' ', '\n', '\t', 'x', '#', 'é', '\r', '&amp;', '&#x41;',
      '&#0;', '&foo;', '<!--', '-->', '<![CDATA[', ']]>', '<?pi x?>', '<?xml version="1.0"?>', ' xmlns:a="u"', 'a:b', ' a="1"',
      ' xmlns=""', ' xml:id="x"', '<a/>', '</a>', '<b>', '</b>', '\u{1F600}', '\uFFFE', '\u0001', '\u00A0', ' x:y="1"', '--',
      '?>', '<p>', '</p>', '&lt;', '&#xD800;', '&#x10FFFF;', '\uFEFF', '\ud800', '\udc00', '\u{1F600}\n\u{1F600}',
    ];
    const seeds = [
      '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="x"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:s="a b">\n  <text><body><p n="1" rend=\'x\'>Hello &amp; <hi>w</hi>orld<!-- c --></p>\n<lb/><pb n="2"\n  facs="a&#x41;"/></body></text>\n</TEI>\n<!-- end -->\n',
      '<a xmlns:p="urn:p"><p:b p:c="1" c="2">t</p:b><c xmlns="urn:d"><d/></c></a>',
      readFileSync(path.join(ROOT, 'test/fixtures/validate/schema/errors.xml'), 'utf8'),
    ];
    const seen = { fast: 0, saxes: 0 };
    for (let n = 0; n < 6000; n++) {
      let t = pick(seeds);
      for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
        const at = Math.floor(random() * (t.length + 1));
        const op = random();
        if (op < 0.5) t = t.slice(0, at) + pick(pieces) + t.slice(at);
        else if (op < 0.8) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(random() * 3));
        else {
          const from = Math.floor(random() * t.length);
          t = t.slice(0, at) + t.slice(from, from + 5) + t.slice(at);
        }
      }
      const r = compare(t);
      assert.ok(r === 'fast' || r === 'saxes', `${JSON.stringify(t)}: ${r}`);
      seen[r as 'fast' | 'saxes']++;
    }
    assert.ok(seen.fast > 300 && seen.saxes > 300, JSON.stringify(seen));
  });
});

describe('load: a text the fast tokenizer gives up on half-way', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'te-tokenizer-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is parsed again by saxes; the validator forgets what it saw (no message twice)', async () => {
    const valid = readFileSync(path.join(ROOT, 'test/fixtures/validate/schema/valid.xml'), 'utf8');
    // Schema errors first, then a CDATA section (left to saxes) near the end.
    const text = valid.replace('</TEI>', '<bogus/></TEI>').replace(/<p>([^<]*)<\/p>/, '<p>$1 <wrong/></p>').replace(/(<\/body>)/, '<p><![CDATA[x < y]]></p>$1');
    assert.equal(new FastXmlParser().parse(text), false);
    const file = path.join(dir, 'late.xml');
    writeFileSync(file, text);
    const schema = loadSchema(EDITION_RNG);
    const { doc, schemaMessages } = await checkFile(file, 'late.xml', { maxFileSize: 1e8, maxDepth: 256 }, schema);
    assert.ok(doc.ok);
    const expected = validateRng(text, 'late.xml', schema);
    assert.ok(expected.length >= 2);
    assert.deepEqual(schemaMessages!.map(formatLine), expected.map(formatLine));
  });

  it('gives saxes’ message and position for a refusal found on the fast path (depth, active content)', () => {
    const deep = `<TEI xmlns="http://www.tei-c.org/ns/1.0">\n${'<hi>'.repeat(40)}${'</hi>'.repeat(40)}</TEI>`;
    const doc = checkText(deep, 'deep.xml', { maxFileSize: 1e8, maxDepth: 10 });
    assert.deepEqual(doc.messages.map(formatLine), ['deep.xml:2:41  error  xml-too-deep  elements nested more than 10 levels deep']);
    const html = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <p><h:script xmlns:h="http://www.w3.org/1999/xhtml"/></p></TEI>';
    assert.equal(checkText(html, 'h.xml', { maxFileSize: 1e8, maxDepth: 10 }).messages[0]?.ruleId, 'xml-active-content');
  });
});
