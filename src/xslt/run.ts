/**
 * One typed wrapper around SaxonJS.transform. Result documents are always
 * delivered in memory (SaxonJS would otherwise write them to disk), and
 * `xsl:message`s are collected as structured messages.
 */
import SaxonJS from './saxon.js';
import { loadSef, onStylesheetsChanged } from './sef.js';

export interface XslMessage {
  /** `warning` / `error` / `info` (from a `te-<level>|rule|path|text` message), else `info`. */
  level: 'warning' | 'error' | 'info';
  ruleId: string;
  /** XPath-like path of the element the message is about (`/TEI[1]/text[1]/…`). */
  path?: string;
  text: string;
}

export interface TransformOutput {
  principal: string;
  results: Record<string, string>;
  messages: XslMessage[];
}

/**
 * Base URI for xsl:result-document hrefs. Results are always delivered in
 * memory (deliverResultDocument); the base only has to be hierarchical so that
 * relative hrefs resolve. Nothing is ever written there.
 */
const OUT_BASE = 'file:///tei-edition-results/';

const sefs = new Map<string, Promise<unknown>>();
onStylesheetsChanged(() => sefs.clear());

function sefFor(entry: string): Promise<unknown> {
  let s = sefs.get(entry);
  if (!s) {
    s = loadSef(entry);
    sefs.set(entry, s);
  }
  return s;
}

/** Loads compiled stylesheets into this thread's cache ahead of their first use (a watcher's warm-up). */
export async function loadStylesheets(entries: Iterable<string>): Promise<void> {
  await Promise.all([...entries].map((e) => sefFor(e)));
}

/** Parses XML text into a SaxonJS document (the one parse every format shares). */
export function parseXml(text: string, baseURI?: string): Promise<unknown> {
  return SaxonJS.getResource({ text, type: 'xml', baseURI });
}

export function parseMessage(raw: string): XslMessage {
  const m = /^te-(warning|error|info)\|([^|]*)\|([^|]*)\|([\s\S]*)$/.exec(raw.trim());
  if (m) return { level: m[1] as XslMessage['level'], ruleId: m[2]!, path: m[3] || undefined, text: m[4]! };
  return { level: 'info', ruleId: 'xsl-message', text: raw.trim() };
}

/** Runs an entry stylesheet (path relative to xslt/) over a parsed document. */
export async function transform(entry: string, source: unknown, params: Record<string, unknown> = {}): Promise<TransformOutput> {
  const messages: XslMessage[] = [];
  const stylesheetInternal = await sefFor(entry);
  const result = await SaxonJS.transform(
    {
      stylesheetInternal,
      sourceNode: source,
      destination: 'serialized',
      stylesheetParams: params,
      baseOutputURI: OUT_BASE,
      deliverResultDocument: () => ({ destination: 'serialized' }),
      deliverMessage: (node) => {
        messages.push(parseMessage(String((node as { textContent?: string }).textContent ?? SaxonJS.serialize(node))));
      },
    },
    'async',
  );
  const results: Record<string, string> = {};
  for (const [uri, value] of Object.entries(result.resultDocuments ?? {})) {
    results[uri.replace(OUT_BASE, '')] = String(value);
  }
  return { principal: String(result.principalResult ?? ''), results, messages };
}
