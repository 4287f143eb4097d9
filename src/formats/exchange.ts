/**
 * Archival exchange formats (output folder exchange/):
 *   tei/<id>.xml        self-contained TEI export (register entries in standOff,
 *                       edition publication statement and licence, citeStructure)
 *   tei/corpus.xml      the edition as one teiCorpus
 *   cmif.xml            CMIF v1 (correspSearch)           — needs baseUrl
 *   dts/…               DTS 1.0 Level 0, static            (src/exchange/dts.ts)
 *   oai_dc/<id>.xml     Dublin Core records
 *   oai-pmh.xml         OAI-PMH static repository          — needs baseUrl and adminEmail
 * TEI→XML work is XSLT (xslt/exchange/); this module orchestrates.
 */
import path from 'node:path';
import { diagnostic } from '../diagnostics.js';
import { cmifFile, editionUuid } from '../exchange/cmif.js';
import { contextDocument } from '../exchange/context.js';
import { DtsBuilder, type DtsResourceInput } from '../exchange/dts.js';
import { staticRepository } from '../exchange/oai.js';
import { exchangeParams, type ExchangeParams } from '../exchange/params.js';
import { corpusFile, exchangeDocument, type ExchangeResult } from '../exchange/run.js';
import { sourceTimestamp } from '../exchange/timestamp.js';
import { locatePaths } from '../xml/locate.js';
import type { OutputFile } from '../model.js';
import type { BuildContext, BuiltDocument, Format } from './types.js';

interface State {
  context: Promise<unknown>;
  params: ExchangeParams;
  results: Map<string, ExchangeResult>;
}

const states = new WeakMap<BuildContext, State>();

function state(ctx: BuildContext): State {
  let s = states.get(ctx);
  if (!s) {
    s = { context: contextDocument(ctx), params: exchangeParams(ctx.config, editionUuid(ctx.config)), results: new Map() };
    states.set(ctx, s);
  }
  return s;
}

function warn(ctx: BuildContext, file: string, ruleId: string, text: string): void {
  ctx.report(diagnostic(text, { file, ruleId, severity: 'warning' }));
}

export const exchangeFormat: Format = {
  name: 'exchange',
  needsText: true,
  setup(ctx) {
    state(ctx);
  },
  async document(doc: BuiltDocument, ctx: BuildContext): Promise<OutputFile[]> {
    if (doc.text === undefined) return [];
    const s = state(ctx);
    const r = await exchangeDocument(doc, doc.text, await s.context, s.params);
    // The export and the corpus member report the same repairs: once each, located at the source element.
    const seen = new Set<string>();
    const messages = r.messages.filter((m) => {
      const key = `${m.level}|${m.ruleId}|${m.path}|${m.text}`;
      if (m.level === 'info' || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const positions = locatePaths(doc.text, messages.flatMap((m) => (m.path ? [m.path] : [])));
    for (const m of messages) {
      const pos = m.path ? positions.get(m.path) : undefined;
      ctx.report(diagnostic(m.text, { file: doc.displayPath, line: pos?.line ?? 1, column: pos?.column ?? 1, ruleId: m.ruleId, source: 'xslt', severity: m.level }));
    }
    s.results.set(doc.id, r);
    return [
      { path: `exchange/tei/${doc.id}.xml`, content: r.tei, doc: doc.id, kind: 'tei-export' },
      { path: `exchange/oai_dc/${doc.id}.xml`, content: r.dc, doc: doc.id, kind: 'oai_dc' },
    ];
  },
  async corpus(ctx: BuildContext): Promise<OutputFile[]> {
    const s = state(ctx);
    const config = ctx.config;
    const docs = ctx.documents.filter((d) => s.results.has(d.id));
    const results = docs.map((d) => [d, s.results.get(d.id)!] as const);
    const files: OutputFile[] = [];
    const where = path.join(ctx.corpusDir, 'edition.config.json');

    const ids = [...new Set(results.flatMap(([, r]) => r.entries))].sort();
    const corpus = await corpusFile(await s.context, s.params, ids, config.editors, results.map(([, r]) => r.corpusMember));
    files.push({ path: 'exchange/tei/corpus.xml', content: corpus, kind: 'tei-corpus' });

    const timestamp = await sourceTimestamp(docs.map((d) => d.file));
    const letters = results.filter(([, r]) => r.cmif);
    if (!config.baseUrl) {
      if (docs.some((d) => d.meta.correspondence.length)) {
        warn(ctx, where, 'cmif-needs-base-url', 'CMIF needs absolute URLs: set baseUrl in edition.config.json; exchange/cmif.xml was not written');
      }
    } else if (letters.length) {
      files.push({ path: 'exchange/cmif.xml', content: cmifFile(config, letters.map(([, r]) => r.cmif!), timestamp), kind: 'cmif' });
    }

    if (!config.baseUrl || !config.adminEmail) {
      warn(ctx, where, 'oai-needs-base-url', 'an OAI-PMH static repository needs baseUrl and adminEmail in edition.config.json; exchange/oai-pmh.xml was not written');
    } else {
      files.push({ path: 'exchange/oai-pmh.xml', content: staticRepository(config, results.map(([d, r]) => ({ id: d.id, dc: r.dc })), timestamp), kind: 'oai-pmh' });
    }

    if (!config.baseUrl) {
      warn(ctx, where, 'dts-relative-urls', 'DTS responses use root-relative URLs (/exchange/dts/…) because baseUrl is not set');
    }
    const dts = new DtsBuilder(config.baseUrl, config.language, config.title);
    const inputs: DtsResourceInput[] = results.map(([d, r]) => ({ id: d.id, meta: d.meta, units: r.units, tei: r.tei, fragments: r.fragments }));
    let editionId = 'edition';
    while (docs.some((d) => d.id === editionId)) editionId += '-collection';
    files.push(...dts.files(inputs, editionId));
    states.delete(ctx);
    return files;
  },
};
