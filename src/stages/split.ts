/**
 * Stage "ingest" (before load/transform): real-world TEI beyond one
 * document per file.
 *   - `xi:include` is resolved inside the corpus folder (stages/xinclude.ts);
 *   - a `teiCorpus` file gives one document per TEI member;
 *   - with `split` (edition.config.json or `--split`; the `tei` prefix is
 *     bound), every element the XPath selects in a file becomes a document
 *     of its own, with the volume's header adapted (xslt/exchange/split.xsl).
 * The documents made here are written once to the cache folder (keyed by the
 * source's content and the XPath) and go through the normal transform like any
 * file. Files that need none of this pass through untouched.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import SaxonJS from '../xslt/saxon.js';
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from '../diagnostics.js';
import { CACHE_DIR } from '../xslt/sef.js';
import { parseXml, transform } from '../xslt/run.js';
import type { Discovered } from './discover.js';
import { loadDocument, type LoadOptions } from './load.js';
import { expandXIncludes, hasXInclude } from './xinclude.js';

export const SPLIT_STYLESHEET = 'exchange/split.xsl';
const TEI_NS = 'http://www.tei-c.org/ns/1.0';

export interface IngestOptions {
  corpusDir: string;
  load: LoadOptions;
  /** XPath whose matches become documents (tei prefix bound). */
  split?: string;
  /** Where generated documents are kept (default: the cache folder). */
  cacheDir?: string;
  /**
   * Files known to be single documents (an earlier build read them, and they have not
   * changed since): not read again. Ignored with `split`, which looks into every file.
   */
  knownPlain?: (file: string) => boolean;
}

/** What ingest found: the documents to build, and which of the corpus files are single documents as they are. */
export interface Ingested extends Discovered {
  plain: Set<string>;
}

function rootName(text: string): string {
  const m = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/g, ''));
  return m?.[2] ?? '';
}

/** Evaluates the split XPath; throws a message on a malformed expression. */
function select(xpath: string, doc: unknown): unknown[] {
  const r = SaxonJS.XPath.evaluate(xpath, doc, { namespaceContext: { tei: TEI_NS }, resultForm: 'array' }) as unknown[];
  return r.filter((n) => (n as { nodeType?: number }).nodeType === 1);
}

async function writeGenerated(dir: string, name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  }
  return file;
}

export async function ingest(found: Discovered, options: IngestOptions): Promise<Ingested> {
  const files: string[] = [];
  const plain = new Set<string>();
  const messages: VFileMessage[] = [...found.messages];
  const cacheDir = options.cacheDir ?? path.join(CACHE_DIR, 'ingest');
  let xpathBroken = false;
  const included = new Set<string>();
  for (const file of found.files) {
    if (!options.split && options.knownPlain?.(file)) {
      files.push(file);
      plain.add(file);
      continue;
    }
    // (Made past the files known to be plain: a watcher's save finds ~10 000 of them at 10 000 letters.)
    const display = path.relative(process.cwd(), file) || file;
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch {
      files.push(file);
      continue;
    }
    const corpus = rootName(raw) === 'teiCorpus';
    const xi = hasXInclude(raw);
    if (!corpus && !xi && !options.split) {
      files.push(file);
      plain.add(file);
      continue;
    }
    const loaded = await loadDocument(file, display, options.load);
    if (!loaded.ok) {
      files.push(file); // the load stage reports it again, located
      continue;
    }
    let text = loaded.text;
    if (xi) {
      const expanded = await expandXIncludes(text, file, display, { corpusDir: options.corpusDir, load: options.load });
      messages.push(...expanded.messages);
      for (const f of expanded.included) included.add(f);
      text = expanded.text;
    }
    let matches: unknown[] = [];
    let xpath = '';
    const doc = corpus || options.split ? await parseXml(text, 'file://' + file) : undefined;
    if (corpus) {
      xpath = '/tei:teiCorpus//tei:TEI';
      matches = select(xpath, doc);
    } else if (options.split && !xpathBroken) {
      xpath = options.split;
      try {
        matches = select(xpath, doc);
      } catch (error) {
        xpathBroken = true;
        messages.push(diagnostic(`split XPath "${xpath}" cannot be evaluated: ${(error as Error).message}`, { file: 'edition.config.json', ruleId: 'split-xpath' }));
      }
    }
    const stem = path.basename(file, path.extname(file));
    const key = createHash('sha256').update(`${file}\n${xpath}\n${text}`).digest('hex').slice(0, 16);
    const dir = path.join(cacheDir, `${stem.replace(/[^\w.-]/g, '_')}-${key}`);
    if (matches.length === 0) {
      if (corpus) messages.push(diagnostic('teiCorpus without TEI members: nothing to build', { file: display, line: 1, column: 1, ruleId: 'tei-corpus-empty', severity: 'warning' }));
      files.push(xi && text !== loaded.text ? await writeGenerated(dir, path.basename(file), text) : file);
      continue;
    }
    const volumeId = (/^\s*<[^>]*\sxml:id\s*=\s*["']([^"']+)["']/.exec(text.replace(/^[\s\S]*?(?=<(?![?!]))/, ''))?.[1]) ?? stem;
    const r = await transform(SPLIT_STYLESHEET, doc, { matches, 'volume-id': volumeId, 'volume-file': path.basename(file), xpath });
    const outputs = Object.entries(r.results)
      .map(([href, value]) => ({ n: /^(\d+)\.xml$/.exec(href)?.[1], href, value }))
      .sort((a, b) => (a.n && b.n ? Number(a.n) - Number(b.n) : a.n ? -1 : b.n ? 1 : 0));
    for (const o of outputs) {
      const name = o.n ? `${stem}.${o.n.padStart(5, '0')}.xml` : `${stem}.registers.xml`;
      files.push(await writeGenerated(dir, name, o.value));
    }
    messages.push(
      diagnostic(`${corpus ? 'teiCorpus' : 'volume'} split into ${outputs.filter((o) => o.n).length} documents`, {
        file: display, line: 1, column: 1, ruleId: corpus ? 'tei-corpus-split' : 'volume-split', severity: 'info',
      }),
    );
  }
  // A file another one includes is a part of that document, not a document of its own.
  if (!included.size) return { files, messages, plain };
  const real = await Promise.all(files.map((f) => realpath(f).catch(() => f)));
  return { files: files.filter((_, i) => !included.has(real[i]!)), messages, plain };
}
