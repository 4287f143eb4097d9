/**
 * search.html: the search form and result list; assets/search.js (an ES
 * module) loads search/index.json and fills the list. Without JavaScript the
 * page says so and points to the browsing pages.
 */
import type { ElementContent } from 'hast';
import { h } from 'hastscript';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { SEARCH_INDEX } from '../search/index.js';
import { existingPages, page } from './layout.js';

export const SEARCH_PAGE = 'search.html';

export function searchPage(ctx: BuildContext): OutputFile {
  const path = SEARCH_PAGE;
  const browse = [
    ['index.html', 'the list of documents'],
    ['registers/persons.html', 'the register of persons'],
    ['chronology.html', 'the chronology'],
  ].filter(([href]) => existingPages.size === 0 || existingPages.has(href!));
  const content: ElementContent[] = [
    h('h1', 'Search'),
    h('form#search-form', { role: 'search', hidden: true, ariaLabel: 'Search the edition' }, [
      h('label', { htmlFor: 'search-input' }, 'Search the documents, notes and registers'),
      ' ',
      h('input#search-input', { type: 'search', name: 'q', autocomplete: 'off', spellCheck: 'false' }),
      ' ',
      h('button', { type: 'submit' }, 'Search'),
      h('p.search-hint', 'Accents and case do not matter; all words must occur; the last word may be the beginning of a word.'),
    ]),
    h('noscript', [
      h('p', [
        'Searching needs JavaScript. Without it, use ',
        ...browse.flatMap(([href, label], i) => [...(i ? [i === browse.length - 1 ? ' or ' : ', '] : []), h('a', { href }, label)]),
        '.',
      ]),
    ]),
    h('p#search-status', { role: 'status', ariaLive: 'polite' }),
    h('ol#search-results.search-results'),
    h('button#search-more', { type: 'button', hidden: true }, 'Show more results'),
  ];
  // The index location travels as a data attribute on <body> (no inline script).
  const html = page({
    path, title: 'Search', lang: ctx.config.language, config: ctx.config, content, current: path,
    bodyClass: 'search', bodyData: { searchIndex: SEARCH_INDEX }, modules: ['assets/search.js'],
  });
  return { path, content: html, kind: 'html' };
}
