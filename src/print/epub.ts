/**
 * EPUB 3 of the edition: a title page, one XHTML file per document (notes as
 * EPUB footnotes: <a epub:type="noteref"> → <aside epub:type="footnote">,
 * numbered as in web and text), an index of persons and places linking to
 * the documents, the navigation document and the package document. Zipped
 * with JSZip: mimetype first and stored, fixed entry dates, so the file is
 * byte-identical on every rebuild.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { toXast } from 'hast-util-to-xast';
import { h } from 'hastscript';
import { toXml } from 'xast-util-to-xml';
import type { BuildContext } from '../formats/types.js';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import { metaLines, runningTitle, type PrintDocument } from './assemble.js';

// JSZip is required when an EPUB is zipped, not by every thread that loads the print format.
const require = createRequire(import.meta.url);

const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const EPUB_NS = 'http://www.idpf.org/2007/ops';

export interface EpubOptions {
  date: Date;
  cite: string[];
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Serialises a hast page as an XHTML document. */
function xhtml(lang: string, title: string, body: ElementContent[]): string {
  const tree: Root = {
    type: 'root',
    children: [
      h('html', { xmlns: XHTML_NS, 'xmlns:epub': EPUB_NS, lang, 'xml:lang': lang }, [
        h('head', [h('meta', { charset: 'utf-8' }), h('title', title), h('link', { rel: 'stylesheet', type: 'text/css', href: 'edition.css' })]),
        h('body', body),
      ]),
    ],
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n${toXml(toXast(tree))}\n`;
}

const classesOf = (e: Element) => (Array.isArray(e.properties.className) ? e.properties.className.map(String) : []);

/** Footnotes out of the running text: calls become noterefs, notes become asides at the end. */
export function epubBody(d: PrintDocument): ElementContent[] {
  const asides: Element[] = [];
  const walk = (nodes: ElementContent[]): ElementContent[] =>
    nodes.flatMap((node): ElementContent[] => {
      if (node.type !== 'element') return [node];
      const cls = classesOf(node);
      const props = { ...node.properties };
      delete props.dataIx;
      delete props.dataFn;
      if (cls.includes('footnote')) {
        const id = String(node.properties.id);
        const label = node.children.find((c): c is Element => c.type === 'element' && classesOf(c).includes('fn-label'));
        const rest = node.children.filter((c) => c !== label);
        asides.push(
          h('aside.footnote', { id, 'epub:type': 'footnote', role: 'doc-footnote', lang: props.lang as string | undefined }, [
            h('p', [h('a', { href: `#${id.replace(/fn-(\d+)$/, 'noteref-$1')}` }, label ? walk(label.children) : []), ...walk(rest as ElementContent[])]),
          ]),
        );
        return [];
      }
      if (cls.includes('note-call')) {
        const id = String(node.properties.id);
        return [h('sup', [h('a.noteref', { id, href: `#${id.replace(/noteref-(\d+)$/, 'fn-$1')}`, 'epub:type': 'noteref', role: 'doc-noteref' }, walk(node.children as ElementContent[]))])];
      }
      return [{ ...node, properties: props, children: walk(node.children as ElementContent[]) } as Element];
    });
  const body = walk(d.body);
  const title = d.doc.meta.title || d.doc.id;
  return [
    h('section', { id: d.anchor, 'epub:type': 'chapter', role: 'doc-chapter', ariaLabel: runningTitle(title) }, [
      h('h1', title),
      h('div.doc-meta', metaLines(d.doc.meta).map(([k, v]) => h('p', [h('span.label', k), ': ', v]))),
      ...body,
      ...(asides.length ? [h('section.footnotes', { 'epub:type': 'footnotes', role: 'doc-endnotes', ariaLabel: 'Notes' }, asides)] : []),
    ]),
  ];
}

