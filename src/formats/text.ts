/**
 * Plain-text edition: the text stylesheet's output, re-flowed for reading
 * (78 columns), header lines kept, typography untouched, plus the hooks'
 * header lines (e.g. how to cite).
 */
import type { OutputFile } from '../model.js';
import { textFile } from '../site/paths.js';
import type { Format } from './types.js';

export const TEXT_STYLESHEET = 'text/text.xsl';
const WIDTH = 78;

/** Wraps one paragraph at word boundaries. */
export function wrap(text: string, width = WIDTH): string {
  const words = text.split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && [...line].length + 1 + [...w].length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Header block (up to the first blank line) kept line by line; then paragraphs re-flowed. */
export function reflow(raw: string, extraHeader: string[] = []): string {
  const text = raw.replace(/\r\n?/g, '\n');
  const end = text.indexOf('\n\n');
  const header = (end < 0 ? text : text.slice(0, end)).split('\n').map((l) => l.trim()).filter(Boolean);
  const body = end < 0 ? '' : text.slice(end);
  const blocks = body
    .split(/\n[ \t]*\n/)
    .map((b) => {
      // Hard line breaks (U+2028) from the stylesheet survive; other whitespace is re-flowed.
      const lines = b.split('\u2028').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
      if (lines.length > 1 && /^¶\d+$/.test(lines[0]!)) lines.splice(0, 2, `${lines[0]} ${lines[1]}`);
      return lines;
    })
    .filter((lines) => lines.length)
    .map((lines) => {
      const b = lines.join(' ');
      // A heading arrives as "Title" + underline in one block.
      const m = lines.length === 1 ? /^(.*) ([=-]{2,})$/.exec(b) : null;
      return m && [...m[1]!].length === m[2]!.length ? `${m[1]}\n${m[2]}` : lines.map((l) => wrap(l)).join('\n');
    });
  const head = [...header, ...extraHeader.map((l) => wrap(l))];
  return `${head.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

export const textFormat: Format = {
  name: 'text',
  pureDocument: true,
  stylesheets: [TEXT_STYLESHEET],
  document(doc, ctx): OutputFile[] {
    const extra = ctx.hooks.textHeader.flatMap((hook) => hook(doc));
    return [{ path: textFile(doc.id), content: reflow(doc.outputs[TEXT_STYLESHEET] ?? '', extra), doc: doc.id, kind: 'text' }];
  },
};
