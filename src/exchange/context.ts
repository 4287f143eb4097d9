/**
 * The context document the exchange stylesheets receive as `$context`: the
 * edition's documents (file name → id, to rewrite cross-document pointers)
 * and the register files' TEI, so that each export can copy the entries it
 * references into its own standOff.
 *
 *   <context xmlns="urn:tei-edition">
 *     <docs><doc file="letter.xml" id="letter"/>…</docs>
 *     <registers><register file="persons.xml"><file xmlns=""><TEI>…</TEI></file></register>…</registers>
 *   </context>
 *
 * (te:context, te:registers… in the stylesheets.) The wrapper's namespace is the default one, not
 * a prefix: a prefix declared on it would be in scope on every register entry, and an export that
 * copies an entry would carry `xmlns:te` with it. `file` resets the default namespace for a root
 * element that declares none.
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

/**
 * The last context text made on this thread, with what it was made from: the documents' files and ids,
 * the register files with their metadata objects (a register file's is new whenever its bytes changed:
 * the build cache keys it by them) and the load limits. A watcher's build after a word edit takes it as
 * it is (at 10 000 letters: 10 000 lines, and a register file read and checked again, ~50 ms a save).
 */
let lastText: { files: string[]; ids: string[]; registers: { file: string; meta: object }[]; limits: string; text: string } | undefined;

export async function contextText(ctx: BuildContext): Promise<string> {
  const files = ctx.documents.map((d) => d.file);
  const ids = ctx.documents.map((d) => d.id);
  const registerFiles = ctx.registry.registerFiles.map((r) => ({ file: r.file, meta: r.meta }));
  const limits = `${ctx.config.maxFileSize}\t${ctx.config.maxDepth}\t${process.cwd()}`;
  const last = lastText;
  if (
    last && last.limits === limits && last.files.length === files.length && last.registers.length === registerFiles.length &&
    last.files.every((f, i) => f === files[i] && last.ids[i] === ids[i]) &&
    last.registers.every((r, i) => r.file === registerFiles[i]!.file && r.meta === registerFiles[i]!.meta)
  ) {
    return last.text;
  }
  const text = await makeContextText(ctx);
  lastText = { files, ids, registers: registerFiles, limits, text };
  return text;
}

async function makeContextText(ctx: BuildContext): Promise<string> {
  const docs = ctx.documents
    .map((d) => `<doc file="${escapeXml(path.basename(d.file))}" id="${escapeXml(d.id)}"/>`)
    .join('');
  const registers: string[] = [];
  const files = [...ctx.registry.registerFiles].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const r of files) {
    const loaded = await loadDocument(r.file, path.relative(process.cwd(), r.file), {
      maxFileSize: ctx.config.maxFileSize,
      maxDepth: ctx.config.maxDepth,
    });
    if (!loaded.ok) continue;
    registers.push(`<register file="${escapeXml(path.basename(r.file))}"><file xmlns="">${stripProlog(loaded.text)}</file></register>`);
  }
  return `<context xmlns="urn:tei-edition"><docs>${docs}</docs><registers>${registers.join('')}</registers></context>`;
}

/**
 * What the last context text made on this thread (contextText) was made of: the text, and the id it gave each
 * document file. A watcher's save begins a document's export before its build has made the context again
 * (src/formats/exchange.ts `ahead`): with the last one, and the document's id as last built.
 */
export function lastContext(): { text: string; idOf(file: string): string | undefined } | undefined {
  const last = lastText;
  if (!last) return undefined;
  return {
    text: last.text,
    idOf: (file) => {
      const i = last.files.indexOf(file);
      return i < 0 ? undefined : last.ids[i];
    },
  };
}

/** Parses the context document's text (SaxonJS node). */
export function parseContext(text: string): Promise<unknown> {
  return parseXml(text, 'urn:tei-edition:context');
}

/** The last context document parsed on this thread, with its text (parsedContext). */
let lastParsed: { text: string; parsed: Promise<unknown> } | undefined;

/**
 * The context document of this text, parsed; the last one parsed on this thread is kept, so that a
 * watcher's next build whose documents and register files are the same (a word edit) takes it as it
 * is (at 10 000 letters the parse takes ~0.1 s and the tree holds ~100 MB: a single build lets it go,
 * `forgetParsedContext`).
 */
export function parsedContext(text: string): Promise<unknown> {
  if (lastParsed?.text !== text) lastParsed = { text, parsed: parseContext(text) };
  return lastParsed.parsed;
}

export function forgetParsedContext(): void {
  lastParsed = undefined;
}
