/**
 * Register pages (persons, places, organisations, events): each entry with
 * the name forms as they occur, the description the encoding gives, and every
 * occurrence as a link to the document and passage.
 */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile, RegisterEntry } from '../model.js';
import { KIND_PAGES } from '../stages/index.js';
import { page } from './layout.js';
import { docPage, rel } from './paths.js';

export function occurrenceList(ctx: BuildContext, entry: RegisterEntry, pagePath: string): ElementContent[] {
  const occ = ctx.registry.occurrences.get(entry.id) ?? [];
  if (!occ.length) return [h('p.no-occurrences', 'No occurrence in the edition’s documents.')];
  const byDoc = new Map<string, typeof occ>();
  for (const o of occ) {
    let l = byDoc.get(o.doc);
    if (!l) byDoc.set(o.doc, (l = []));
    l.push(o);
  }
  const order = ctx.documents.map((d) => d.id);
  const docs = [...byDoc.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return [
    h(
      'ul.occurrences',
      docs.map((id) => {
        const d = ctx.documents.find((x) => x.id === id);
        const seen = new Set<string>();
        const links = byDoc.get(id)!.filter((o) => {
          if (seen.has(o.passage)) return false;
          seen.add(o.passage);
          return true;
        });
        return h('li', [
          h('a', { href: rel(pagePath, docPage(id)) }, d?.meta.title || id),
          ': ',
          ...links.flatMap((o, i) => {
            const p = d?.meta.passages.find((x) => x.id === o.passage);
            const n = d?.meta.notes.find((x) => x.id === o.passage);
            const label = p ? `¶${p.n}` : n ? `n. ${n.n}` : 'text';
            return [...(i ? [', '] : []), h('a', { href: rel(pagePath, `${docPage(id)}#${o.passage}`) }, label)];
          }),
        ]);
      }),
    ),
  ];
}

export function registerPages(ctx: BuildContext): OutputFile[] {
  const files: OutputFile[] = [];
  for (const kind of ['person', 'place', 'org', 'event'] as const) {
    const { file, title } = KIND_PAGES[kind];
    const entries = ctx.registry.byKind(kind);
    if (!entries.length && kind === 'event') continue;
    const content: ElementContent[] = [
      h('h1', title),
      h('p', `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}.`),
      h(
        'dl.register',
        entries.flatMap((e) => {
          const forms = [...new Set((ctx.registry.occurrences.get(e.id) ?? []).map((o) => o.form).filter(Boolean))];
          return [
            h('dt', { id: e.id }, [h('dfn', e.label)]),
            h('dd', [
              ...(e.note ? [h('p.entry-note', e.note)] : []),
              ...(e.names.length > 1 ? [h('p.entry-names', ['Names in the register: ', e.names.join('; ')])] : []),
              ...(forms.length ? [h('p.entry-forms', ['Forms in the text: ', forms.join('; ')])] : []),
              ...(e.idnos.length ? [h('p.entry-ids', e.idnos.map((i) => `${i.type ? i.type + ': ' : ''}${i.value}`).join('; '))] : []),
              ...occurrenceList(ctx, e, file),
            ]),
          ];
        }),
      ),
    ];
    files.push({ path: file, content: page({ path: file, title, lang: ctx.config.language, config: ctx.config, content, current: file }), kind: 'html' });
  }
  return files;
}
