/**
 * Formatted citations through the CSL processor (citeproc-js, via
 * citation-js) and the bundled styles; exports through ./exports.ts.
 * Pure functions of CSL records: nothing here reads TEI.
 */
import { passageLocator, passageRecord, type PassageRef } from './csl.js';
import { toBibLaTeX, toBibTeX, toCslJson, toRis } from './exports.js';
import { citationJs, STYLE_TEMPLATES, type CslItem } from './styles.js';
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

type Entry = { id: string; locator?: string; label?: string };

function note(item: CslItem, template: string, entry: Entry): string {
  const { Cite } = citationJs();
  return new Cite(item).format('citation', { template, lang: LANG, format: 'text', entry: [entry] }).trim();
}

function reference(item: CslItem, template: string): string {
  const { Cite } = citationJs();
  return new Cite(item).format('bibliography', { template, lang: LANG, format: 'text' }).trim();
}

/**
 * One citation of a record (or of one passage of it) in a style.
 * Notes (Chicago) carry the ¶ number as "para. N". Reference-list styles (MLA, APA,
 * Chicago bibliography) cite a passage by its URL (with the fragment) and add the
 * in-text citation with the paragraph on a second line.
 */
export function formatCitation(item: CslItem, style: CiteStyle, config: EditionConfig, passage?: PassageRef): string {
  const record = passage ? passageRecord(item, config, passage) : item;
  const entry: Entry = { id: record.id, ...(passage ? passageLocator(passage) : {}) };
  switch (style) {
    case 'chicago':
      return note(record, STYLE_TEMPLATES['chicago-fullnote'], entry);
    case 'chicago-short':
      return note(record, STYLE_TEMPLATES['chicago-short'], entry);
    case 'chicago-bib':
      return reference(record, STYLE_TEMPLATES['chicago-fullnote']);
    case 'mla':
    case 'apa': {
      const template = STYLE_TEMPLATES[style];
      const ref = reference(record, template);
      return passage ? `${ref}\n${note(record, template, entry)}` : ref;
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
