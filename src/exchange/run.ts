/** Runs xslt/exchange/exchange.xsl on one document and sorts out its results. */
import { Piscina } from 'piscina';
import type { BuiltDocument } from '../formats/types.js';
import type { Chunks } from '../model.js';
import { parseXml, transform, type XslMessage } from '../xslt/run.js';
import { workerEntry } from '../workers.js';
import { parsedContext } from './context.js';
import type { DtsUnits } from './dts.js';
import type { ExchangeParams } from './params.js';

export const EXCHANGE_STYLESHEET = 'exchange/exchange.xsl';
export const CORPUS_STYLESHEET = 'exchange/corpus.xsl';

export interface ExchangeResult {
  tei: string;
  corpusMember: string;
  entries: string[];
  units: DtsUnits;
  fragments: Map<string, string>;
  cmif?: string;
  dc: string;
  messages: XslMessage[];
}

export async function exchangeDocument(doc: Pick<BuiltDocument, 'id' | 'file'>, text: string, context: unknown, params: ExchangeParams): Promise<ExchangeResult> {
  const source = await parseXml(text, 'file://' + doc.file);
  const r = await transform(EXCHANGE_STYLESHEET, source, { ...params, context, 'doc-id': doc.id, 'source-file': doc.file.split('/').pop() ?? '' });
  const fragments = new Map<string, string>();
  for (const [href, value] of Object.entries(r.results)) {
    const m = /^dts\/(.+)\.xml$/.exec(href);
    if (m) fragments.set(m[1]!, value);
  }
  return {
    tei: r.principal,
    corpusMember: r.results['corpus-member.xml'] ?? '',
    entries: JSON.parse(r.results['entries.json'] ?? '[]') as string[],
    units: JSON.parse(r.results['dts-units.json'] ?? '{"top":[],"parts":[],"passages":[],"notes":[]}') as DtsUnits,
    fragments,
    cmif: r.results['cmif.xml'] || undefined,
    dc: r.results['oai_dc.xml'] ?? '',
    messages: r.messages,
  };
}

/** A document's export to make on another thread: the context document comes as its text (parsed there once per text). */
export interface ExportTask {
  doc: { id: string; file: string };
  text: string;
  context: string;
  params: ExchangeParams;
}

/** Body of an export made on another thread (src/exchange/worker.ts: a watcher's export thread). */
export async function exportTask(task: ExportTask): Promise<ExchangeResult> {
  return exchangeDocument(task.doc, task.text, await parsedContext(task.context), task.params);
}

let thread: Piscina | undefined;

/**
 * Starts (once) a watcher's export thread (src/exchange/worker.ts): one thread, SaxonJS and the exchange
 * stylesheet warm on it, and the context document parsed (at 10 000 letters its heap holds ~150 MB).
 * An idle Piscina thread keeps no process alive.
 */
export function startExportThread(): Piscina {
  thread ??= new Piscina({ filename: workerEntry(import.meta.url, 'worker'), minThreads: 1, maxThreads: 1, resourceLimits: { maxOldGenerationSizeMb: EXPORT_HEAP_MB } });
  return thread;
}

/** The export thread, when a watcher's warm-up started it (startExportThread). */
export function exportThread(): Piscina | undefined {
  return thread;
}

/** Heap bound of the export thread (a task that exceeds it is made on the build's thread instead). */
const EXPORT_HEAP_MB = 512;

/**
 * The teiCorpus around its members: corpus header and standOff (every register entry the
 * documents reference) from corpus.xsl, with a marker where the members go. It depends on the
 * context, the parameters, the entries and the editors, not on the members' text, so a rebuild
 * after a word edit takes it from the build cache (see corpusFile).
 */
export async function corpusFrame(context: unknown, params: ExchangeParams, ids: string[], editors: string[]): Promise<string> {
  const r = await transform(CORPUS_STYLESHEET, context, { ...params, context, ids, editors });
  if (!r.principal.includes(MEMBERS_MARKER)) throw new Error('corpus.xsl produced no member marker');
  return r.principal;
}
const MEMBERS_MARKER = '<!--te-members-->';

/** The teiCorpus of the edition, in pieces (Chunks): its frame (corpusFrame) with the members where the marker stands. */
export function corpusFile(frame: string, members: string[]): Chunks {
  const at = frame.lastIndexOf(MEMBERS_MARKER);
  if (at < 0) throw new Error('the teiCorpus frame has no member marker');
  const pieces = [frame.slice(0, at)];
  members.forEach((m, i) => pieces.push(i ? '\n' : '', m.trim()));
  pieces.push(frame.slice(at + MEMBERS_MARKER.length));
  return pieces;
}
