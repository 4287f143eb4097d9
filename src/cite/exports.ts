/**
 * Exports of CSL records: CSL-JSON, BibLaTeX (with a plain-BibTeX fallback)
 * and RIS. Each interchange format has ONE field table, used both to write
 * and to read back (`readBack`): reading uses citation-js's parsers (BibTeX
 * lexer and value decoder, RIS parser), so a round trip proves the files are
 * well formed for real tools and lose no field. Values are escaped by
 * citation-js's BibTeX value formatter.
 */
import { createRequire } from 'node:module';
import { citationJs, type CslDate, type CslItem, type CslName } from './styles.js';

const require = createRequire(import.meta.url);
const bibValue = require('@citation-js/plugin-bibtex/lib/output/value.js') as { format(field: string, value: unknown): string };
const bibDecode = require('@citation-js/plugin-bibtex/lib/input/value.js') as { parse(text: string, field: string, languages?: string[]): unknown };
const risSyntax = require('@citation-js/plugin-ris/lib/ris.js') as { parse(text: string): Record<string, string | string[]>[] };
const { parse: parseName, format: formatName } = require('@citation-js/name') as { parse(n: string): CslName; format(n: CslName): string };

/** "Family, Given" (particles kept with the family name), or the literal name. */
export function invertedName(n: CslName): string {
  if (n.literal) return n.literal;
  const family = [n['non-dropping-particle'], n.family].filter(Boolean).join(' ');
  return [family, n.given, n.suffix].filter(Boolean).join(', ');
}

type Kind = 'names' | 'text' | 'date';

/**
 * BibTeX values: UTF-8 as is (biber and modern BibTeX read it; citation-js's ASCII
 * transliteration would drop Cyrillic), with only TeX's special characters
 * escaped and a no-break space written as `~`.
 */
const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', '%': '\\%', '&': '\\&', $: '\\$', '#': '\\#', _: '\\_',
  '^': '\\textasciicircum{}', '~': '\\textasciitilde{}', '\u00a0': '~',
};
export function texEscape(s: string): string {
  return s.replace(/[\\{}%&$#_^~\u00a0]/g, (c) => TEX_SPECIALS[c]!);
}
/** A copy of a CSL record with every string (and name part) TeX-escaped. */
function texItem<T>(v: T): T {
  if (typeof v === 'string') return texEscape(v) as T;
  if (Array.isArray(v)) return v.map(texItem) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'URL' || k === 'id' ? x : texItem(x)])) as T;
  return v;
}
let utf8Configured = false;
function bibtexConfig(): void {
  if (utf8Configured) return;
  const cfg = citationJs().plugins.config.get('@bibtex') as unknown as { format: { asciiOnly: boolean } };
  cfg.format.asciiOnly = false;
  utf8Configured = true;
}

/** Stable key order of CSL records (JSON output and comparisons). */
export const CSL_KEYS = [
  'id', 'type', 'title', 'author', 'recipient', 'issued', 'archive', 'archive_location', 'archive-place', 'translator',
  'language', 'container-title', 'editor', 'publisher', 'publisher-place', 'URL', 'version',
] as const;

export function orderKeys(item: CslItem): CslItem {
  const out: Record<string, unknown> = {};
  for (const k of CSL_KEYS) if (item[k] !== undefined) out[k] = item[k];
  for (const k of Object.keys(item).sort()) if (!(k in out)) out[k] = item[k];
  return out as CslItem;
}

// ---------------------------------------------------------------- CSL-JSON

export function toCslJson(items: CslItem[]): string {
  return JSON.stringify(items.map(orderKeys), null, 2) + '\n';
}

// ---------------------------------------------------------------- dates

/** CSL date → EDTF ("1950-08-27", "1889-08-03/1889-08-07", "1950~"). */
export function edtf(d: CslDate): string {
  const iso = (p: (number | string)[]) => p.map((v, i) => (i === 0 ? String(v).padStart(4, '0') : String(v).padStart(2, '0'))).join('-');
  const parts = d['date-parts'] ?? [];
  const s = parts.map(iso).join('/');
  return d.circa ? `${s}~` : s;
}

export function fromEdtf(s: string): CslDate {
  const circa = /~$/.test(s);
  const parts = s.replace(/~$/, '').split('/').map((p) => p.split('-').filter(Boolean).map(Number));
  return circa ? { 'date-parts': parts, circa: true } : { 'date-parts': parts };
}

// ---------------------------------------------------------------- BibLaTeX

/** CSL type ↔ BibLaTeX entry type (`@letter` as biblatex-chicago and Better BibTeX write it). */
const BIBLATEX_TYPES: Record<string, string> = { letter: 'letter', manuscript: 'unpublished', chapter: 'incollection', book: 'collection' };

