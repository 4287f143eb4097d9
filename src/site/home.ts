/** Home page: edition title and editors, the introduction if configured, all documents by date. */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { page } from './layout.js';
import { docPage } from './paths.js';

export function documentType(meta: BuildContext['documents'][number]['meta']): string {
  if (meta.correspondence.length || meta.textType === 'letter') return 'Letter';
  if (meta.textType) return meta.textType.charAt(0).toUpperCase() + meta.textType.slice(1);
  return 'Document';
}

export function dateLabel(meta: BuildContext['documents'][number]['meta']): { iso: string; text: string } {
  const d = meta.date;
  if (!d) return { iso: '', text: 'undated' };
  const iso = d.when || d.value;
  return { iso: /^\d{4}(-\d{2}){0,2}$/.test(iso) ? iso : '', text: d.text || iso };
}

export function homePage(ctx: BuildContext): OutputFile {
  const path = 'index.html';
  const rows = ctx.documents.map((d) => {
    const date = dateLabel(d.meta);
    const sender = d.meta.correspondence.find((a) => a.type === 'sent')?.persons.map((p) => p.name).join('; ') ?? '';
    const recipient = d.meta.correspondence.find((a) => a.type === 'received')?.persons.map((p) => p.name).join('; ') ?? '';
    const authors = d.meta.authors.map((a) => a.name).join('; ');
    return h('tr', { dataType: documentType(d.meta), dataCorrespondents: [sender, recipient].filter(Boolean).join(' | ') }, [
      h('td', date.iso ? h('time', { dateTime: date.iso }, date.text) : date.text),
      h('td', [h('a', { href: docPage(d.id) }, d.meta.title || d.id)]),
      h('td', documentType(d.meta)),
      h('td', sender || recipient ? `${sender || '?'} → ${recipient || '?'}` : authors),
    ]);
  });
  const content: ElementContent[] = [
    h('h1', ctx.config.title),
    ...(ctx.config.subtitle ? [h('p.subtitle', ctx.config.subtitle)] : []),
    ...(ctx.config.editors.length ? [h('p.editors', `Edited by ${ctx.config.editors.join(', ')}`)] : []),
    h('section', { ariaLabelledby: 'documents-heading' }, [
      h('h2#documents-heading', `Documents (${ctx.documents.length})`),
      h('table.documents', [
        h('caption.visually-hidden', 'All documents of the edition, by date'),
        h('thead', [h('tr', [h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Author / correspondents')])]),
        h('tbody', rows),
      ]),
    ]),
  ];
  return { path, content: page({ path, title: ctx.config.title, lang: ctx.config.language, config: ctx.config, content, current: 'index.html' }), kind: 'html' };
}