function titleBody(ctx: BuildContext, cite: string[]): ElementContent[] {
  const c = ctx.config;
  return [
    h('section.title-page', { 'epub:type': 'titlepage' }, [
      h('h1', c.title),
      ...(c.subtitle ? [h('p.subtitle', c.subtitle)] : []),
      ...(c.editors.length ? [h('p.editors', `Edited by ${c.editors.join(', ')}`)] : []),
      ...([c.publisherPlace, c.publisher].filter(Boolean).length ? [h('p', [c.publisherPlace, c.publisher].filter(Boolean).join(': '))] : []),
      h('p', `Version ${c.version}`),
      h('h2', 'Licence'),
      h('p', [c.licence.label, ...(c.licence.url && /^https?:\/\//.test(c.licence.url) ? [' — ', h('a', { href: c.licence.url }, c.licence.url)] : [])]),
      ...(cite.length ? [h('h2', 'How to cite'), ...cite.map((l) => h('p', l))] : []),
    ]),
  ];
}

function indexBody(ctx: BuildContext, docs: PrintDocument[], fileOf: Map<string, string>): ElementContent[] | undefined {
  const sections: ElementContent[] = [];
  for (const [kind, title] of [['person', 'Index of persons'], ['place', 'Index of places']] as const) {
    const entries = ctx.registry.byKind(kind).flatMap((e) => {
      const links = docs.flatMap((d) => {
        const first = d.mentions.get(e.id)?.[0];
        return first ? [h('a', { href: `${fileOf.get(d.doc.id)}#${first}` }, runningTitle(d.doc.meta.title || d.doc.id, 50))] : [];
      });
      return links.length ? [h('li', [e.label, ': ', ...links.flatMap((l, i) => (i ? ['; ', l] : [l]))])] : [];
    });
    if (entries.length) sections.push(h('section', { 'epub:type': 'index', role: 'doc-index', id: `index-${kind}` }, [h('h1', title), h('ul.index', entries)]));
  }
  return sections.length ? sections : undefined;
}

/** A deterministic urn:uuid from the edition's identity (EPUB requires a unique identifier). */
function editionUuid(ctx: BuildContext): string {
  const hex = createHash('sha1').update(`tei-edition|${ctx.config.baseUrl}|${ctx.config.title}|${ctx.config.editors.join(';')}|${ctx.config.version}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function buildEpub(ctx: BuildContext, docs: PrintDocument[], o: EpubOptions): Promise<Uint8Array> {
  const c = ctx.config;
  const lang = c.language;
  const fileOf = new Map(docs.map((d, i) => [d.doc.id, `doc-${String(i + 1).padStart(4, '0')}.xhtml`]));
  const items: { id: string; href: string; type: string; props?: string; content: string; spine?: boolean }[] = [];
  items.push({ id: 'css', href: 'edition.css', type: 'text/css', content: await readFile(path.join(PACKAGE_ROOT, 'assets', 'print', 'epub.css'), 'utf8') });
  items.push({ id: 'title', href: 'title.xhtml', type: 'application/xhtml+xml', content: xhtml(lang, c.title, titleBody(ctx, o.cite)), spine: true });
  const navItems: ElementContent[] = [];
  for (const d of docs) {
    const href = fileOf.get(d.doc.id)!;
    const title = d.doc.meta.title || d.doc.id;
    items.push({ id: href.replace('.xhtml', ''), href, type: 'application/xhtml+xml', content: xhtml(d.doc.meta.lang || lang, title, epubBody(d)), spine: true });
    navItems.push(h('li', [h('a', { href: `${href}#${d.anchor}` }, title)]));
  }
  const index = indexBody(ctx, docs, fileOf);
  if (index) {
    items.push({ id: 'index', href: 'index.xhtml', type: 'application/xhtml+xml', content: xhtml(lang, 'Index', index), spine: true });
    navItems.push(h('li', [h('a', { href: 'index.xhtml#index-person' }, 'Index')]));
  }
  const nav = xhtml(lang, 'Contents', [
    h('nav', { 'epub:type': 'toc', id: 'toc', role: 'doc-toc' }, [h('h1', 'Contents'), h('ol', [h('li', [h('a', { href: 'title.xhtml' }, 'Title page')]), ...navItems])]),
  ]);
  items.push({ id: 'nav', href: 'nav.xhtml', type: 'application/xhtml+xml', props: 'nav', content: nav });

  const modified = o.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const opf = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${xmlEscape(lang)}">`,
    '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
    `    <dc:identifier id="pub-id">${xmlEscape(editionUuid(ctx))}</dc:identifier>`,
    `    <dc:title>${xmlEscape(c.title)}</dc:title>`,
    `    <dc:language>${xmlEscape(lang)}</dc:language>`,
    ...c.editors.flatMap((e, i) => [`    <dc:contributor id="editor-${i + 1}">${xmlEscape(e)}</dc:contributor>`, `    <meta refines="#editor-${i + 1}" property="role" scheme="marc:relators">edt</meta>`]),
    ...(c.publisher ? [`    <dc:publisher>${xmlEscape(c.publisher)}</dc:publisher>`] : []),
    `    <dc:rights>${xmlEscape(c.licence.label)}</dc:rights>`,
    `    <meta property="dcterms:modified">${modified}</meta>`,
    '  </metadata>',
    '  <manifest>',
    ...items.map((i) => `    <item id="${i.id}" href="${i.href}" media-type="${i.type}"${i.props ? ` properties="${i.props}"` : ''}/>`),
    '  </manifest>',
    '  <spine>',
    ...items.filter((i) => i.spine).map((i) => `    <itemref idref="${i.id}"/>`),
    '  </spine>',
    '</package>',
    '',
  ].join('\n');
  const container = '<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n  <rootfiles>\n    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>\n  </rootfiles>\n</container>\n';

  // Zip entry dates are DOS dates (from 1980 on).
  const date = new Date(Math.max(o.date.getTime(), Date.UTC(1980, 0, 2)));
  const JSZip = require('jszip') as typeof import('jszip');
  const zip = new JSZip();
  zip.file('mimetype', 'application/epub+zip', { compression: 'STORE', date, createFolders: false });
  zip.file('META-INF/container.xml', container, { date, createFolders: false });
  zip.file('OEBPS/content.opf', opf, { date, createFolders: false });
  for (const i of items) zip.file(`OEBPS/${i.href}`, i.content, { date, createFolders: false });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'UNIX' });
}
