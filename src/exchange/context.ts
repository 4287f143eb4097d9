/**
 * The context document the exchange stylesheets receive as `$context`: the
 * edition's documents (file name → id, to rewrite cross-document pointers)
 * and the register files' TEI, so that each export can copy the entries it
 * references into its own standOff.
 *
 *   <te:context xmlns:te="urn:tei-edition">
 *     <te:docs><te:doc file="letter.xml" id="letter"/>…</te:docs>
 *     <te:registers><te:register file="persons.xml"><TEI>…</TEI></te:register>…</te:registers>
 *   </te:context>
 */
import path from 'node:path';
import type { BuildContext } from '../formats/types.js';
import { loadDocument } from '../stages/load.js';
import { parseXml } from '../xslt/run.js';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The document element and what follows it (no XML declaration, DOCTYPE, leading PIs or comments). */
export function stripProlog(text: string): string {
  return text.replace(/^\uFEFF?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*/, '');
}

export async function contextText(ctx: BuildContext): Promise<string> {
  const docs = ctx.documents
    .map((d) => `<te:doc file="${escapeXml(path.basename(d.file))}" id="${escapeXml(d.id)}"/>`)
    .join('');
  const registers: string[] = [];
  const files = [...ctx.registry.registerFiles].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const r of files) {
    const loaded = await loadDocument(r.file, path.relative(process.cwd(), r.file), {
      maxFileSize: ctx.config.maxFileSize,
      maxDepth: ctx.config.maxDepth,
    });
    if (!loaded.ok) continue;
    registers.push(`<te:register file="${escapeXml(path.basename(r.file))}">${stripProlog(loaded.text)}</te:register>`);
  }
  return `<te:context xmlns:te="urn:tei-edition"><te:docs>${docs}</te:docs><te:registers>${registers.join('')}</te:registers></te:context>`;
}

/** The parsed context document (SaxonJS node), built once per build. */
export async function contextDocument(ctx: BuildContext): Promise<unknown> {
  return parseXml(await contextText(ctx), 'urn:tei-edition:context');
}
