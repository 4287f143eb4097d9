/**
 * rehype plugin: turns the stylesheets' `data-ref` (names → register entries)
 * and `data-target` (ref/ptr → documents, passages, notes) into real links,
 * relative to the page. What cannot be resolved stays text (never a broken link)
 * and is reported once per target.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { KIND_PAGES, type Registry } from '../stages/index.js';
import { docPage, rel } from '../site/paths.js';

export interface ResolveRefsOptions {
  registry: Registry;
  docId: string;
  /** Output path of the page being processed. */
  pagePath: string;
  /** Called once per unresolved pointer, with the source path of the element (data-te-path) if known. */
  onUnresolved?: (ref: string, sourcePath?: string) => void;
}

export function entryUrl(registry: Registry, id: string): string | undefined {
  const e = registry.entries.get(id);
  return e ? `${KIND_PAGES[e.kind].file}#${e.id}` : undefined;
}

export default function resolveRefs(options: ResolveRefsOptions) {
  const { registry, docId, pagePath } = options;
  const reported = new Set<string>();
  let sourcePath: string | undefined;
  const unresolved = (ref: string) => {
    if (reported.has(ref)) return;
    reported.add(ref);
    options.onUnresolved?.(ref, sourcePath);
  };
  return (tree: Root) => {
    visit(tree, 'element', (node: Element) => {
      const p = node.properties;
      sourcePath = p.dataTePath === undefined ? undefined : String(p.dataTePath);
      delete p.dataTePath;
      const dataRef = p.dataRef;
      if (dataRef !== undefined) {
        delete p.dataRef;
        const refs = String(dataRef).split(/\s+/).filter(Boolean);
        const labels: string[] = [];
        let href: string | undefined;
        for (const ref of refs) {
          const r = registry.resolve(ref, docId);
          if (r?.kind === 'entry') {
            labels.push(r.entry.label + (r.entry.note ? ` — ${r.entry.note}` : ''));
            href ??= rel(pagePath, `${KIND_PAGES[r.entry.kind].file}#${r.entry.id}`);
          } else if (r?.kind === 'external') {
            href ??= r.url;
          } else if (r?.kind === 'doc') {
            href ??= rel(pagePath, r.fragment ? `${docPage(r.doc)}#${r.fragment}` : docPage(r.doc));
          } else unresolved(ref);
        }
        if (href) {
          p.href = href;
          if (labels.length) {
            p.title = labels.join('; ');
            p.dataPreview = labels.join('\n');
          }
        } else if (node.tagName === 'a') node.tagName = 'span';
      }
      const dataTarget = p.dataTarget;
      if (dataTarget !== undefined) {
        delete p.dataTarget;
        const r = registry.resolve(String(dataTarget), docId);
        if (r?.kind === 'doc') {
          p.href = r.doc === docId && r.fragment ? `#${r.fragment}` : rel(pagePath, r.fragment ? `${docPage(r.doc)}#${r.fragment}` : docPage(r.doc));
        } else if (r?.kind === 'entry') {
          p.href = rel(pagePath, `${KIND_PAGES[r.entry.kind].file}#${r.entry.id}`);
          p.title = r.entry.label;
        } else if (r?.kind === 'external') p.href = r.url;
        else {
          unresolved(String(dataTarget));
          if (node.tagName === 'a') node.tagName = 'span';
        }
      }
    });
  };
}
