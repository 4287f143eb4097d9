/** The output formats, in build order. Add a format here (see README "Adding a format"). */
import type { FormatName } from '../config.js';
import { citeFormat } from './cite.js';
import { exchangeFormat } from './exchange.js';
import { htmlFormat } from './html.js';
import { printFormat } from './print.js';
import { textFormat } from './text.js';
import type { Format } from './types.js';

export const ALL_FORMATS: Format[] = [htmlFormat, textFormat, citeFormat, printFormat, exchangeFormat];

export function formatsFor(names: Iterable<FormatName>): Format[] {
  const wanted = new Set(names);
  return ALL_FORMATS.filter((f) => wanted.has(f.name));
}
