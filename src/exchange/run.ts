/** Runs xslt/exchange/exchange.xsl on one document and sorts out its results. */
import type { BuiltDocument } from '../formats/types.js';
import { parseXml, transform, type XslMessage } from '../xslt/run.js';
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

export async function exchangeDocument(doc: BuiltDocument, text: string, context: unknown, params: ExchangeParams): Promise<ExchangeResult> {
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

/** The teiCorpus of the edition: corpus header and standOff from corpus.xsl, then the members. */
export async function corpusFile(context: unknown, params: ExchangeParams, ids: string[], editors: string[], members: string[]): Promise<string> {
  const r = await transform(CORPUS_STYLESHEET, context, { ...params, context, ids, editors });
  const marker = '<!--te-members-->';
  const at = r.principal.lastIndexOf(marker);
  if (at < 0) throw new Error('corpus.xsl produced no member marker');
  return r.principal.slice(0, at) + members.map((m) => m.trim()).join('\n') + r.principal.slice(at + marker.length);
}
