/**
 * The page shell shared by every web page: lang, landmarks, skip link,
 * navigation, CSP, footer. Content arrives as hast; everything is serialised
 * by hast-util-to-html, which escapes all text and attribute values.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import type { EditionConfig } from '../config.js';
import type { Chunks } from '../model.js';
import { rel } from './paths.js';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

export interface PageOptions {
  /** Output path of this page (for relative links). */
  path: string;
  title: string;
  lang: string;
  config: EditionConfig;
  content: ElementContent[];
  /** Extra <head> elements (meta tags, alternate links). */
  head?: Element[];
  /** Navigation entry to mark as current. */
  current?: string;
  bodyClass?: string;
  /** Extra data attributes on <body> (e.g. { searchIndex: 'search/index.json' }). */
  bodyData?: Record<string, string>;
  /** Extra scripts (paths relative to the output root), loaded as ES modules. */
  modules?: string[];
}

export const NAV: { href: string; label: string }[] = [
  { href: 'index.html', label: 'Documents' },
  { href: 'registers/persons.html', label: 'Persons' },
  { href: 'registers/places.html', label: 'Places' },
  { href: 'registers/organisations.html', label: 'Organisations' },
  { href: 'registers/events.html', label: 'Events' },
  { href: 'chronology.html', label: 'Chronology' },
  { href: 'bibliography.html', label: 'Bibliography' },
  { href: 'search.html', label: 'Search' },
  { href: 'about.html', label: 'About' },
];

/** Pages that exist in this build (navigation lists only those). */
export const existingPages = new Set<string>();

export function page(o: PageOptions): string {
  const r = (to: string) => rel(o.path, to);
  const nav = NAV.filter((n) => existingPages.size === 0 || existingPages.has(n.href));
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: o.lang }, [
        h('head', [
          h('meta', { charset: 'utf-8' }),
          h('meta', { httpEquiv: 'Content-Security-Policy', content: CSP }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', o.title === o.config.title ? o.title : `${o.title} — ${o.config.title}`),
          // No favicon request (a 404 on every static host); data: is allowed by img-src.
          h('link', { rel: 'icon', href: 'data:,' }),
          h('link', { rel: 'stylesheet', href: r('assets/edition.css') }),
          h('link', { rel: 'stylesheet', href: r('assets/print.css'), media: 'print' }),
          ...(o.head ?? []),
          h('script', { src: r('assets/edition.js'), defer: true }),
          ...(o.modules ?? []).map((m) => h('script', { type: 'module', src: r(m) })),
        ]),
        h('body', { className: o.bodyClass ? [o.bodyClass] : undefined, ...dataProps(o.bodyData) }, [
          h('a.skip-link', { href: '#main' }, 'Skip to content'),
          h('header.site-header', { role: 'banner' }, [
            h('p.site-title', [h('a', { href: r('index.html') }, o.config.title)]),
            h('nav.site-nav', { ariaLabel: 'Edition' }, [
              h(
                'ul',
                nav.map((n) =>
                  h('li', [h('a', { href: r(n.href), ariaCurrent: o.current === n.href ? 'page' : undefined }, n.label)]),
                ),
              ),
            ]),
          ]),
          h('main#main', { tabIndex: -1 }, o.content),
          h('footer.site-footer', { role: 'contentinfo' }, footer(o.config)),
        ]),
      ]),
    ],
  };
  return toHtml(tree, { allowDangerousHtml: false }) + '\n';
}

/** Serialises part of a page as `page()` serialises it within the page. */
export function fragment(node: ElementContent): string {
  return toHtml(node, { allowDangerousHtml: false });
}

/**
 * Long pages (a register or the chronology of thousands of letters) are serialised piece by piece:
 * the tree holds a `slot` where a long list goes, and `fillPieces` puts the list's HTML there (each
 * item serialised with `fragment`), so the whole page never stands as one tree (hundreds of
 * thousands of links took gigabytes). A slot is a comment no content can produce (text is escaped).
 */
export function slot(name: string): ElementContent {
  return { type: 'comment', value: `te-slot-${name}` };
}

/** The serialised page or fragment before and after its slot (which must occur exactly once). */
export function aroundSlot(html: string, name: string): [before: string, after: string] {
  const [before, after, ...rest] = html.split(`<!--te-slot-${name}-->`);
  if (after === undefined || rest.length) throw new Error(`slot ${name}: not exactly one in the page`);
  return [before!, after];
}

/**
 * The serialised page with the slot's HTML in place, in pieces made while the file is written
 * (Chunks): the page never stands as one string, and each piece (a register entry, a chronology
 * row) is garbage once written. A persons register of 10 000 letters is ~50 MB of HTML.
 */
export function fillPieces(html: string, name: string, pieces: () => Iterable<string>): Chunks {
  const [before, after] = aroundSlot(html, name);
  return {
    *[Symbol.iterator]() {
      yield before;
      yield* pieces();
      yield after;
    },
  };
}

function dataProps(data: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) out[`data${k.charAt(0).toUpperCase()}${k.slice(1)}`] = v;
  return out;
}

function footer(config: EditionConfig): ElementContent[] {
  const parts: ElementContent[] = [];
  const who = [config.editors.length ? `Edited by ${config.editors.join(', ')}` : '', config.publisher].filter(Boolean).join('. ');
  if (who) parts.push(h('p', who + '.'));
  parts.push(
    h('p', [
      'Licence: ',
      config.licence.url ? h('a', { href: config.licence.url, rel: 'license' }, config.licence.label) : config.licence.label,
      '.',
    ]),
  );
  return parts;
}
