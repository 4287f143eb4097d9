/**
 * Distributed Text Services 1.0, Level 0, as static files under exchange/dts/:
 *
 *   index.json                                   entry point
 *   collection.json, collection/<id>.json        collection endpoint (root; each Resource)
 *   navigation/<id>;down=1.json, ;down=-1.json   navigation of the default citation tree
 *   navigation/<id>/<ref>.json                   one CitableUnit (ref, no down)
 *   navigation/<id>;down=1/<ref>.json            a part and its paragraphs
 *   navigation/<id>;tree=notes;down=1.json …     the notes tree
 *   document/<id>.xml                            the whole Resource (the TEI export)
 *   document/<id>/<ref>.xml, document/<id>;tree=notes/<ref>.xml   fragments in dts:wrapper
 *
 * URI templates (RFC 6570) for static hosting: `collection{/id}.json`,
 * `navigation/{resource}{;tree,down}{/ref}.json`, `document/{resource}{;tree}{/ref}.xml`.
 * URLs are absolute when config.baseUrl is set, else root-relative (/exchange/dts/…).
 */
import { joined, type DocMeta, type OutputFile } from '../model.js';

export const DTS_CONTEXT = 'https://dtsapi.org/context/v1.0.json';
export const DTS_VERSION = '1.0';
export const NOTES_TREE = 'notes';

export interface DtsUnits {
  /** Parts and top-level paragraphs, in document order. */
  top: { kind: 'part' | 'paragraph'; id: string }[];
  parts: { id: string; title: string; passages: string[] }[];
  passages: { id: string; n: number; part: string }[];
  notes: { id: string; n: number }[];
}

export interface DtsResourceInput {
  id: string;
  meta: DocMeta;
  units: DtsUnits;
  /** The TEI export (document endpoint without ref). */
  tei: string;
  /** ref → fragment TEI (dts:wrapper). */
  fragments: Map<string, string>;
}

export interface CitableUnit {
  identifier: string;
  '@type': 'CitableUnit';
  level: number;
  parent: string | null;
  citeType: string;
  dublinCore?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

export const CITATION_TREES = [
  {
    '@type': 'CitationTree',
    citeStructure: [
      { '@type': 'CiteStructure', citeType: 'part', citeStructure: [{ '@type': 'CiteStructure', citeType: 'paragraph' }] },
      { '@type': 'CiteStructure', citeType: 'paragraph' },
    ],
  },
  {
    '@type': 'CitationTree',
    identifier: NOTES_TREE,
    description: 'Notes, numbered as in the edition',
    citeStructure: [{ '@type': 'CiteStructure', citeType: 'note' }],
  },
];

const NCNAME = /^[\p{L}_][\p{L}\p{N}_.\-\u00B7\u0300-\u036F\u203F-\u2040]*$/u;

/** Stands for the members in the collection's text until they are put in (no member's text has a NUL unescaped). */
const MEMBERS = '\u0000members\u0000';

/** A member's text as JSON.stringify(collection, null, 1) writes it (two levels in), once per member object. */
const memberTexts = new WeakMap<object, string>();
export function memberText(m: Record<string, unknown>): string {
  let t = memberTexts.get(m);
  if (t === undefined) memberTexts.set(m, (t = `  ${JSON.stringify(m, null, 1).replace(/\n/g, '\n  ')}`));
  return t;
}

/**
 * JSON.stringify(root with `member: members`, null, 1) + '\n', in pieces (written one after the other,
 * not joined: at 10 000 letters it is 13 MB), with each member's text made once per member object.
 */
export function collectionText(root: Record<string, unknown>, members: Record<string, unknown>[]): string[] {
  if (!members.length) return [JSON.stringify({ ...root, member: members }, null, 1), '\n'];
  const frame = JSON.stringify({ ...root, member: [MEMBERS] }, null, 1);
  const at = frame.indexOf(`  ${JSON.stringify(MEMBERS)}`);
  return [frame.slice(0, at), ...joined(members.map(memberText), ',\n'), frame.slice(at + JSON.stringify(MEMBERS).length + 2), '\n'];
}

export class DtsBuilder {
  readonly base: string;
  constructor(baseUrl: string, private readonly lang: string, private readonly editionTitle: string) {
    this.base = baseUrl ? `${baseUrl}exchange/dts/` : '/exchange/dts/';
  }

