/**
 * rehype plugin: the last line of defence for URLs. Any href/src/action with a
 * scheme other than http(s)/mailto (javascript:, data:, vbscript:, file:…) is
 * removed; external links get rel="noopener noreferrer" and a class.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

const URL_PROPS = ['href', 'src', 'action', 'formAction', 'poster', 'cite', 'background'];

export function isSafeUrl(value: string): boolean {
  const v = value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(v);
  return !scheme || ['http', 'https', 'mailto'].includes(scheme[1]!);
}

export default function safeLinks(options: { onUnsafe?: (url: string) => void } = {}) {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element) => {
      for (const prop of URL_PROPS) {
        const v = node.properties[prop];
        if (v === undefined || v === null) continue;
        if (!isSafeUrl(String(v))) {
          options.onUnsafe?.(String(v));
          delete node.properties[prop];
        }
      }
      // Event-handler attributes never come from our stylesheets; drop any.
      for (const key of Object.keys(node.properties)) if (/^on/i.test(key)) delete node.properties[key];
      if (node.tagName === 'script' || node.tagName === 'iframe' || node.tagName === 'object' || node.tagName === 'embed') {
        node.tagName = 'span';
        node.properties = {};
        node.children = [];
      }
      const href = node.properties.href;
      if (node.tagName === 'a' && typeof href === 'string' && /^https?:/i.test(href)) {
        node.properties.rel = ['noopener', 'noreferrer'];
        const cls = (node.properties.className as string[] | undefined) ?? [];
        if (!cls.includes('external')) node.properties.className = [...cls, 'external'];
      }
    });
  };
}
