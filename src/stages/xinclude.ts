/**
 * XInclude, resolved only inside the corpus folder: every `xi:include` is
 * found (saxes), its `href` resolved against the including file and checked
 * to stay inside the corpus (after symlinks); URLs are never fetched. The
 * included file is loaded like any document (stages/load.ts: no DTD, bounded
 * entities), its own includes expanded first (cycles and depth are bounded),
 * and xslt/exchange/xinclude.xsl puts it in place. Included files are parts,
 * not documents: `included` lists them so that ingest leaves them out. A failed include uses its
 * `xi:fallback`, else disappears, and is reported at its line and column.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from '../diagnostics.js';
import { parseXml, transform } from '../xslt/run.js';
import { decode, loadDocument, type LoadOptions } from './load.js';

export const XI_NS = 'http://www.w3.org/2001/XInclude';
export const XINCLUDE_STYLESHEET = 'exchange/xinclude.xsl';
const MAX_DEPTH = 16;

export interface XIncludeOptions {
  corpusDir: string;
  load: LoadOptions;
  /** Files being expanded (cycle detection). */
  stack?: string[];
}

interface Include { href: string; parse: string; xpointer: string; line: number; column: number }

/** Quick test: does the text use XInclude at all? */
export function hasXInclude(text: string): boolean {
  return text.includes(XI_NS);
}

function findIncludes(text: string): Include[] {
  const out: Include[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('opentag', (tag) => {
    if (tag.uri === XI_NS && tag.local === 'include') {
      const attr = (n: string) => {
        const a = tag.attributes[n];
        return typeof a === 'string' ? a : (a?.value ?? '');
      };
      out.push({ href: attr('href'), parse: attr('parse') || 'xml', xpointer: attr('xpointer'), line: parser.line, column: parser.column });
    }
  });
  parser.write(text).close();
  return out;
}

/** The id an xpointer designates: "id", "element(id)", "xpointer(id('id'))"; undefined when unsupported. */
export function xpointerId(xp: string): string | undefined {
  const s = xp.trim();
  if (s === '') return '';
  const m = /^([\p{L}_][\p{L}\p{N}_.-]*)$/u.exec(s) ?? /^element\(([\p{L}_][\p{L}\p{N}_.-]*)\)$/u.exec(s) ?? /^xpointer\(id\(['"]([^'"]+)['"]\)\)$/.exec(s);
  return m?.[1];
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}

/** Expands the includes of a loaded document's text. `changed` is false when there were none. */
export async function expandXIncludes(
  text: string, file: string, displayPath: string, options: XIncludeOptions,
): Promise<{ text: string; messages: VFileMessage[]; changed: boolean; included: string[] }> {
  const messages: VFileMessage[] = [];
  const included: string[] = [];
  if (!hasXInclude(text)) return { text, messages, changed: false, included };
  const includes = findIncludes(text);
  if (!includes.length) return { text, messages, changed: false, included };
  const stack = [...(options.stack ?? []), file];
  const root = await realpath(options.corpusDir);
  const map: string[] = [];
  const ids: string[] = [];
  const docs: unknown[] = [];
  const texts: string[] = [];
  const fail = (inc: Include, why: string, ruleId: string) => {
    messages.push(diagnostic(`xi:include href="${inc.href}": ${why}`, { file: displayPath, line: inc.line, column: inc.column, ruleId }));
    map.push('-');
    ids.push('');
  };
  for (const inc of includes) {
    if (!inc.href) { fail(inc, 'an include without href (same-document includes) is not supported', 'xinclude-unsupported'); continue; }
    if (/^[a-z][a-z0-9+.-]*:/i.test(inc.href) || inc.href.startsWith('//')) {
      fail(inc, 'URLs are never fetched; include files of the corpus folder by relative path', 'xinclude-url');
      continue;
    }
    let target: string;
    try {
      target = path.resolve(path.dirname(file), decodeURIComponent(inc.href.split('#')[0]!));
    } catch {
      fail(inc, 'not a valid relative path', 'xinclude-path');
      continue;
    }
    if (!existsSync(target)) { fail(inc, `${path.relative(root, target) || target} does not exist`, 'xinclude-missing'); continue; }
    const real = await realpath(target);
    if (!inside(root, real)) { fail(inc, 'leads out of the corpus folder; not included', 'xinclude-outside'); continue; }
    if (stack.includes(real)) { fail(inc, 'includes itself (directly or through other files)', 'xinclude-cycle'); continue; }
    if (stack.length > MAX_DEPTH) { fail(inc, `includes nested more than ${MAX_DEPTH} deep`, 'xinclude-depth'); continue; }
    const shown = path.relative(process.cwd(), real) || real;
    included.push(real);
    if (inc.parse === 'text') {
      const { text: t, messages: m } = decode(await readFile(real), shown);
      if (m.some((x) => x.fatal)) { fail(inc, 'the text file cannot be decoded', 'xinclude-encoding'); continue; }
      texts.push(t);
      map.push(`t${texts.length}`);
      ids.push('');
      continue;
    }
    if (inc.parse !== 'xml') { fail(inc, `parse="${inc.parse}" is not "xml" or "text"`, 'xinclude-unsupported'); continue; }
    const id = xpointerId(inc.xpointer);
    if (id === undefined) { fail(inc, `xpointer "${inc.xpointer}" is not supported (use an xml:id)`, 'xinclude-unsupported'); continue; }
    const loaded = await loadDocument(real, shown, options.load);
    if (!loaded.ok) {
      messages.push(...loaded.messages);
      fail(inc, 'the included file is not a well-formed TEI document or fragment', 'xinclude-invalid');
      continue;
    }
    const nested = await expandXIncludes(loaded.text, real, shown, { ...options, stack });
    messages.push(...nested.messages);
    included.push(...nested.included);
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (id && !new RegExp(`xml:id\\s*=\\s*["']${escaped}["']`).test(nested.text)) {
      fail(inc, `no element with xml:id="${id}" in ${shown}`, 'xinclude-xpointer');
      continue;
    }
    const parsed = await parseXml(nested.text, 'file://' + real);
    docs.push(parsed);
    map.push(`d${docs.length}`);
    ids.push(id);
  }
  const source = await parseXml(text, 'file://' + file);
  const out = await transform(XINCLUDE_STYLESHEET, source, { 'inc-map': map, 'inc-ids': ids, 'inc-docs': docs, 'inc-texts': texts });
  return { text: out.principal, messages, changed: true, included };
}
