/**
 * Bibliography (bibliography.html): every bibl/biblStruct register entry
 * (kind 'bibl'), each with its id as anchor (notes and source descriptions
 * that cite it link here, see xslt/common/bibl.xsl and resolve-refs), set
 * from the fields the encoding gives, with its notes and the places that
 * cite it.
 */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import type { BuildContext } from '../formats/types.js';
import type { BiblFields, OutputFile, RegisterEntry } from '../model.js';
import { KIND_PAGES } from '../stages/index.js';
import { page } from './layout.js';
import { entriesOfKind, references } from './references.js';
import { occurrenceList } from './registers.js';

type Child = ElementContent | string;

export const BIBLIOGRAPHY_PAGE = KIND_PAGES.bibl.file;

type Person = BiblFields['authors'][number];

const personName = (p: Person) => (p.given && p.family ? `${p.given} ${p.family}` : p.literal || [p.given, p.family].filter(Boolean).join(' '));

function names(list: Person[]): string {
  const n = list.map(personName).filter(Boolean);
  return n.length <= 1 ? (n[0] ?? '') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

/** A Chicago-like reference from the structured fields; the entry's plain text when there are none. */
export function formatBibl(b: BiblFields | Record<string, never>, fallback: string): Child[] {
  const f = b as Partial<BiblFields>;
  if (!f.analyticTitle && !f.monogrTitle) return [f.text || fallback];
  const out: Child[] = [];
  const authors = names(f.authors ?? []);
  const editors = names(f.editors ?? []);
  if (authors) out.push(`${authors}, `);
  else if (editors && !f.analyticTitle) out.push(`${editors}, ${(f.editors ?? []).length > 1 ? 'eds.' : 'ed.'}, `);
  if (f.analyticTitle) out.push(h('span.title-a', `“${f.analyticTitle},”`), ' ');
  if (f.monogrTitle) out.push(f.monogrLevel === 'u' ? f.monogrTitle : h('cite', f.monogrTitle));
  if (f.titleTranslated && f.titleTranslated !== f.monogrTitle && f.titleTranslated !== f.analyticTitle) out.push(`: ${f.titleTranslated}`);
  if (f.analyticTitle && editors) out.push(`, ed. ${editors}`);
  if (f.volume) out.push(` ${/^\s*vol/i.test(f.volume) ? f.volume : `vol. ${f.volume}`}`);
  if (f.issue) out.push(`${f.volume ? ',' : ''} ${/^\s*no/i.test(f.issue) ? f.issue : `no. ${f.issue}`}`);
  if (f.series) out.push(` (${[f.series, f.seriesNumber].filter(Boolean).join(' ')})`);
  const imprint = [[f.place, f.publisher].filter(Boolean).join(': '), f.dateText].filter(Boolean).join(', ');
  if (imprint) out.push(` (${imprint})`);
  if (f.pages) out.push(`${f.monogrLevel === 'j' ? ':' : ','} ${f.pages}`);
  out.push('.');
  return out;
}

function idnos(e: RegisterEntry): Child[] {
  const list = ((e.bibl as Partial<BiblFields>).idnos ?? e.idnos).filter((i) => i.value);
  if (!list.length) return [];
  return [
    h(
      'p.entry-ids',
      list.flatMap((i, k) => [
        ...(k ? ['; '] : []),
        i.type ? `${i.type}: ` : '',
        /^https?:\/\/\S+$/i.test(i.value) ? h('a.external', { href: i.value, rel: ['noopener', 'noreferrer'] }, i.value) : i.value,
      ]),
    ),
  ];
}

export function bibliographyPage(ctx: BuildContext): OutputFile {
  const path = BIBLIOGRAPHY_PAGE;
  const entries = entriesOfKind(ctx.registry, 'bibl');
  const refs = references(ctx);
  const content: ElementContent[] = [
    h('h1', 'Bibliography'),
    h('p', `${entries.length} work${entries.length === 1 ? '' : 's'}, cited in the documents and their notes.`),
    h(
      'ol.bibliography',
      entries.map((e) =>
        h('li.bibl-entry', { id: e.id, dataType: e.type || undefined }, [
          h('p.bibl-text', formatBibl(e.bibl, e.label)),
          ...e.notes.map((n) => h('p.entry-note', n)),
          ...idnos(e),
          ...(refs.has(e.id) ? [h('details.cited-in', [h('summary', 'Cited in'), ...occurrenceList(ctx, e, path)])] : []),
        ]),
      ),
    ),
  ];
  return { path, content: page({ path, title: 'Bibliography', lang: ctx.config.language, config: ctx.config, content, current: path, bodyClass: 'bibliography' }), kind: 'html' };
}
