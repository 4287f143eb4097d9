/**
 * The citation styles and the CSL processor (citeproc-js through citation-js).
 * Styles are the official CSL styles, bundled (nothing is downloaded at run
 * time): Chicago 17th full note + bibliography, Chicago 17th short note, MLA 9
 * (vendored from the CSL styles repository, see ./styles/*.ts) and APA 7 (the
 * one @citation-js/plugin-csl ships).
 *
 * One local adaptation, applied here and documented in docs/citation.md:
 * the Chicago styles get an extra branch for items with a shelfmark
 * (`archive_location`) so that archival documents come out as historians of
 * Eastern Europe cite them — "Writer to Recipient, date, ARCHIVE, f. …, op. …,
 * d. …, ll. …" — instead of the stock order (shelfmark before repository, the
 * letter's date inside the edition's publication parenthesis). Every other
 * item type goes through the unchanged style.
 */
import { createRequire } from 'node:module';
import chicagoFull from './styles/chicago-fullnote-bibliography.js';
import chicagoShort from './styles/chicago-note-bibliography.js';
import mla from './styles/modern-language-association.js';

const require = createRequire(import.meta.url);

/** Minimal typing of the parts of citation-js we use. */
export interface CslName { family?: string; given?: string; literal?: string; 'non-dropping-particle'?: string; suffix?: string }
export interface CslDate { 'date-parts'?: (number | string)[][]; literal?: string; circa?: boolean }
export type CslItem = Record<string, unknown> & { id: string; type: string };
interface CiteInstance { data: CslItem[]; format(kind: string, options?: Record<string, unknown>): string }
interface Register { add(name: string, xml: string): void; has(name: string): boolean; get(name: string): string | undefined }
interface CslPluginConfig { styles: Register; locales: Register }
export interface CitationJs {
  Cite: new (data: unknown, options?: Record<string, unknown>) => CiteInstance;
  plugins: {
    config: { get(name: '@csl'): CslPluginConfig; get(name: string): unknown };
    input: { chain(data: unknown, options: Record<string, unknown>): unknown; util: { clean(data: CslItem[]): CslItem[] } };
  };
}

/** Where our branch goes: the item carries a shelfmark. */
const ARCHIVAL_IF = '<if variable="archive_location">';

/** Day-month-year, the form the edition itself prints ("27 August 1950"); Chicago 9.35 allows it. */
const DATE_DMY = `<date variable="issued"><date-part name="day" suffix=" "/><date-part name="month"/><date-part name="year" prefix=" "/></date>`;
const LOCATOR = `<group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group>`;
const ARCHIVE = `<group delimiter=", "><text variable="archive"/><text variable="archive_location"/><text variable="archive-place"/></group>`;
const TITLE_UNLESS_RECIPIENT = (macro: string) => `<choose><if variable="recipient" match="none"><text macro="${macro}"/></if></choose>`;

/** Full note: Writer to Recipient, date, ARCHIVE, shelfmark, place, trans. X, in *Edition*, ed. Y, version Z (Publisher), para. N, URL. */
const FULL_NOTE = `<group delimiter=", ">
  <text macro="contributors-note"/>
  ${TITLE_UNLESS_RECIPIENT('title-note')}
  ${DATE_DMY}
  ${ARCHIVE}
  <names variable="translator"><label form="verb-short" text-case="lowercase" suffix=" "/><name and="text" delimiter=", "/></names>
  <group delimiter=" ">
    <group delimiter=", ">
      <group delimiter=" "><text term="in"/><text variable="container-title" font-style="italic"/></group>
      <names variable="editor"><label form="verb-short" text-case="lowercase" suffix=" "/><name and="text" delimiter=", "/></names>
      <group delimiter=" "><text term="version"/><text variable="version"/></group>
    </group>
    <group prefix="(" suffix=")" delimiter=": "><text variable="publisher-place"/><text variable="publisher"/></group>
  </group>
  ${LOCATOR}
  <text variable="URL"/>
</group>`;

/** Short note: Writer to Recipient, date, para. N. */
const SHORT_NOTE = `<group delimiter=", ">
  <text macro="contributors-short"/>
  ${TITLE_UNLESS_RECIPIENT('title-short')}
  ${DATE_DMY}
  ${LOCATOR}
</group>`;