  get templates() {
    return {
      collection: `${this.base}collection{/id}.json`,
      navigation: `${this.base}navigation/{resource}{;tree,down}{/ref}.json`,
      document: `${this.base}document/{resource}{;tree}{/ref}.xml`,
    };
  }

  entryPoint(): Record<string, unknown> {
    return { '@context': DTS_CONTEXT, dtsVersion: DTS_VERSION, '@id': `${this.base}index.json`, '@type': 'EntryPoint', ...this.templates };
  }

  resource(r: DtsResourceInput, full: boolean): Record<string, unknown> {
    const m = r.meta;
    const dc: Record<string, unknown> = { title: [{ lang: m.lang || this.lang, value: m.title || r.id }] };
    const creators = m.authors.map((a) => a.name).filter(Boolean);
    if (creators.length) dc.creator = creators;
    const date = m.date?.when || m.date?.value;
    if (date) dc.date = [date];
    if (m.lang) dc.language = [m.lang];
    dc.isPartOf = [this.editionTitle];
    const out: Record<string, unknown> = {
      '@id': r.id,
      '@type': 'Resource',
      title: m.title || r.id,
      totalParents: 1,
      totalChildren: 0,
      collection: `${this.base}collection/${r.id}.json`,
      navigation: `${this.base}navigation/${r.id}{;tree,down}{/ref}.json`,
      document: `${this.base}document/${r.id}{;tree}{/ref}.xml`,
      citationTrees: CITATION_TREES,
      mediaTypes: ['application/tei+xml'],
      download: `${this.base.replace(/dts\/$/, '')}tei/${r.id}.xml`,
    };
    if (full) out.dublinCore = dc;
    return out;
  }

  /** The default tree's units in document order (pre-order, depth first). */
  units(r: DtsResourceInput): CitableUnit[] {
    const n = new Map(r.units.passages.map((p) => [p.id, p.n]));
    const parts = new Map(r.units.parts.map((p) => [p.id, p]));
    const out: CitableUnit[] = [];
    const para = (id: string, parent: string | null, level: number): CitableUnit => ({
      identifier: id, '@type': 'CitableUnit', level, parent, citeType: 'paragraph',
      dublinCore: { identifier: [`¶ ${n.get(id)}`] },
    });
    for (const t of r.units.top) {
      if (t.kind === 'paragraph') out.push(para(t.id, null, 1));
      else {
        const p = parts.get(t.id)!;
        const unit: CitableUnit = { identifier: p.id, '@type': 'CitableUnit', level: 1, parent: null, citeType: 'part' };
        if (p.title) unit.dublinCore = { title: [{ lang: r.meta.lang || this.lang, value: p.title }] };
        out.push(unit);
        for (const id of p.passages) out.push(para(id, p.id, 2));
      }
    }
    return out;
  }

  noteUnits(r: DtsResourceInput): CitableUnit[] {
    return r.units.notes.map((x) => ({
      identifier: x.id, '@type': 'CitableUnit', level: 1, parent: null, citeType: 'note',
      dublinCore: { identifier: [`note ${x.n}`] },
    }));
  }

  private navigation(r: DtsResourceInput, query: string, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      '@context': DTS_CONTEXT, dtsVersion: DTS_VERSION, '@type': 'Navigation',
      '@id': `${this.base}navigation/${r.id}${query}.json`,
      resource: this.resource(r, false),
      ...extra,
    };
  }

