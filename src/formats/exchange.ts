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
import createDebug from 'debug';
import { memoText, sha256, versionSalt } from '../cache.js';
import { diagnostic } from '../diagnostics.js';
import { cmifFile, editionUuid } from '../exchange/cmif.js';
import { contextText, forgetParsedContext, lastContext, parsedContext } from '../exchange/context.js';
import { DtsBuilder, memberText, type DtsResourceInput } from '../exchange/dts.js';
import { staticRepository } from '../exchange/oai.js';
import { exchangeParams, type ExchangeParams } from '../exchange/params.js';
import { CORPUS_STYLESHEET, corpusFile, corpusFrame, EXCHANGE_STYLESHEET, exchangeDocument, exportThread, startExportThread, type ExchangeResult } from '../exchange/run.js';
import { sourceTimestamp } from '../exchange/timestamp.js';
import { loadStylesheets } from '../xslt/run.js';
import { stylesheetsHash } from '../xslt/sef.js';
import { warmThread } from '../workers.js';
import { locatePaths } from '../xml/locate.js';
import type { OutputFile } from '../model.js';
import type { BuildContext, BuiltDocument, DocumentOutput, Format } from './types.js';
import { DocumentUnion } from './union.js';

interface State {
  /** The context document's text (src/exchange/context.ts). */
  text: Promise<string>;
  /** Its parse, made when a stylesheet first needs it (a teiCorpus frame from the build cache does not). */
  context(): Promise<unknown>;
  params: ExchangeParams;
}

/** A document's contribution to the edition-wide exchange files (kept in the build cache between builds). */
interface ExchangeData {
  /** Register entries its export references (the teiCorpus standOff holds their union). */
  entries: string[];
  /** Its member of the teiCorpus. */
  corpusMember: string;
  /** Its CMIF correspDesc, when it is a letter. */
  cmif: string | null;
  /** Its Dublin Core record (OAI-PMH). */
  dc: string;
  /** Its DTS resource, as a member of the edition's collection. */
  resource: Record<string, unknown>;
}

const debug = createDebug('tei-edition:build');

const states = new WeakMap<BuildContext, State>();

/** Per build (per worker): the context document (documents and register files) and the stylesheet parameters. */
function state(ctx: BuildContext): State {
  let s = states.get(ctx);
  if (!s) {
    const text = contextText(ctx);
    let parsed: Promise<unknown> | undefined;
    // (The last one parsed on this thread is kept for a watcher's next build: src/exchange/context.ts.)
    s = { text, context: () => (parsed ??= text.then(parsedContext)), params: exchangeParams(ctx.config, editionUuid(ctx.config)) };
    states.set(ctx, s);
  }
  return s;
}

/**
 * The teiCorpus frame's memo name: a hash of what corpus.xsl makes it from (the package and stylesheets,
 * the context text, the parameters, the entries referred to, the editors). The last one is kept with
 * its inputs: a watcher's save after a word edit gives the same context text (the same string:
 * src/exchange/context.ts) and the same entries, and the ~2 MB of context are not hashed again.
 */
let lastFrame: { inputs: string; context: string; key: string } | undefined;
async function frameKey(context: string, params: ExchangeParams, entryIds: string[], editors: unknown): Promise<string> {
  const inputs = JSON.stringify([versionSalt(), await stylesheetsHash(), params, entryIds, editors]);
  if (lastFrame && lastFrame.inputs === inputs && lastFrame.context === context) return lastFrame.key;
  const key = sha256(`${inputs}\n${context}`);
  lastFrame = { inputs, context, key };
  return key;
}

/** An export begun on the export thread before its build made the context (see `ahead`), with what it was made from. */
interface Ahead {
  id: string;
  text: string;
  context: string;
  params: string;
  result: Promise<ExchangeResult>;
}

/** Exports begun ahead, by file: the next build takes each, if it is still what it would make (once). */
let aheads = new Map<string, Ahead>();

