/**
 * One saxes pass per document collecting what the corpus-level checks need:
 * ids, register entries, pointers, names used with @ref, header and dateline
 * dates — each with its position.
 */
import path from 'node:path';
import { SaxesParser } from 'saxes';
import type { LoadedDocument } from '../stages/load.js';

const TEI_NS = 'http://www.tei-c.org/ns/1.0';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const LISTS = new Set(['listPerson', 'listPlace', 'listOrg', 'listEvent', 'listBibl', 'listObject', 'listNym']);
const NAMES = new Set(['persName', 'placeName', 'orgName', 'name', 'rs', 'title', 'eventName']);
const POINTERS = ['ref', 'target', 'corresp', 'source'];

export interface Located {
  line: number;
  column: number;
}

export interface DocFacts {
  doc: LoadedDocument;
  /** Path relative to the corpus root, with `/`. */
  rel: string;
  isRegister: boolean;
  ids: (Located & { id: string })[];
  /** Entries of list* elements (person, place, org, event, bibl…) with an xml:id. */
  entries: (Located & { id: string; element: string })[];
  pointers: (Located & { attr: string; element: string; value: string })[];
  names: (Located & { element: string; text: string; ref: string })[];
  /** Date of sending / creation in the header. */
  headerDate?: Located & { when?: string; notBefore?: string; notAfter?: string };
  datelineDates: (Located & { when: string })[];
}

export function isRegisterPath(rel: string): boolean {
  return /(^|\/)registers?\//i.test(rel) || /(^|\/)(register|index|indices)[^/]*\.xml$/i.test(rel);
}

export function collectFacts(doc: LoadedDocument, corpusDir: string): DocFacts {
  const rel = path.relative(corpusDir, doc.path).split(path.sep).join('/');
  const facts: DocFacts = { doc, rel, isRegister: isRegisterPath(rel), ids: [], entries: [], pointers: [], names: [], datelineDates: [] };
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: string[] = [];
  const names: ({ element: string; ref: string; text: string; at: Located } | null)[] = [];
  let inDateline = 0;
  let inSentOrCreation = 0;
  let hasStandOff = false;
  let tagAt: Located = { line: 1, column: 1 };
  parser.on('opentagstart', (tag) => {
    tagAt = { line: parser.line, column: Math.max(1, parser.column - [...tag.name].length - 1) };
  });
  parser.on('opentag', (tag) => {
    const local = tag.uri === TEI_NS ? tag.local : `{${tag.uri}}${tag.local}`;
    const parent = stack[stack.length - 1];
    const attr = (ns: string, l: string) => {
      for (const a of Object.values(tag.attributes)) if (a.uri === ns && a.local === l) return a.value;
      return undefined;
    };
    const id = attr(XML_NS, 'id');
    if (id !== undefined) {
      facts.ids.push({ id, ...tagAt });
      if (parent && LISTS.has(parent)) facts.entries.push({ id, element: local, ...tagAt });
    }
    if (local === 'standOff') hasStandOff = true;
    for (const p of POINTERS) {
      const v = attr('', p);
      if (v !== undefined) facts.pointers.push({ attr: p, element: local, value: v, ...tagAt });
    }
    if (NAMES.has(local)) {
      const ref = attr('', 'ref') ?? attr('', 'key');
      names.push(ref ? { element: local, ref: ref.trim(), text: '', at: tagAt } : null);
    }
    if (local === 'dateline') inDateline++;
    if (inDateline) {
      const when = attr('', 'when');
      if (when) facts.datelineDates.push({ when, ...tagAt });
    }
    const type = attr('', 'type');
    if ((local === 'correspAction' && type === 'sent') || local === 'creation') inSentOrCreation++;
    if (local === 'date' && inSentOrCreation && !facts.headerDate && stack.includes('teiHeader')) {
      facts.headerDate = { when: attr('', 'when'), notBefore: attr('', 'notBefore') ?? attr('', 'from'), notAfter: attr('', 'notAfter') ?? attr('', 'to'), ...tagAt };
    }
    stack.push(local);
    if (tag.isSelfClosing) return;
  });
  parser.on('text', (t) => {
    for (const n of names) if (n) n.text += t;
  });
  parser.on('closetag', (tag) => {
    const local = stack.pop();
    if (local === 'dateline') inDateline--;
    if ((local === 'correspAction' && tag.attributes.type?.value === 'sent') || local === 'creation') inSentOrCreation--;
    if (local && NAMES.has(local)) {
      const n = names.pop();
      if (n) {
        const text = n.text.replace(/\s+/g, ' ').trim();
        if (text) facts.names.push({ element: n.element, ref: n.ref, text, ...n.at });
      }
    }
  });
  parser.on('error', () => undefined);
  try {
    parser.write(doc.text).close();
  } catch {
    // broken documents were reported by the load stage
  }
  if (hasStandOff) facts.isRegister = true;
  return facts;
}
