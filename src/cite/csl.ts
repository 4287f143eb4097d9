/**
 * The citation hub: ONE CSL-JSON record per document, built from the
 * document's metadata (DocMeta, from xslt/meta/meta.xsl), the corpus
 * registers and the edition config. Every citation style and every export
 * (BibTeX, RIS, the "Cite this" panel, the text header, the CLI) is a pure
 * function of these records. Nothing is invented: a field the TEI does not
 * give is left out.
 */
import { createRequire } from 'node:module';
import type { EditionConfig } from '../config.js';
import type { Agent, DateInfo, DocMeta, Passage, SourceInfo } from '../model.js';
import { docPage } from '../site/paths.js';
import type { Registry } from '../stages/index.js';
import type { CslDate, CslItem, CslName } from './styles.js';

const require = createRequire(import.meta.url);
const { parse: parseName } = require('@citation-js/name') as { parse(name: string): CslName };

/** What a record is built from. */
export interface CiteSource {
  id: string;
  meta: DocMeta;
}
export interface CiteContext {
  config: EditionConfig;
  registry?: Registry;
}

/** A citable passage of a document: the ¶ number and the fragment id the web page carries. */
export interface PassageRef { id: string; n: number }

/**
 * CSL item type:
 * - `letter`: correspondence (the header has a correspDesc with a sender or addressee);
 * - `manuscript`: any other document with a manuscript source (msDesc with a repository or shelfmark);
 * - `chapter`: everything else (introductions, commentaries): a contribution to the edition.
 */
export function itemType(meta: DocMeta): 'letter' | 'manuscript' | 'chapter' {
  if (meta.correspondence.some((c) => (c.type === 'sent' || c.type === 'received') && c.persons.length > 0)) return 'letter';
  if (meta.source.hasMs && (meta.source.repository || meta.source.institution || meta.source.idnos.length > 0)) return 'manuscript';
  return 'chapter';
}

/** ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD) → CSL date parts; undefined when not ISO. */
export function isoParts(iso: string): number[] | undefined {
  const m = /^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso.trim());
  if (!m) return undefined;
  return [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
}

/** A DateInfo as a CSL date: one day, or a range (from/to, notBefore/notAfter); uncertain dates get `circa`. */
export function cslDate(d: DateInfo | null | undefined): CslDate | undefined {
  if (!d) return undefined;
  const single = d.when ? isoParts(d.when) : undefined;
  let parts: number[][] | undefined;
  if (single) parts = [single];
  else {
    const [a, b] = d.value.includes('/') ? d.value.split('/') : [d.from, d.to];
    const from = a && a !== '..' ? isoParts(a) : undefined;
    const to = b && b !== '..' ? isoParts(b) : undefined;
    if (from && to) parts = [from, to];
    else if (from || to) parts = [(from ?? to)!];
    else {
      const v = isoParts(d.value);
      if (v) parts = [v];
    }
  }
  if (!parts) return undefined;
  const out: CslDate = { 'date-parts': parts };
  if (d.cert === 'low' || d.cert === 'unknown') out.circa = true;
  return out;
}

/** A display name ("Joseph Stalin", "Mamroth, Fedor") or an organisation as a CSL name. */
export function cslName(name: string, literal = false): CslName {
  const n = name.replace(/\s+/g, ' ').trim();
  if (literal) return { literal: n };
  const parsed = parseName(n);
  return parsed.family || parsed.literal ? parsed : { literal: n };
}

function isOrganisation(agent: Agent, ctx: CiteContext, docId: string): boolean {
  if (agent.element === 'orgName') return true;
  const r = agent.ref ? ctx.registry?.resolve(agent.ref.split(/\s+/)[0]!, docId) : undefined;
  return r?.kind === 'entry' && r.entry.kind === 'org';
}

/** The name to cite an agent by: the register's label when its @ref resolves to a person, else the name as written. */
function agentName(agent: Agent, ctx: CiteContext, docId: string, preferRegister: boolean): CslName {
  const org = isOrganisation(agent, ctx, docId);
  if (preferRegister && agent.ref) {
    const r = ctx.registry?.resolve(agent.ref.split(/\s+/)[0]!, docId);
    if (r?.kind === 'entry' && r.entry.label) return cslName(r.entry.label, org);
  }
  return cslName(agent.name, org);
}

