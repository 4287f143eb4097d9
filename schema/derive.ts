/**
 * Derives schema/tei-edition.rng from tei_all.rng:
 *
 *   npx tsx schema/derive.ts ../shared/schemas/tei_all.rng > schema/tei-edition.rng
 *
 * Every element not listed in ELEMENTS has its definition replaced by
 * <notAllowed/>, the start is restricted to <TEI>, unreachable definitions,
 * documentation and embedded Schematron are dropped. Replacing a pattern by
 * notAllowed can only remove documents from the language, so the result is a
 * strict subset of tei_all: anything valid against it is valid against
 * tei_all (same TEI release).
 */
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';

export const ELEMENTS = `
TEI teiHeader fileDesc titleStmt title author editor respStmt resp name funder sponsor principal meeting
editionStmt edition extent publicationStmt publisher distributor authority pubPlace date idno availability licence p address addrLine street postCode email
seriesStmt notesStmt note sourceDesc
msDesc msIdentifier country settlement region district bloc repository collection altIdentifier msName
msContents summary msItem locus locusGrp textLang incipit explicit rubric colophon
physDesc objectDesc supportDesc support dimensions height width depth dim foliation condition layoutDesc layout
handDesc handNote scriptDesc scriptNote decoDesc decoNote additions bindingDesc binding sealDesc seal accMat
history origin origDate origPlace provenance acquisition additional adminInfo recordHist custodialHist custEvent surrogates
bibl biblStruct listBibl analytic monogr imprint series biblScope citedRange
profileDesc correspDesc correspAction correspContext creation langUsage language textClass keywords term classCode catRef abstract
particDesc settingDesc setting
encodingDesc projectDesc samplingDecl editorialDecl correction normalization quotation hyphenation segmentation interpretation punctuation stdVals
classDecl taxonomy category catDesc tagsDecl rendition namespace tagUsage refsDecl appInfo application
revisionDesc change listChange
text front body back group div head p ab lg l list item label table row cell figure graphic figDesc
quote cit q said floatingText epigraph argument trailer byline docTitle titlePart docAuthor docDate docImprint titlePage
opener closer dateline salute signed postscript
pb lb cb milestone fw hi del add unclear gap supplied space choice sic corr abbr expan am ex orig reg subst restore damage handShift
foreign emph term gloss mentioned soCalled distinct measure measureGrp num unit time seg c w metamark ellipsis
persName placeName orgName rs roleName forename surname addName genName nameLink geogName geogFeat offset
anchor ref ptr linkGrp link listRelation relation
standOff listPerson person personGrp persona listPlace place listOrg org listEvent event eventName
occupation affiliation residence birth death floruit sex gender education faith nationality state trait
location geo desc objectType incident stamp
gi att code val tag eg
`.trim().split(/\s+/);

const RNG = 'http://relaxng.org/ns/structure/1.0';

interface Node {
  name: string;
  local: string;
  uri: string;
  attrs: [string, string][];
  children: (Node | string)[];
}

function parse(text: string): Node {
  const p = new SaxesParser({ xmlns: true });
  const stack: Node[] = [];
  let root: Node | undefined;
  p.on('opentag', (t) => {
    const n: Node = { name: t.name, local: t.local, uri: t.uri, attrs: Object.values(t.attributes).map((a) => [a.name, a.value]), children: [] };
    if (stack.length) stack[stack.length - 1]!.children.push(n);
    else root = n;
    stack.push(n);
  });
  p.on('text', (t) => stack.length && stack[stack.length - 1]!.children.push(t));
  p.on('closetag', () => stack.pop());
  p.write(text).close();
  return root!;
}

const attr = (n: Node, k: string) => n.attrs.find(([a]) => a === k)?.[1];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function serialize(n: Node, indent: string): string {
  const a = n.attrs.map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  const kids = n.children.filter((c) => typeof c !== 'string' || c.trim() !== '');
  if (!kids.length) return `${indent}<${n.name}${a}/>`;
  if (kids.every((c) => typeof c === 'string')) return `${indent}<${n.name}${a}>${esc((kids as string[]).join(''))}</${n.name}>`;
  return `${indent}<${n.name}${a}>\n${kids.map((c) => (typeof c === 'string' ? indent + '  ' + esc(c.trim()) : serialize(c, indent + '  '))).join('\n')}\n${indent}</${n.name}>`;
}

function strip(n: Node): Node {
  return { ...n, children: n.children.filter((c) => typeof c === 'string' || c.uri === RNG).map((c) => (typeof c === 'string' ? c : strip(c))) };
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx schema/derive.ts path/to/tei_all.rng');
  const source = readFileSync(file, 'utf8');
  const version = /TEI Edition: (P5 Version\s\d+\.\d+\.\d+)/.exec(source)?.[1]?.replace(/\s/g, ' ') ?? 'unknown';
  const root = strip(parse(source));
  const allowed = new Set(ELEMENTS);
  const defines = new Map<string, Node>();
  for (const c of root.children) if (typeof c !== 'string' && c.local === 'define') defines.set(attr(c, 'name')!, c);
  for (const [name, d] of defines) {
    const body = d.children.filter((c): c is Node => typeof c !== 'string');
    if (body.length === 1 && body[0]!.local === 'element' && attr(body[0]!, 'name') === name && !attr(body[0]!, 'ns') && !allowed.has(name)) {
      d.children = [{ name: 'notAllowed', local: 'notAllowed', uri: RNG, attrs: [], children: [] }];
    }
  }
  // Start: <TEI> only.
  root.children = root.children.filter((c) => typeof c === 'string' || c.local !== 'start');
  root.children.push({ name: 'start', local: 'start', uri: RNG, attrs: [], children: [{ name: 'ref', local: 'ref', uri: RNG, attrs: [['name', 'TEI']], children: [] }] });
  // Keep reachable definitions only.
  const reachable = new Set<string>();
  const walk = (n: Node) => {
    if (n.local === 'ref') {
      const r = attr(n, 'name')!;
      if (!reachable.has(r)) {
        reachable.add(r);
        const d = defines.get(r);
        if (d) walk(d);
      }
    }
    for (const c of n.children) if (typeof c !== 'string') walk(c);
  };
  walk(root.children.find((c): c is Node => typeof c !== 'string' && c.local === 'start')!);
  root.children = root.children.filter((c) => typeof c !== 'string' && (c.local !== 'define' || reachable.has(attr(c, 'name')!)));
  const missing = ELEMENTS.filter((e) => !defines.has(e));
  if (missing.length) process.stderr.write(`warning: not in the source schema: ${missing.join(' ')}\n`);
  process.stdout.write(
    `<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-edition.rng: the edition's TEI customisation, a strict subset of tei_all
  (${version}). Generated by schema/derive.ts from tei_all.rng — do not edit
  by hand: add an element to ELEMENTS in schema/derive.ts and regenerate.
  Elements allowed: ${ELEMENTS.length}. TEI material: CC BY / BSD-2 (TEI Consortium).
-->
${serialize(root, '')}
`,
  );
}

main();