/** CSL variable ↔ BibLaTeX field. `library` (repository + shelfmark) is written for biblatex styles and not read back. */
const BIBLATEX_FIELDS: [string, string, Kind][] = [
  ['author', 'author', 'names'],
  ['recipient', 'recipient', 'names'],
  ['title', 'title', 'text'],
  ['issued', 'date', 'date'],
  ['archive', 'archive', 'text'],
  ['archive_location', 'archive_location', 'text'],
  ['archive-place', 'archive_place', 'text'],
  ['translator', 'translator', 'names'],
  ['language', 'langid', 'text'],
  ['container-title', 'booktitle', 'text'],
  ['editor', 'editor', 'names'],
  ['publisher', 'publisher', 'text'],
  ['publisher-place', 'location', 'text'],
  ['URL', 'url', 'text'],
  ['version', 'version', 'text'],
];

/** A citation key from an id: letters, digits and `_.:-` (BibTeX keys allow no `#`, braces or commas). */
export const bibKey = (id: string) => id.replace(/[^\w.:-]/g, ':');

function bibField(name: string, value: string): string {
  return `\t${name} = {${value}},\n`;
}

function encode(kind: Kind, field: string, raw: unknown): string {
  bibtexConfig();
  const value = field === 'url' ? raw : texItem(raw);
  if (kind === 'names') return bibValue.format('editor', (value as CslName[]).map((n) => (n.literal ? { family: n.literal } : n)));
  if (kind === 'date') return edtf(value as CslDate);
  if (field === 'title' || field === 'booktitle') return bibValue.format('title', String(value));
  if (field === 'url') return bibValue.format('url', String(value));
  return bibValue.format('note', String(value));
}

export function toBibLaTeX(items: CslItem[]): string {
  return items
    .map((item) => {
      let body = '';
      for (const [csl, field, kind] of BIBLATEX_FIELDS) {
        if (item[csl] === undefined) continue;
        body += bibField(field, encode(kind, field, item[csl]));
      }
      const library = [item.archive, item.archive_location].filter(Boolean).join(', ');
      if (library) body += bibField('library', encode('text', 'library', library));
      return `@${BIBLATEX_TYPES[item.type] ?? 'misc'}{${bibKey(item.id)},\n${body}}\n`;
    })
    .join('\n');
}

/** Plain BibTeX (for BibTeX styles): citation-js's own mapping, plus what BibTeX can only say in `howpublished` and `note`. */
export function toBibTeX(items: CslItem[]): string {
  const { Cite } = citationJs();
  bibtexConfig();
  return items
    .map((item) => {
      const [entry] = new Cite(texItem(item)).format('bibtex', { format: 'object' }) as unknown as { type: string; label: string; properties: Record<string, string> }[];
      const props = { ...entry!.properties };
      const archival = [item.archive, item.archive_location, item['archive-place']].filter(Boolean).join(', ');
      if (archival) props.howpublished = texEscape(archival);
      const names = (v: unknown) => (v as CslName[]).map((n) => formatName(n)).join(', ');
      const notes = [
        item.recipient ? `Letter to ${names(item.recipient)}.` : '',
        item.translator ? `Translated by ${names(item.translator)}.` : '',
        item.version ? `Version ${String(item.version)}.` : '',
      ].filter(Boolean).join(' ');
      if (notes) props.note = texEscape(notes);
      if (item.language) props.language = texEscape(String(item.language));
      const body = Object.keys(props).sort().map((k) => bibField(k, props[k]!)).join('');
      const type = item.archive_location ? 'unpublished' : entry!.type;
      return `@${type}{${bibKey(item.id)},\n${body}}\n`;
    })
    .join('\n');
}

function readBibLaTeX(text: string): CslItem[] {
  const core = citationJs();
  const entries = core.plugins.input.chain(text, { target: '@biblatex/entries+list', generateGraph: false }) as {
    type: string; label: string; properties: Record<string, string>;
  }[];
  return entries.map((e) => {
    const type = Object.entries(BIBLATEX_TYPES).find(([, t]) => t === e.type.toLowerCase())?.[0] ?? 'document';
    const item: CslItem = { id: e.label, type };
    const lang = e.properties.langid ? [e.properties.langid] : [];
    for (const [csl, field, kind] of BIBLATEX_FIELDS) {
      const raw = e.properties[field];
      if (raw === undefined) continue;
      if (kind === 'names') item[csl] = (bibDecode.parse(raw, 'editor', lang) as CslName[]).map((n) => (n.family && Object.keys(n).length === 1 ? { literal: n.family } : n));
      else if (kind === 'date') item[csl] = fromEdtf(String(bibDecode.parse(raw, 'date', lang)));
      else item[csl] = String(bibDecode.parse(raw, field === 'title' || field === 'booktitle' ? 'note' : field === 'url' ? 'url' : 'note', lang));
    }
    return orderKeys(item);
  });
}

// ---------------------------------------------------------------- RIS

