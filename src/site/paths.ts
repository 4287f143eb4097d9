/** Output paths of the web edition and relative links between them. */
import path from 'node:path';

export const docPage = (id: string) => `documents/${id}.html`;
export const textFile = (id: string) => `text/${id}.txt`;
export const sourceFile = (id: string) => `tei/${id}.xml`;

/** Relative URL from one output page to another (both relative to the output root). */
export function rel(from: string, to: string): string {
  const [target, fragment] = splitFragment(to);
  let r = path.posix.relative(path.posix.dirname(from), target);
  if (r === '') r = path.posix.basename(target);
  return fragment !== undefined ? `${r}#${fragment}` : r;
}

function splitFragment(u: string): [string, string | undefined] {
  const i = u.indexOf('#');
  return i < 0 ? [u, undefined] : [u.slice(0, i), u.slice(i + 1)];
}

/** A safe file-name stem from an identifier: letters, digits, dot, dash, underscore. */
export function safeStem(id: string): string {
  let stem = stems.get(id);
  if (stem === undefined) {
    if (stems.size >= 100_000) stems.clear();
    stem = id.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[.]+/, '_').slice(0, 120) || '_';
    stems.set(id, stem);
  }
  return stem;
}

/** The stems of ids asked for (a watcher's build asks for the same 10 000 document ids each save: a normalisation and two replacements each). */
const stems = new Map<string, string>();