  /** The edition-wide files: entry point and the edition's collection, whose members are the documents' `resource(r, true)`. */
  corpusFiles(members: Record<string, unknown>[], editionId: string): OutputFile[] {
    const files: OutputFile[] = [];
    const json = (p: string, v: unknown) => files.push({ path: `exchange/dts/${p}`, content: JSON.stringify(v, null, 1) + '\n', kind: 'dts' });
    json('index.json', this.entryPoint());
    const root = {
      '@context': DTS_CONTEXT, dtsVersion: DTS_VERSION, '@id': editionId, '@type': 'Collection',
      title: this.editionTitle, totalParents: 0, totalChildren: members.length,
      collection: this.templates.collection,
      member: members,
    };
    // The root collection answers at both paths: serialised once (at 10 000 letters it is ~13 MB),
    // each member once per object (a watcher's contributions of unchanged documents are the same objects).
    const text = collectionText(root, members);
    files.push({ path: 'exchange/dts/collection.json', content: text, kind: 'dts' }, { path: `exchange/dts/collection/${editionId}.json`, content: text, kind: 'dts' });
    return files;
  }

  /** One document's files: its collection (resource) response, navigation and document endpoints. */
  documentFiles(r: DtsResourceInput): OutputFile[] {
    const files: OutputFile[] = [];
    const json = (p: string, v: unknown) =>
      files.push({ path: `exchange/dts/${p}`, content: JSON.stringify(v, null, 1) + '\n', kind: 'dts', doc: r.id });
    json(`collection/${r.id}.json`, { '@context': DTS_CONTEXT, dtsVersion: DTS_VERSION, ...this.resource(r, true) });
    const units = this.units(r);
    const notes = this.noteUnits(r);
    json(`navigation/${r.id};down=1.json`, this.navigation(r, ';down=1', { member: units.filter((u) => u.level === 1) }));
    json(`navigation/${r.id};down=-1.json`, this.navigation(r, ';down=-1', { member: units }));
    for (const u of units) {
      if (!NCNAME.test(u.identifier)) continue;
      json(`navigation/${r.id}/${u.identifier}.json`, this.navigation(r, `/${u.identifier}`, { ref: u }));
      if (u.citeType === 'part') {
        const member = [u, ...units.filter((c) => c.parent === u.identifier)];
        json(`navigation/${r.id};down=1/${u.identifier}.json`, this.navigation(r, `;down=1/${u.identifier}`, { ref: u, member }));
      }
    }
    const nq = `;tree=${NOTES_TREE}`;
    json(`navigation/${r.id}${nq};down=1.json`, this.navigation(r, `${nq};down=1`, { member: notes }));
    json(`navigation/${r.id}${nq};down=-1.json`, this.navigation(r, `${nq};down=-1`, { member: notes }));
    for (const u of notes) {
      if (!NCNAME.test(u.identifier)) continue;
      json(`navigation/${r.id}${nq}/${u.identifier}.json`, this.navigation(r, `${nq}/${u.identifier}`, { ref: u }));
    }
    files.push({ path: `exchange/dts/document/${r.id}.xml`, content: r.tei, doc: r.id, kind: 'dts' });
    const noteIds = new Set(notes.map((u) => u.identifier));
    for (const [ref, xml] of [...r.fragments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!NCNAME.test(ref)) continue;
      const dir = noteIds.has(ref) ? `${r.id}${nq}` : r.id;
      files.push({ path: `exchange/dts/document/${dir}/${ref}.xml`, content: xml, doc: r.id, kind: 'dts' });
    }
    return files;
  }

  /** Every file of the DTS service for these documents (edition-wide and per document). */
  files(resources: DtsResourceInput[], editionId: string): OutputFile[] {
    return [...this.corpusFiles(resources.map((r) => this.resource(r, true)), editionId), ...resources.flatMap((r) => this.documentFiles(r))];
  }
}