function uniqueNames(names: CslName[]): CslName[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = JSON.stringify(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Idno types that make up a Russian-archive shelfmark, in citation order, with their abbreviations. */
const ARCHIVE_UNITS: [string[], string][] = [
  [['fond', 'fonds'], 'f.'],
  [['opis', 'opis\u02b9', 'inventory'], 'op.'],
  [['delo', 'file'], 'd.'],
];
/** Idno types that identify the electronic text, not the manuscript: never part of a shelfmark. */
const NOT_SHELFMARK = /^(uri|url|handle|doi|urn|ark|isbn|issn)$/i;

function range(from: string, to: string): string {
  return from && to && from !== to ? `${from}–${to}` : from || to;
}

/**
 * The shelfmark alone: `f. 558, op. 11, d. 62, ll. 71–72` from idno types fond/opis/delo and the locus
 * (listy); otherwise the manuscript's own idno(s) and the locus as given. Never a credit or a repository.
 */
export function shelfmark(source: SourceInfo): string {
  const parts: string[] = [];
  const typed = (types: string[]) => source.idnos.find((i) => types.includes(i.type.toLowerCase()))?.value;
  for (const [types, abbr] of ARCHIVE_UNITS) {
    const v = typed(types);
    if (v) parts.push(`${abbr} ${v}`);
  }
  const russian = parts.length > 0;
  if (!russian) {
    // The first idno that is a shelfmark (altIdentifier forms come after msIdentifier's own idno in DocMeta).
    const own = source.idnos.find((i) => i.value && !NOT_SHELFMARK.test(i.type));
    if (own) parts.push(own.value);
  }
  const folios = range(source.locusFrom, source.locusTo);
  if (folios) {
    const single = !source.locusTo || source.locusFrom === source.locusTo || !source.locusFrom;
    parts.push(russian ? `${single ? 'l.' : 'll.'} ${folios}` : `${single ? 'fol.' : 'fols.'} ${folios}`);
  } else if (source.locus) parts.push(source.locus);
  return parts.join(', ');
}

/** An acronym among a register entry's names (e.g. "RGASPI"), for the `archive` field. */
function acronym(names: string[]): string | undefined {
  return names.find((n) => /^[\p{Lu}\d&-]{2,12}$/u.test(n) && /\p{Lu}/u.test(n));
}

/**
 * The repository: its abbreviation when the encoding gives one (altIdentifier
 * of type "abbreviated", else an acronym among the register entry's names:
 * RGASPI), else its name as the TEI gives it.
 */
export function archiveName(meta: DocMeta, ctx: CiteContext, docId: string): { archive: string; full: string } {
  const s = meta.source;
  const full = s.repository || s.institution || s.collection;
  const r = s.repositoryRef ? ctx.registry?.resolve(s.repositoryRef.split(/\s+/)[0]!, docId) : undefined;
  const abbr = s.repositoryAbbr || (r?.kind === 'entry' ? acronym(r.entry.names) : undefined);
  return { archive: abbr && abbr !== full ? abbr : full, full };
}

/** The edition's full title: "Title: Subtitle", or "Title? Subtitle" when the title ends in ? or !. */
export function editionTitle(config: EditionConfig): string {
  if (!config.subtitle) return config.title;
  return /[?!]$/.test(config.title) ? `${config.title} ${config.subtitle}` : `${config.title}: ${config.subtitle}`;
}

export function documentUrl(config: EditionConfig, docId: string, fragment?: string): string | undefined {
  if (!config.baseUrl) return undefined;
  return config.baseUrl + docPage(docId) + (fragment ? `#${encodeURIComponent(fragment)}` : '');
}

/** The CSL-JSON record of one document (the hub). Keys are in a fixed order; empty fields are omitted. */
export function cslRecord(doc: CiteSource, ctx: CiteContext): CslItem {
  const { meta, id } = doc;
  const type = itemType(meta);
  const sent = meta.correspondence.filter((c) => c.type === 'sent').flatMap((c) => c.persons);
  const received = meta.correspondence.filter((c) => c.type === 'received').flatMap((c) => c.persons);
  const authors = meta.authors.length
    ? meta.authors.map((a) => agentName(a, ctx, id, false))
    : sent.map((a) => agentName(a, ctx, id, true));
  const recipients = type === 'letter' ? received.map((a) => agentName(a, ctx, id, true)) : [];
  const translators = meta.resp.filter((r) => /translat/i.test(r.resp)).flatMap((r) => r.names.map((a) => agentName(a, ctx, id, false)));
  const item: CslItem = { id, type };
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
    item[key] = value;
  };
  set('title', meta.title);
  set('author', uniqueNames(authors));
  set('recipient', uniqueNames(recipients));
  set('issued', cslDate(meta.date));
  if (type !== 'chapter') {
    const { archive } = archiveName(meta, ctx, id);
    set('archive', archive);
    set('archive_location', shelfmark(meta.source));
    set('archive-place', [meta.source.settlement, meta.source.country].filter(Boolean).join(', '));
  }
  set('translator', uniqueNames(translators));
  set('language', meta.lang);
  set('container-title', editionTitle(ctx.config));
  set('editor', ctx.config.editors.map((e) => cslName(e)));
  set('publisher', ctx.config.publisher);
  set('publisher-place', ctx.config.publisherPlace);
  set('URL', documentUrl(ctx.config, id));
  set('version', ctx.config.version);
  return item;
}

/** The record of one passage: the document's record with the passage's URL (fragment) and id. */
export function passageRecord(item: CslItem, config: EditionConfig, passage: PassageRef): CslItem {
  const out: CslItem = { ...item, id: `${item.id}#${passage.id}` };
  const url = documentUrl(config, item.id, passage.id);
  if (url) out.URL = url;
  return out;
}

/** The citation-level locator of a passage: CSL label `paragraph`, the ¶ number. */
export function passageLocator(passage: PassageRef): { locator: string; label: 'paragraph' } {
  return { locator: String(passage.n), label: 'paragraph' };
}

/** The edition itself as a CSL record (an edited, versioned online collection). */
export function editionRecord(config: EditionConfig): CslItem {
  const item: CslItem = { id: 'edition', type: 'book' };
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
    item[key] = value;
  };
  set('title', editionTitle(config));
  set('editor', config.editors.map((e) => cslName(e)));
  set('language', config.language);
  set('publisher', config.publisher);
  set('publisher-place', config.publisherPlace);
  set('URL', config.baseUrl || undefined);
  set('version', config.version);
  return item;
}

/** Finds a passage by its id or ¶ number ("par-3", "letter-p2", "3", "¶3"). */
export function findPassage(passages: Passage[], key: string): Passage | undefined {
  const k = key.replace(/^¶\s*/, '');
  return passages.find((p) => p.id === k) ?? (/^\d+$/.test(k) ? passages.find((p) => p.n === Number(k)) : undefined);
}