/** The register entries the documents' exports name, sorted (the teiCorpus header lists them): kept by a watcher. */
const namedEntries = new DocumentUnion();

/** The export begun ahead for this document, if it was made from what this build's would be. */
function takeAhead(doc: BuiltDocument, text: string, context: string, params: ExchangeParams): Promise<ExchangeResult> | undefined {
  const a = aheads.get(doc.file);
  if (!a) return undefined;
  aheads.delete(doc.file);
  if (a.id !== doc.id || a.text !== text || a.context !== context || a.params !== JSON.stringify(params)) {
    debug('exchange: export of %s begun ahead not taken (its document, context or parameters changed)', doc.id);
    return undefined;
  }
  debug('exchange: export of %s made ahead', doc.id);
  return a.result;
}

const dtsBuilder = (config: BuildContext['config']) => new DtsBuilder(config.baseUrl, config.language, config.title);

function warn(ctx: BuildContext, file: string, ruleId: string, text: string): void {
  ctx.report(diagnostic(text, { file, ruleId, severity: 'warning' }));
}

/**
 * Pure per document (its export depends on the document, the corpus outline and
 * the register files — the pipeline's interface digest covers all three), so it
 * renders on the worker pool and an incremental build carries unchanged exports
 * over; what the edition-wide files need of each document travels as its
 * contribution (ExchangeData), read back one document at a time.
 */
