/**
 * Layer 3: ISO Schematron. A `.sch` file is compiled to XSLT by
 * `xslt/schematron/compile.xsl`, the XSLT to SEF by xslt3 (both cached by
 * content hash under `.cache/tei-edition/`), and the SEF run with SaxonJS on
 * each document. Failures come back as SVRL; their node paths are mapped back
 * to line:column with one saxes pass.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import SaxonJS from '../xslt/saxon.js';
import { SaxesParser } from 'saxes';
import type { VFileMessage } from 'vfile-message';
import { diagnostic, type Severity } from '../diagnostics.js';
import type { LoadedDocument } from '../stages/load.js';
import { locatePaths } from '../xml/locate.js';
import { CACHE_DIR, compiledStylesheet, PACKAGE_ROOT } from '../xslt/sef.js';
import { RulesError } from './errors.js';

export const DEFAULT_RULES = path.join(PACKAGE_ROOT, 'rules', 'tei-edition.sch');
const COMPILER = 'schematron/compile.xsl';

export { RulesError };

export interface RulesContext {
  registerIds: string[];
  /** Every `path/file.xml#id` of the corpus (paths relative to the corpus root, with `/`). */
  corpusIds: string[];
  corpusFiles: string[];
}

interface Failure {
  id: string;
  role: string;
  location: string;
  text: string;
}

const compiled = new Map<string, Promise<unknown>>();

/** Compiles a .sch file (once per content) and returns its SEF as JSON. */
export function compileRules(file: string): Promise<unknown> {
  const abs = path.resolve(file);
  let p = compiled.get(abs);
  if (!p) {
    p = compileRulesUncached(abs);
    compiled.set(abs, p);
    p.catch(() => compiled.delete(abs));
  }
  return p;
}

async function compileRulesUncached(file: string): Promise<unknown> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new RulesError(`cannot read Schematron rules: ${(error as Error).message}`, file, { cause: error });
  }
  const compiler = await compiledStylesheet(COMPILER);
  const hash = createHash('sha256').update(source).update(path.basename(compiler)).digest('hex').slice(0, 16);
  const dir = path.join(CACHE_DIR, 'schematron');
  const xsl = path.join(dir, `${path.basename(file, '.sch')}-${hash}.xsl`);
  if (!existsSync(xsl)) {
    let out: string;
    try {
      const result = await SaxonJS.transform(
        { stylesheetFileName: compiler, sourceText: source, destination: 'serialized' },
        'async',
      );
      out = String(result.principalResult);
    } catch (error) {
      throw new RulesError(`cannot compile Schematron rules: ${(error as Error).message}`, file, { cause: error });
    }
    await mkdir(dir, { recursive: true });
    const tmp = `${xsl}.${process.pid}.tmp`;
    await writeFile(tmp, out);
    await rename(tmp, xsl);
  }
  try {
    return JSON.parse(await readFile(await compiledStylesheet(xsl), 'utf8')) as unknown;
  } catch (error) {
    throw new RulesError(`Schematron rules do not compile (an XPath expression is wrong?): ${(error as Error).message}`, file, { cause: error });
  }
}

function parseSvrl(svrl: string): Failure[] {
  const out: Failure[] = [];
  const parser = new SaxesParser({ xmlns: true });
  let current: Failure | undefined;
  let inText = false;
  parser.on('opentag', (tag) => {
    if (tag.local === 'failed-assert' || tag.local === 'successful-report') {
      const a = (n: string) => String(tag.attributes[n]?.value ?? '');
      current = { id: a('id') || 'schematron', role: a('role'), location: a('location'), text: '' };
    } else if (tag.local === 'text' && current) inText = true;
  });
  parser.on('text', (t) => {
    if (inText && current) current.text += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.local === 'text') inText = false;
    else if ((tag.local === 'failed-assert' || tag.local === 'successful-report') && current) {
      out.push(current);
      current = undefined;
    }
  });
  parser.write(svrl).close();
  return out;
}

function severity(role: string): Severity {
  const r = role.toLowerCase();
  if (r === 'warning' || r === 'warn') return 'warning';
  if (r === 'info' || r === 'information') return 'info';
  return 'error';
}

/** Runs one compiled rules file over one document. */
export async function runRules(sef: unknown, doc: LoadedDocument, corpusDir: string, ctx: RulesContext, rulesFile: string): Promise<VFileMessage[]> {
  const rel = path.relative(corpusDir, doc.path).split(path.sep).join('/');
  let svrl: string;
  try {
    const result = await SaxonJS.transform(
      {
        stylesheetInternal: sef,
        sourceText: doc.text,
        destination: 'serialized',
        stylesheetParams: {
          'register-ids': ctx.registerIds,
          'corpus-ids': ctx.corpusIds,
          'corpus-files': ctx.corpusFiles,
          'document-path': rel,
        },
      },
      'async',
    );
    svrl = String(result.principalResult);
  } catch (error) {
    return [
      diagnostic(`Schematron rules ${path.basename(rulesFile)} failed on this document: ${(error as Error).message}`, {
        file: doc.displayPath, line: 1, column: 1, ruleId: 'rules-runtime', source: 'schematron', cause: error,
      }),
    ];
  }
  const failures = parseSvrl(svrl);
  const elementPath = (loc: string) => loc.replace(/\/@[^/]*$/, '');
  const positions = locatePaths(doc.text, failures.map((f) => elementPath(f.location)));
  const attrPositions = locateAttributes(doc.text, positions, failures);
  return failures.map((f) => {
    const pos = attrPositions.get(f.location) ?? positions.get(elementPath(f.location)) ?? { line: 1, column: 1 };
    return diagnostic(f.text.replace(/\s+/g, ' ').trim(), {
      file: doc.displayPath, ...pos, ruleId: f.id, severity: severity(f.role), source: 'schematron',
    });
  });
}

/** Points attribute failures (`…/p[3]/@rend`) at the attribute inside its start tag. */
function locateAttributes(
  text: string,
  elements: Map<string, { line: number; column: number }>,
  failures: Failure[],
): Map<string, { line: number; column: number }> {
  const out = new Map<string, { line: number; column: number }>();
  let lines: number[] | undefined;
  for (const f of failures) {
    const m = /^(.*)\/@([^/]+)$/.exec(f.location);
    if (!m) continue;
    const at = elements.get(m[1]!);
    if (!at) continue;
    if (!lines) {
      lines = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.push(i + 1);
    }
    const start = (lines[at.line - 1] ?? 0) + at.column - 1;
    const end = text.indexOf('>', start);
    const tag = text.slice(start, end < 0 ? undefined : end);
    const re = new RegExp(`\\s(${m[2]!.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')})\\s*=`);
    const hit = re.exec(tag);
    if (!hit) continue;
    const offset = start + hit.index + 1;
    let line = at.line;
    while (lines[line] !== undefined && lines[line]! <= offset) line++;
    out.set(f.location, { line, column: offset - lines[line - 1]! + 1 });
  }
  return out;
}
