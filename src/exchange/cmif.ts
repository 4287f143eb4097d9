/**
 * CMIF v1 file (exchange/cmif.xml) for correspSearch: the edition's header
 * (title, editors, publisher, the mandatory CC BY 4.0 licence, idno[@type='url'],
 * a timestamp, the edition as bibl[@type='online'] in sourceDesc) and the
 * correspDesc of every letter (xslt/exchange/cmif.xsl).
 *
 * CMIF needs absolute URLs (the file's own URL and each letter's): without
 * config.baseUrl no CMIF file is written and a warning says so.
 */
import { createHash } from 'node:crypto';
import type { EditionConfig } from '../config.js';
import { joined, type Chunks } from '../model.js';
import { escapeXml } from './context.js';

export const CMIF_LICENCE_URL = 'https://creativecommons.org/licenses/by/4.0/';
export const CMIF_LICENCE_TEXT = 'This file is licensed under the terms of the Creative-Commons-License CC-BY 4.0';

/** A deterministic id "uuid-<UUID>" (an NCName; version-5 layout, SHA-1 of the edition's URL and title) for the edition's bibl. */
export function editionUuid(config: EditionConfig): string {
  const h = createHash('sha1').update(`tei-edition:${config.baseUrl}|${config.title}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `uuid-${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The CMIF file, in pieces (Chunks: at 10 000 letters it is tens of MB, made again whenever a letter changes). */
export function cmifFile(config: EditionConfig, correspDescs: string[], timestamp: string): Chunks {
  const uuid = editionUuid(config);
  const editors = config.editors.map((e) => `<editor>${escapeXml(e)}</editor>`).join('');
  const publisher = config.publisher || config.title;
  const bibl = [config.title, config.editors.length ? `ed. ${config.editors.join(', ')}` : '', config.publisher, config.baseUrl]
    .filter(Boolean)
    .map(escapeXml)
    .join(', ');
  const head = `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
<teiHeader>
<fileDesc>
<titleStmt><title>${escapeXml(config.title)}: letters (CMIF)</title>${editors}</titleStmt>
<publicationStmt>
<publisher><ref target="${escapeXml(config.baseUrl)}">${escapeXml(publisher)}</ref></publisher>
<idno type="url">${escapeXml(config.baseUrl)}exchange/cmif.xml</idno>
<date when="${timestamp}"/>
<availability><licence target="${CMIF_LICENCE_URL}">${CMIF_LICENCE_TEXT}</licence></availability>
</publicationStmt>
<sourceDesc><bibl type="online" xml:id="${uuid}">${bibl}</bibl></sourceDesc>
</fileDesc>
<profileDesc>
`;
  const tail = `
</profileDesc>
</teiHeader>
<text><body><p/></body></text>
</TEI>
`;
  return [head, ...joined(correspDescs, '\n'), tail];
}
