/**
 * Link checker for a built edition: parses every HTML file with rehype-parse
 * (hast) and checks every internal reference (a/link/area href, script/img/
 * source src, form action): the target file exists inside the output folder,
 * and a #fragment names an element id in the target page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Element, Root } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

export interface LinkProblem {
  /** Page (relative to the output folder) the link stands in. */
  page: string;
  href: string;
  reason: 'missing-file' | 'missing-anchor' | 'outside-output';
}

export interface LinkReport {
  pages: number;
  links: number;
  problems: LinkProblem[];
}

const URL_ATTRS: Record<string, string[]> = { a: ['href'], link: ['href'], area: ['href'], script: ['src'], img: ['src'], source: ['src'], iframe: ['src'], form: ['action'] };

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

function parse(file: string): Root {
  return unified().use(rehypeParse).parse(fs.readFileSync(file, 'utf8')) as Root;
}

export function checkLinks(outDir: string): LinkReport {
  const root = path.resolve(outDir);
  const pages = walk(root).filter((f) => f.endsWith('.html'));
  const ids = new Map<string, Set<string>>();
  const idsOf = (file: string): Set<string> => {
    let s = ids.get(file);
    if (!s) {
      s = new Set();
      const set = s;
      visit(parse(file), 'element', (n: Element) => {
        if (typeof n.properties.id === 'string') set.add(n.properties.id);
        if (n.tagName === 'a' && typeof n.properties.name === 'string') set.add(n.properties.name);
      });
      ids.set(file, s);
    }
    return s;
  };
  const problems: LinkProblem[] = [];
  let links = 0;
  for (const page of pages) {
    const rel = path.relative(root, page).split(path.sep).join('/');
    const tree = parse(page);
    const own = new Set<string>();
    visit(tree, 'element', (n: Element) => {
      if (typeof n.properties.id === 'string') own.add(n.properties.id);
    });
    ids.set(page, own);
    visit(tree, 'element', (n: Element) => {
      for (const attr of URL_ATTRS[n.tagName] ?? []) {
        const prop = attr === 'action' ? 'action' : attr;
        const v = n.properties[prop];
        if (typeof v !== 'string' || v === '') continue;
        if (/^[a-z][a-z0-9+.-]*:/i.test(v) || v.startsWith('//')) continue; // external
        links++;
        const hash = v.indexOf('#');
        const pathPart = (hash < 0 ? v : v.slice(0, hash)).split('?')[0]!;
        const fragment = hash < 0 ? '' : decodeURIComponent(v.slice(hash + 1));
        let target = pathPart ? path.resolve(path.dirname(page), decodeURIComponent(pathPart)) : page;
        if (target !== root && !target.startsWith(root + path.sep)) {
          problems.push({ page: rel, href: v, reason: 'outside-output' });
          continue;
        }
        if (fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, 'index.html');
        if (!fs.existsSync(target)) {
          problems.push({ page: rel, href: v, reason: 'missing-file' });
          continue;
        }
        if (fragment && target.endsWith('.html') && !idsOf(target).has(fragment)) problems.push({ page: rel, href: v, reason: 'missing-anchor' });
      }
    });
  }
  return { pages: pages.length, links, problems };
}
