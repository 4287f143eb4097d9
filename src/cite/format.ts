/**
 * Formatted citations through the CSL processor (citeproc-js, one engine per
 * style: ./engine.ts) and the bundled styles; exports through ./exports.ts.
 * Pure functions of CSL records: nothing here reads TEI. Results are memoised
 * by content (record, style, passage), so any caller may ask again.
 */
import { passageLocator, passageRecord, type PassageRef } from './csl.js';
import { toBibLaTeX, toBibTeX, toCslJson, toRis } from './exports.js';
import { styleEngine } from './engine.js';
import { STYLE_TEMPLATES, type CslItem } from './styles.js';
import type { EditionConfig } from '../config.js';

export const CITE_STYLES = ['chicago', 'chicago-short', 'chicago-bib', 'mla', 'apa', 'bibtex', 'biblatex', 'ris', 'csl-json'] as const;
export type CiteStyle = (typeof CITE_STYLES)[number];

export const STYLE_LABELS: Record<CiteStyle, string> = {
  chicago: 'Chicago (note)',
  'chicago-short': 'Chicago (short note)',
  'chicago-bib': 'Chicago (bibliography)',
  mla: 'MLA (9th ed.)',
  apa: 'APA (7th ed.)',
  bibtex: 'BibTeX',
  biblatex: 'BibLaTeX',
  ris: 'RIS',
  'csl-json': 'CSL-JSON',
};

const LANG = 'en-US';

const render = {
  note: (record: CslItem, template: string, passage?: PassageRef) =>
    styleEngine(template, LANG).note(record, passage ? passageLocator(passage) : {}).trim(),
  reference: (record: CslItem, template: string) => styleEngine(template, LANG).reference(record).trim(),
};

/** Keeps the last `max` entries (first in, first out). */
export class Memo<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly max: number) {}
  get(key: string, make: () => V): V {
    if (this.#map.has(key)) return this.#map.get(key)!;
    const value = make();
    this.#map.set(key, value);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value!);
    return value;
  }
}

/**
 * Passage notes through a template per document: a page cites every paragraph
 * and the notes differ only in the ¶ number and the URL's fragment. The note is
 * rendered once with a sentinel number and fragment, and checked once: the real
 * note of the first paragraph asked for must come out of the template. Then the
 * other paragraphs are the template with their number and fragment. Fragments
 * that citeproc might treat as punctuation (a trailing period, …) are rendered.
 */
const SENTINEL: PassageRef = { id: 'zQxPassageSentinelQz', n: 8642097531 };
const SAFE_FRAGMENT = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const templates = new Memo<{ text: string } | null>(512);

function fill(template: string, passage: PassageRef): string {
  return template.replaceAll(String(SENTINEL.n), String(passage.n)).replaceAll(SENTINEL.id, encodeURIComponent(passage.id));
}

function passageNote(item: CslItem, template: string, config: EditionConfig, passage: PassageRef): string {
  const direct = () => render.note(passageRecord(item, config, passage), template, passage);
  if (!SAFE_FRAGMENT.test(passage.id) || !Number.isSafeInteger(passage.n) || passage.n < 0) return direct();
  const probe = passageRecord(item, config, SENTINEL);
  let real: string | undefined;
  const t = templates.get(`${template}\u0000${JSON.stringify(probe)}`, () => {
    if ([SENTINEL.id, String(SENTINEL.n)].some((s) => JSON.stringify(item).includes(s))) return null;
    const text = render.note(probe, template, SENTINEL);
    real = direct();
    return fill(text, passage) === real ? { text } : null;
  });
  return real ?? (t ? fill(t.text, passage) : direct());
}

/** Formatted citations by content: the record (with its URL), the style and the passage. */
const formatted = new Memo<string>(4096);

/**
 * One citation of a record (or of one passage of it) in a style.
 * Notes (Chicago) carry the ¶ number as "para. N". Reference-list styles (MLA, APA,
 * Chicago bibliography) cite a passage by its URL (with the fragment) and add the
 * in-text citation with the paragraph on a second line.
 */
export function formatCitation(item: CslItem, style: CiteStyle, config: EditionConfig, passage?: PassageRef): string {
  const record = passage ? passageRecord(item, config, passage) : item;
  const key = `${style}\u0000${passage ? `${passage.n}\u0000` : ''}${JSON.stringify(record)}`;
  return formatted.get(key, () => format(item, record, style, config, passage));
}

function format(item: CslItem, record: CslItem, style: CiteStyle, config: EditionConfig, passage?: PassageRef): string {
  const note = (template: string) => (passage ? passageNote(item, template, config, passage) : render.note(record, template));
  switch (style) {
    case 'chicago':
      return note(STYLE_TEMPLATES['chicago-fullnote']);
    case 'chicago-short':
      return note(STYLE_TEMPLATES['chicago-short']);
    case 'chicago-bib':
      return render.reference(record, STYLE_TEMPLATES['chicago-fullnote']);
    case 'mla':
    case 'apa': {
      const template = STYLE_TEMPLATES[style];
      const ref = render.reference(record, template);
      return passage ? `${ref}\n${note(template)}` : ref;
    }
    case 'bibtex':
      return toBibTeX([record]);
    case 'biblatex':
      return toBibLaTeX([record]);
    case 'ris':
      return toRis([record]);
    case 'csl-json':
      return toCslJson([record]);
  }
}