export const exchangeFormat: Format = {
  name: 'exchange',
  needsText: true,
  pureDocument: true,
  async warmUp(ctx) {
    await loadStylesheets([EXCHANGE_STYLESHEET, CORPUS_STYLESHEET]);
    const s = state(ctx);
    // With a second core, the export thread for a save's document (`ahead`), warmed by making the first
    // document's export there (WARM_RUNS times; the context document parsed on it), side by side with the rest.
    const first = ctx.documents[0];
    const warming = ctx.session && (ctx.jobs ?? 1) > 1 && first?.text !== undefined
      ? warmThread(startExportThread(), { doc: { id: first.id, file: first.file }, text: first.text, context: await s.text, params: s.params }).catch(() => undefined)
      : undefined;
    // The context document parsed (kept for the watcher's builds: a save's export of its document reads it).
    await s.context();
    states.delete(ctx);
    // The DTS collection's member texts (made once per member: a watcher's first save then makes one).
    const contributions = (ctx.contributions?.('exchange') ?? []) as Iterable<{ data: ExchangeData }>;
    for (const { data } of contributions) memberText(data.resource);
    await warming;
  },
  // A save's export begun on the export thread with the last build's context, while the build transforms
  // the document and makes its registry (~0.2 s of a save at 10 000 letters); document() takes it if the
  // document's id, its text, the context and the parameters are still what it was made from.
  ahead(sources, config) {
    aheads = new Map();
    const thread = exportThread();
    const last = lastContext();
    if (!thread || !last) return;
    const params = exchangeParams(config, editionUuid(config));
    for (const { file, text } of sources) {
      const id = last.idOf(file);
      if (id === undefined) continue;
      const result = thread.run({ doc: { id, file }, text, context: last.text, params }) as Promise<ExchangeResult>;
      result.catch(() => undefined); // (taken, or not, by document(), which then makes it itself)
      aheads.set(file, { id, text, context: last.text, params: JSON.stringify(params), result });
    }
  },
  async document(doc: BuiltDocument, ctx: BuildContext): Promise<DocumentOutput> {
    if (doc.text === undefined) return { files: [] };
    const s = state(ctx);
    const early = takeAhead(doc, doc.text, await s.text, s.params);
    const make = async () => exchangeDocument(doc, doc.text!, await s.context(), s.params);
    const r = early ? await early.catch(make) : await make();
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
    const dts = dtsBuilder(ctx.config);
    const input: DtsResourceInput = { id: doc.id, meta: doc.meta, units: r.units, tei: r.tei, fragments: r.fragments };
    const data: ExchangeData = { entries: r.entries, corpusMember: r.corpusMember, cmif: r.cmif ?? null, dc: r.dc, resource: dts.resource(input, true) };
    return {
      files: [
        { path: `exchange/tei/${doc.id}.xml`, content: r.tei, doc: doc.id, kind: 'tei-export' },
        { path: `exchange/oai_dc/${doc.id}.xml`, content: r.dc, doc: doc.id, kind: 'oai_dc' },
        ...dts.documentFiles(input),
      ],
      data,
    };
  },
  async corpus(ctx: BuildContext): Promise<OutputFile[]> {
    const config = ctx.config;
    const contributions = () => (ctx.contributions?.('exchange') ?? []) as Iterable<{ doc: BuiltDocument; data: ExchangeData }>;
    const docs: BuiltDocument[] = [];
    const entryLists = new Map<string, readonly string[]>();
    const letters: string[] = [];
    const records: { id: string; dc: string }[] = [];
    const members: Record<string, unknown>[] = [];
    // One read of each contribution (at 10 000 letters each read of them all takes ~1 s); the
    // teiCorpus members are kept until written (they are its pieces: the teiCorpus is never one string).
    const corpusMembers: string[] = [];
    for (const { doc, data } of contributions()) {
      corpusMembers.push(data.corpusMember);
      docs.push(doc);
      entryLists.set(doc.id, data.entries);
      if (data.cmif) letters.push(data.cmif);
      records.push({ id: doc.id, dc: data.dc });
      members.push(data.resource);
    }
    const files: OutputFile[] = [];
    const where = path.join(ctx.corpusDir, 'edition.config.json');
    const s = state(ctx);

    // The register entries the documents name (kept by a watcher, updated for the documents changed since).
    const entryIds = namedEntries.of(ctx, (d) => entryLists.get(d.id) ?? []);
    const frame = await memoText(ctx, `teicorpus-${await frameKey(await s.text, s.params, entryIds, config.editors)}`,
      async () => corpusFrame(await s.context(), s.params, entryIds, config.editors));
    const corpus = corpusFile(frame, corpusMembers);
    files.push({ path: 'exchange/tei/corpus.xml', content: corpus, kind: 'tei-corpus' });

    // Needed by CMIF and OAI-PMH only (both need a base URL): taken when first asked for.
    let stamp: string | undefined;
    const timestamp = () => (stamp ??= sourceTimestamp(docs.map((d) => d.file)));
    if (!config.baseUrl) {
      if (docs.some((d) => d.meta.correspondence.length)) {
        warn(ctx, where, 'cmif-needs-base-url', 'CMIF needs absolute URLs: set baseUrl in edition.config.json; exchange/cmif.xml was not written');
      }
    } else if (letters.length) {
      files.push({ path: 'exchange/cmif.xml', content: cmifFile(config, letters, timestamp()), kind: 'cmif' });
    }

    if (!config.baseUrl || !config.adminEmail) {
      warn(ctx, where, 'oai-needs-base-url', 'an OAI-PMH static repository needs baseUrl and adminEmail in edition.config.json; exchange/oai-pmh.xml was not written');
    } else {
      files.push({ path: 'exchange/oai-pmh.xml', content: staticRepository(config, records, timestamp()), kind: 'oai-pmh' });
    }

    if (!config.baseUrl) {
      warn(ctx, where, 'dts-relative-urls', 'DTS responses use root-relative URLs (/exchange/dts/…) because baseUrl is not set');
    }
    let editionId = 'edition';
    while (docs.some((d) => d.id === editionId)) editionId += '-collection';
    files.push(...dtsBuilder(config).corpusFiles(members, editionId));
    states.delete(ctx);
    // The parsed context is kept for a watcher's next build only (at 10 000 letters it is ~100 MB).
    if (ctx.session === false) forgetParsedContext();
    aheads = new Map();
    return files;
  },
};