/** CSL variable ↔ RIS tag. What RIS has no tag for travels in N1 as "variable: value" lines. */
const RIS_FIELDS: [string, string, Kind][] = [
  ['title', 'TI', 'text'],
  ['author', 'AU', 'names'],
  ['recipient', 'A2', 'names'],
  ['editor', 'A3', 'names'],
  ['translator', 'A4', 'names'],
  ['issued', 'DA', 'date'],
  ['archive', 'DB', 'text'],
  ['archive_location', 'AN', 'text'],
  ['language', 'LA', 'text'],
  ['container-title', 'T2', 'text'],
  ['publisher', 'PB', 'text'],
  ['publisher-place', 'CY', 'text'],
  ['URL', 'UR', 'text'],
  ['version', 'ET', 'text'],
];
const RIS_NOTE_FIELDS = ['archive-place'];

function risType(item: CslItem): string {
  if (item.archive_location || item.type === 'manuscript') return 'MANSCPT';
  if (item.type === 'letter') return 'PCOMM';
  if (item.type === 'chapter') return 'CHAP';
  if (item.type === 'book') return item.editor ? 'EDBOOK' : 'BOOK';
  return 'GEN';
}

/** RIS date: YYYY/MM/DD/ for a single day; a range (or an uncertain date) is given in full in N1. */
function risDate(d: CslDate): string {
  const first = (d['date-parts'] ?? [])[0] ?? [];
  return [0, 1, 2].map((i) => (first[i] !== undefined ? String(first[i]).padStart(i ? 2 : 4, '0') : '')).join('/') + '/';
}

const risLine = (tag: string, value: string) => `${tag}  - ${value.replace(/\s*\n\s*/g, ' ')}`;

export function toRis(items: CslItem[]): string {
  return items
    .map((item) => {
      const lines = [risLine('TY', risType(item)), risLine('ID', item.id), risLine('M3', item.type)];
      const notes: string[] = [];
      for (const [csl, tag, kind] of RIS_FIELDS) {
        const v = item[csl];
        if (v === undefined) continue;
        if (kind === 'names') for (const n of v as CslName[]) lines.push(risLine(tag, invertedName(n)));
        else if (kind === 'date') {
          const d = v as CslDate;
          lines.push(risLine(tag, risDate(d)), risLine('PY', String(d['date-parts']?.[0]?.[0] ?? '')));
          if ((d['date-parts']?.length ?? 0) > 1 || d.circa) notes.push(`issued: ${edtf(d)}`);
        } else lines.push(risLine(tag, String(v)));
      }
      for (const k of RIS_NOTE_FIELDS) if (item[k] !== undefined) notes.push(`${k}: ${String(item[k])}`);
      if (notes.length) lines.push(risLine('N1', notes.join('\n').replace(/\n/g, '; ')));
      lines.push('ER  - ');
      return lines.join('\n') + '\n';
    })
    .join('\n');
}

function readRis(text: string): CslItem[] {
  return risSyntax.parse(text).map((rec) => {
    const list = (tag: string) => ([] as string[]).concat(rec[tag] ?? []);
    const item: CslItem = { id: list('ID')[0] ?? '', type: list('M3')[0] ?? 'document' };
    const notes = new Map<string, string>();
    for (const line of list('N1').join('; ').split(/;\s(?=[a-z_-]+:\s)/)) {
      const m = /^([a-z_-]+):\s(.*)$/.exec(line.trim());
      if (m) notes.set(m[1]!, m[2]!);
    }
    for (const [csl, tag, kind] of RIS_FIELDS) {
      const values = list(tag);
      if (!values.length) continue;
      if (kind === 'names') item[csl] = values.map((v) => (/,/.test(v) ? parseName(v) : { literal: v }));
      else if (kind === 'date') {
        item[csl] = notes.has('issued') ? fromEdtf(notes.get('issued')!) : { 'date-parts': [values[0]!.split('/').filter(Boolean).map(Number)] };
      } else item[csl] = values.join(' ');
    }
    for (const k of RIS_NOTE_FIELDS) if (notes.has(k)) item[k] = notes.get(k);
    return orderKeys(item);
  });
}

// ---------------------------------------------------------------- read back

/** Parses an export with citation-js and maps it back to CSL records through the same field table. */
export function readBack(format: 'csl-json' | 'biblatex' | 'ris', text: string): CslItem[] {
  if (format === 'biblatex') return readBibLaTeX(text);
  if (format === 'ris') return readRis(text);
  // citation-js's own CSL-JSON round trip (its output "downgrades" to CSL 1.0.1, e.g. book+version read as software goes back to book).
  const { Cite } = citationJs();
  const { downgradeCsl } = (require('@citation-js/core') as { util: { downgradeCsl(item: CslItem): CslItem } }).util;
  return new Cite(JSON.parse(text)).data.map((d) => {
    const { _graph, ...rest } = downgradeCsl(d) as CslItem & { _graph?: unknown };
    void _graph;
    return orderKeys(rest as CslItem);
  });
}
