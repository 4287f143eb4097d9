/**
 * Stage "transform": one parse per document, then every stylesheet the
 * enabled formats need runs over that parsed tree (meta.xsl always first).
 * Pure function of its input, so it runs the same in a worker or inline.
 */
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import type { StoreTarget } from '../cache.js';
import type { EditionConfig } from '../config.js';
import { diagnostic } from '../diagnostics.js';
import type { Format } from '../formats/types.js';
import type { DocMeta } from '../model.js';
import { locatePaths } from '../xml/locate.js';
import { parseXml, transform, type XslMessage } from '../xslt/run.js';
import { loadDocument, type LoadedDocument, type LoadOptions } from './load.js';

export interface TransformTask {
  file: string;
  displayPath: string;
  /** Entry stylesheets (relative to xslt/) besides meta.xsl. */
  stylesheets: string[];
  params: Record<string, string>;
  load: LoadOptions;
  /** Give the document text back (validation, exports). */
  keepText?: boolean;
  /** Store the result in the build cache (src/cache.ts) and give back only metadata and messages. */
  store?: StoreTarget;
  /**
   * The document as the build loaded it already (a watcher's save reads its edited files before
   * transforming them, for Format.ahead): transformed from that text, not read again. Only for a
   * task run on the build's thread.
   */
  loaded?: LoadedDocument;
}

/** What every document's transform task of a build shares: the formats' stylesheets, the parameters, the load limits. */
export function transformSettings(config: EditionConfig, formats: readonly Format[]): Pick<TransformTask, 'stylesheets' | 'params' | 'load'> {
  return {
    stylesheets: [...new Set(formats.flatMap((f) => f.stylesheets ?? []))],
    params: { 'edition-title': config.title, lang: config.language },
    load: { maxFileSize: config.maxFileSize, maxDepth: config.maxDepth },
  };
}

export interface SerializedMessage {
  reason: string; line?: number; column?: number; ruleId: string; source: string; fatal?: boolean; note?: string; expected?: string[];
}

export interface TransformResult {
  file: string;
  displayPath: string;
  ok: boolean;
  meta?: DocMeta;
  outputs: Record<string, string>;
  /** Extra result documents, keyed "stylesheet:href". */
  results: Record<string, string>;
  messages: SerializedMessage[];
  text?: string;
}

export function serializeMessage(m: VFileMessage): SerializedMessage {
  return {
    reason: m.reason, line: m.line, column: m.column, ruleId: m.ruleId ?? 'unknown', source: m.source ?? 'tei-edition',
    fatal: m.fatal ?? undefined, note: m.note, expected: m.expected,
  };
}

export function reviveMessage(s: SerializedMessage, file: string): VFileMessage {
  return diagnostic(s.reason, {
    file, line: s.line, column: s.column, ruleId: s.ruleId, source: s.source,
    severity: s.fatal === true ? 'error' : s.fatal === false ? 'warning' : 'info', note: s.note, expected: s.expected,
  });
}

export const META_STYLESHEET = 'meta/meta.xsl';

export async function transformDocument(task: TransformTask): Promise<TransformResult> {
  const out: TransformResult = { file: task.file, displayPath: task.displayPath, ok: false, outputs: {}, results: {}, messages: [] };
  const loaded = task.loaded ?? await loadDocument(task.file, task.displayPath, task.load);
  out.messages.push(...loaded.messages.map(serializeMessage));
  if (!loaded.ok) return out;
  if (task.keepText) out.text = loaded.text;
  const xslMessages: { stylesheet: string; m: XslMessage }[] = [];
  let current = META_STYLESHEET;
  try {
    const doc = await parseXml(loaded.text, 'file://' + task.file);
    const meta = await transform(META_STYLESHEET, doc, task.params);
    xslMessages.push(...meta.messages.map((m) => ({ stylesheet: META_STYLESHEET, m })));
    out.meta = JSON.parse(meta.principal) as DocMeta;
    for (const sheet of task.stylesheets) {
      current = sheet;
      const r = await transform(sheet, doc, task.params);
      out.outputs[sheet] = r.principal;
      for (const [href, value] of Object.entries(r.results)) out.results[`${sheet}:${href}`] = value;
      xslMessages.push(...r.messages.map((m) => ({ stylesheet: sheet, m })));
    }
    out.ok = true;
  } catch (error) {
    const e = error as { message?: string; code?: string; xsltLineNr?: number; xsltModule?: string };
    out.messages.push(
      serializeMessage(
        diagnostic(`transformation failed (${path.basename(current)}): ${e.code ? e.code + ' ' : ''}${e.message ?? String(error)}`, {
          file: task.displayPath, line: 1, column: 1, ruleId: 'xslt-runtime', source: 'xslt',
          note: e.xsltModule ? `stylesheet ${e.xsltModule}${e.xsltLineNr ? ':' + e.xsltLineNr : ''}` : undefined,
        }),
      ),
    );
    out.outputs = {};
  }
  // Locate stylesheet messages in the source; report each (rule, path) once across formats.
  const seen = new Set<string>();
  const unique = xslMessages.filter(({ m }) => {
    const key = `${m.ruleId}|${m.path}|${m.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const positions = locatePaths(loaded.text, unique.flatMap(({ m }) => (m.path ? [m.path] : [])));
  for (const { stylesheet, m } of unique) {
    const pos = m.path ? positions.get(m.path) : undefined;
    out.messages.push(
      serializeMessage(
        diagnostic(m.text, {
          file: task.displayPath, line: pos?.line ?? 1, column: pos?.column ?? 1, ruleId: m.ruleId, source: 'xslt',
          severity: m.level, note: m.path ? `${m.path} (${stylesheet})` : stylesheet,
        }),
      ),
    );
  }
  return out;
}
