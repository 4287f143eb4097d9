/**
 * "About / encoding" page (about.html) from the corpus's encoding guidelines
 * in Markdown: remark-parse + remark-gfm → remark-rehype (raw HTML dropped)
 * → rehype-sanitize (GitHub schema) → rehype-slug (heading ids) → safe links.
 * Links to files that are not part of the web edition become plain text, so
 * the page never carries a broken link.
 *
 * The Markdown file is looked up, in order, as `<corpus>/encoding.md`,
 * `<corpus>/docs/encoding.md` and `<corpus>/../docs/encoding.md` (this
 * project's layout: `tei/` next to `docs/`). No file, no page.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';
import rehypeSanitize from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import safeLinks from '../rehype/safe-links.js';
import { page } from './layout.js';

export const ABOUT_PAGE = 'about.html';

export async function findAboutSource(corpusDir: string): Promise<string | undefined> {
  for (const f of [path.join(corpusDir, 'encoding.md'), path.join(corpusDir, 'docs', 'encoding.md'), path.join(corpusDir, '..', 'docs', 'encoding.md')]) {
    try {
      await readFile(f, 'utf8');
      return f;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Markdown → sanitised hast (the page's content, without the shell). */
export function markdownToHast(markdown: string): ElementContent[] {
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype)
    .use(rehypeSanitize)
    .use(rehypeSlug)
    .use(safeLinks)
    .use(() => (tree: Root) => {
      visit(tree, 'element', (node: Element, index, parent) => {
        if (node.tagName !== 'a' || !parent || index === undefined) return;
        const href = String(node.properties.href ?? '');
        // Keep web links and in-page anchors; a relative link to a repository file has no target here.
        if (/^(https?:|mailto:)/i.test(href) || href.startsWith('#')) return;
        parent.children.splice(index, 1, ...node.children);
        return index;
      });
    });
  const tree = processor.runSync(processor.parse(markdown)) as Root;
  return tree.children.filter((c): c is ElementContent => c.type === 'element' || c.type === 'text');
}

/** Table of contents from the h2 headings. */
function toc(content: ElementContent[]): ElementContent[] {
  const heads = content.filter((c): c is Element => c.type === 'element' && c.tagName === 'h2' && typeof c.properties.id === 'string');
  if (heads.length < 3) return [];
  return [h('nav.toc', { ariaLabel: 'Contents' }, [h('h2.toc-heading', 'Contents'), h('ol', heads.map((x) => h('li', [h('a', { href: `#${String(x.properties.id)}` }, toString(x))])))])];
}

export async function aboutPage(ctx: BuildContext, source: string): Promise<OutputFile> {
  const body = markdownToHast(await readFile(source, 'utf8'));
  // The first h1 of the Markdown is the page title; the shell adds none.
  const firstH1 = body.findIndex((c) => c.type === 'element' && c.tagName === 'h1');
  const title = firstH1 >= 0 ? toString(body[firstH1]!) : 'About the edition';
  const rest = firstH1 >= 0 ? body.filter((_, i) => i !== firstH1) : body;
  const content: ElementContent[] = [h('h1', title), ...toc(rest), ...rest];
  return { path: ABOUT_PAGE, content: page({ path: ABOUT_PAGE, title, lang: ctx.config.language, config: ctx.config, content, current: ABOUT_PAGE, bodyClass: 'about' }), kind: 'html' };
}
