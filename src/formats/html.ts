/**
 * Web edition: one page per document (the XSLT article, post-processed by
 * rehype and set in the shared page shell), the home page, register pages,
 * and the reader's assets.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { diagnostic } from '../diagnostics.js';
import type { OutputFile } from '../model.js';
import resolveRefs from '../rehype/resolve-refs.js';
import safeLinks from '../rehype/safe-links.js';
import { page } from '../site/layout.js';
import { docPage, rel, sourceFile, textFile } from '../site/paths.js';
import { aboutFiles, aboutKey, assetFiles, assetsKey, sitePageFiles, sitePages } from '../site/corpus.js';
import { prepareSearch, searchFiles, warmUpSearch } from '../search/index.js';
import { homeKey, homePage } from '../site/home.js';
import { pointersFromTree, referencedIds, references, type DocumentPointer } from '../site/references.js';
import { locatePaths } from '../xml/locate.js';
import type { BuildContext, BuiltDocument, Format } from './types.js';

export const HTML_STYLESHEET = 'html/html.xsl';

/**
 * Parses the stylesheet's article and resolves links; returns hast children, and
 * where the article points (read from the same parse, before links are resolved:
 * what the register pages need, src/site/references.ts).
 */
export function articleTree(doc: BuiltDocument, ctx: BuildContext, pagePath: string): { content: ElementContent[]; pointers: DocumentPointer[] } {
  const unresolved: { ref: string; path?: string }[] = [];
  const processor = unified()
    .use(rehypeParse, { fragment: true })
    .use(resolveRefs, {
      registry: ctx.registry,
      docId: doc.id,
      pagePath,
      onUnresolved: (ref, sourcePath) => unresolved.push({ ref, path: sourcePath }),
    })
    .use(safeLinks, {
      onUnsafe: (url) =>
        ctx.report(
          diagnostic(`unsafe URL removed from the web edition: ${url.slice(0, 60)}`, {
            file: doc.displayPath, line: 1, column: 1, ruleId: 'unsafe-url', severity: 'warning',
          }),
        ),
    });
  const parsed = processor.parse(doc.outputs[HTML_STYLESHEET] ?? '') as Root;
  const pointers = pointersFromTree(parsed);
  const tree = processor.runSync(parsed) as Root;
  if (unresolved.length) {
    const positions = doc.text ? locatePaths(doc.text, unresolved.flatMap((u) => (u.path ? [u.path] : []))) : new Map();
    for (const u of unresolved) {
      const pos = u.path ? positions.get(u.path) : undefined;
      ctx.report(
        diagnostic(`reference "${u.ref}" does not resolve to a register entry, document or passage; shown as plain text`, {
          file: doc.displayPath, line: pos?.line ?? 1, column: pos?.column ?? 1, ruleId: 'ref-unresolved', severity: 'warning',
        }),
      );
    }
  }
  return { content: tree.children.filter((c): c is ElementContent => c.type === 'element' || c.type === 'text'), pointers };
}

export const htmlFormat: Format = {
  name: 'html',
  pureDocument: true,
  stylesheets: [HTML_STYLESHEET],
  needsText: true,
  async setup(ctx) {
    await sitePages(ctx);
  },
  // Every document's pointers resolved (kept with their lists for the next build's register pages and
  // search), and the search's register shard (src/search/index.ts warmUpSearch).
  async warmUp(ctx) {
    references(ctx);
    referencedIds(ctx);
    await warmUpSearch(ctx);
  },
  // The search shards an edit changed: indexed on a thread while the documents render (prepareSearch).
  prepare(ctx) {
    prepareSearch(ctx);
  },
  document(doc, ctx) {
    const pagePath = docPage(doc.id);
    const { content: article, pointers } = articleTree(doc, ctx, pagePath);
    const head: Element[] = [
      h('link', { rel: 'alternate', type: 'application/tei+xml', href: rel(pagePath, sourceFile(doc.id)), title: 'TEI source' }),
    ];
    if (ctx.formats.has('text')) head.push(h('link', { rel: 'alternate', type: 'text/plain', href: rel(pagePath, textFile(doc.id)), title: 'Plain text' }));
    for (const hook of ctx.hooks.documentHead) head.push(...hook(doc, pagePath));
    const aside: ElementContent[] = [];
    for (const hook of ctx.hooks.documentAside) aside.push(...hook(doc, pagePath));
    const downloads = h('nav.downloads', { ariaLabel: 'Downloads' }, [
      h('h2', 'Download'),
      h('ul', [
        h('li', [h('a', { href: rel(pagePath, sourceFile(doc.id)), download: `${doc.id}.xml` }, 'TEI XML')]),
        ...(ctx.formats.has('text') ? [h('li', [h('a', { href: rel(pagePath, textFile(doc.id)) }, 'Plain text')])] : []),
      ]),
    ]);
    const html = page({
      path: pagePath,
      title: doc.meta.title || doc.id,
      lang: ctx.config.language,
      config: ctx.config,
      content: [...article, h('aside.document-tools', { ariaLabel: 'Document tools' }, [...aside, downloads])],
      head,
      bodyClass: 'document',
    });
    const files: OutputFile[] = [{ path: pagePath, content: html, doc: doc.id, kind: 'html' }];
    if (doc.text !== undefined) files.push({ path: sourceFile(doc.id), content: doc.text, doc: doc.id, kind: 'tei' });
    // What the register pages need of this page: where it points (src/site/references.ts).
    return { files, data: { pointers } };
  },
  corpusParts: [
    // The home page: the documents' headers (in the outline) and the introduction's opening paragraphs (its key).
    { name: 'home', reads: [], key: (ctx) => homeKey(ctx), files: (ctx) => [homePage(ctx)] },
    // Registers (references: the pages' pointers, this format's contributions), chronology (dates), bibliography.
    { name: 'pages', reads: ['mentions', 'data:html'], files: (ctx) => sitePageFiles(ctx, { home: false }) },
    { name: 'search', reads: ['documents', 'data:html'], files: (ctx) => searchFiles(ctx) },
    { name: 'about', reads: [], key: async (ctx) => aboutKey(ctx), files: (ctx) => aboutFiles(ctx) },
    { name: 'assets', reads: [], key: () => assetsKey(), files: () => assetFiles() },
  ],
};
