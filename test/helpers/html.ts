/** Test helpers: parse and normalise HTML for golden comparisons. */
import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

export function parseHtml(html: string, fragment = false): Root {
  return unified().use(rehypeParse, { fragment }).parse(html) as Root;
}

const BLOCK = new Set(['article', 'header', 'section', 'div', 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'table', 'tr', 'blockquote', 'figure', 'address', 'aside', 'nav']);

/** Collapses whitespace and puts block elements on their own lines, so diffs are readable and stable. */
export function normaliseHtml(html: string): string {
  const tree = parseHtml(html, true);
  visit(tree, 'text', (node: { value: string }) => {
    node.value = node.value.replace(/\s+/g, ' ');
  });
  return toHtml(tree)
    .replace(new RegExp(`<(/?)(${[...BLOCK].join('|')})([ >])`, 'g'), '\n<$1$2$3')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n') + '\n';
}

/** The first element matching a tag name (depth-first). */
export function findElement(tree: Root | Element, test: (e: Element) => boolean): Element | undefined {
  let found: Element | undefined;
  visit(tree, 'element', (e: Element) => {
    if (!found && test(e)) found = e;
  });
  return found;
}

export function findAll(tree: Root | Element, test: (e: Element) => boolean): Element[] {
  const out: Element[] = [];
  visit(tree, 'element', (e: Element) => {
    if (test(e)) out.push(e);
  });
  return out;
}

export function textOf(node: Element | Root): string {
  let s = '';
  visit(node, 'text', (t: { value: string }) => {
    s += t.value;
  });
  return s;
}

export function classes(e: Element): string[] {
  const c = e.properties.className;
  return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? c.split(/\s+/) : [];
}
