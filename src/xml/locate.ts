/**
 * Maps an element path as the stylesheets report it (`/TEI[1]/text[1]/body[1]/p[3]`)
 * back to the line and column of its start tag, with one streaming pass of saxes.
 */
import { SaxesParser } from 'saxes';

export interface Position { line: number; column: number }

export function locatePaths(text: string, paths: Iterable<string>): Map<string, Position> {
  const wanted = new Set(paths);
  const found = new Map<string, Position>();
  if (wanted.size === 0) return found;
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: { path: string; counts: Map<string, number> }[] = [{ path: '', counts: new Map() }];
  let lastTagStart = { line: 1, column: 1 };
  let pending = { line: 1, column: 1 };
  parser.on('opentagstart', () => {
    // parser.line/column point just after "<name"; the tag started before that.
    pending = { ...lastTagStart };
  });
  parser.on('opentag', (tag) => {
    const local = tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name;
    const top = stack[stack.length - 1]!;
    const n = (top.counts.get(local) ?? 0) + 1;
    top.counts.set(local, n);
    const p = `${top.path}/${local}[${n}]`;
    if (wanted.has(p)) found.set(p, pending);
    if (!tag.isSelfClosing) stack.push({ path: p, counts: new Map() });
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  parser.on('error', () => undefined);
  // Track where each "<" is, so start positions are exact.
  let line = 1;
  let column = 1;
  const CHUNK = 1 << 15;
  try {
    for (let i = 0; i < text.length; i += CHUNK) {
      const chunk = text.slice(i, i + CHUNK);
      let from = 0;
      for (let j = 0; j < chunk.length; j++) {
        const c = chunk.charCodeAt(j);
        if (c === 60 /* < */) {
          parser.write(chunk.slice(from, j));
          from = j;
          lastTagStart = { line, column };
        }
        if (c === 10) {
          line++;
          column = 1;
        } else column++;
      }
      parser.write(chunk.slice(from));
      if (found.size === wanted.size) break;
    }
  } catch {
    // A broken document: return what was found.
  }
  return found;
}