/** Bibliography: Writer, to Recipient. Date. ARCHIVE, shelfmark, place. Translated by X. In *Edition*, edited by Y. Version Z. Publisher. URL. */
const BIBLIOGRAPHY = `<group delimiter=". ">
  <group delimiter=", ">
    <names variable="author"><name name-as-sort-order="first" and="text" sort-separator=", " delimiter=", " delimiter-precedes-last="always"/></names>
    <text macro="recipient-note"/>
  </group>
  ${TITLE_UNLESS_RECIPIENT('title')}
  ${DATE_DMY}
  ${ARCHIVE}
  <names variable="translator"><label form="verb" text-case="capitalize-first" suffix=" "/><name and="text" delimiter=", "/></names>
  <group delimiter=", ">
    <group delimiter=" "><text term="in" text-case="capitalize-first"/><text variable="container-title" font-style="italic"/></group>
    <names variable="editor"><label form="verb" text-case="lowercase" suffix=" "/><name and="text" delimiter=", "/></names>
  </group>
  <group delimiter=" "><text term="version" text-case="capitalize-first"/><text variable="version"/></group>
  <group delimiter=": "><text variable="publisher-place"/><text variable="publisher"/></group>
  <text variable="URL"/>
</group>`;

/** Wraps the content of `<citation>`'s or `<bibliography>`'s layout in a choose: archival branch first, stock layout otherwise. */
export function addArchivalBranch(xml: string, section: 'citation' | 'bibliography', branch: string): string {
  const re = new RegExp(`(<${section}\\b[^>]*>[\\s\\S]*?<layout\\b[^>]*>)([\\s\\S]*?)(</layout>)`);
  const m = re.exec(xml);
  if (!m) throw new Error(`CSL style has no <${section}> layout to adapt`);
  return xml.slice(0, m.index) + `${m[1]}<choose>${ARCHIVAL_IF}${branch}</if><else>${m[2]}</else></choose>${m[3]}` + xml.slice(m.index + m[0].length);
}

/**
 * MLA 9 (2021 style file) joins the locator label and number without a space ("para.4");
 * the current CSL repository version has the space. Same fix here.
 */
const MLA_LOCATOR_FIX: [string, string] = [
  '<group>\n              <label variable="locator" form="short"/>',
  '<group delimiter=" ">\n              <label variable="locator" form="short"/>',
];

/** MLA 9 (handbook 5.56) says "version 1.0"; the 2021 style file prints the bare number. */
const MLA_VERSION_LABEL: [string, string] = [
  '<text variable="version"/>\n      <text variable="medium"/>',
  '<group delimiter=" "><text term="version"/><text variable="version"/></group>\n      <text variable="medium"/>',
];

function patchOnce(xml: string, [find, replace]: [string, string]): string {
  const i = xml.indexOf(find);
  if (i < 0 || xml.indexOf(find, i + 1) >= 0) throw new Error(`CSL style patch does not apply: ${find.slice(0, 60)}`);
  return xml.slice(0, i) + replace + xml.slice(i + find.length);
}

/** The style names this edition offers (citation-js template names). */
export const STYLE_TEMPLATES = {
  'chicago-fullnote': 'tei-edition-chicago-fullnote-bibliography',
  'chicago-short': 'tei-edition-chicago-note-bibliography',
  mla: 'tei-edition-modern-language-association',
  apa: 'apa',
} as const;

let cached: CitationJs | undefined;

/** citation-js with the CSL, BibTeX and RIS plugins and the edition's styles registered (once). */
export function citationJs(): CitationJs {
  if (cached) return cached;
  const core = require('@citation-js/core') as CitationJs;
  require('@citation-js/plugin-csl');
  require('@citation-js/plugin-bibtex');
  require('@citation-js/plugin-ris');
  const styles = core.plugins.config.get('@csl').styles;
  let full = addArchivalBranch(chicagoFull, 'citation', FULL_NOTE);
  full = addArchivalBranch(full, 'bibliography', BIBLIOGRAPHY);
  styles.add(STYLE_TEMPLATES['chicago-fullnote'], full);
  styles.add(STYLE_TEMPLATES['chicago-short'], addArchivalBranch(chicagoShort, 'citation', SHORT_NOTE));
  styles.add(STYLE_TEMPLATES.mla, patchOnce(patchOnce(mla, MLA_LOCATOR_FIX), MLA_VERSION_LABEL));
  if (!styles.has('apa')) throw new Error('@citation-js/plugin-csl no longer ships the APA style');
  cached = core;
  return core;
}
