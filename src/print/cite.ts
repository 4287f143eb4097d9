/**
 * "How to cite" lines for the title pages of the print edition: the citation
 * module's `citationFor(doc, ctx, style)` when it is there, else the lines
 * other formats contribute to the plain-text header (ctx.hooks.textHeader).
 * The edition's own citation is made from the configuration only.
 */
import type { EditionConfig } from '../config.js';
import type { BuildContext, BuiltDocument } from '../formats/types.js';

type CitationFor = (doc: BuiltDocument, ctx: BuildContext, style: string) => unknown;

let citeModule: Promise<CitationFor | undefined> | undefined;

function loadCitationFor(): Promise<CitationFor | undefined> {
  const modulePath = '../cite/index.js';
  citeModule ??= import(modulePath).then(
    (m: { citationFor?: unknown }) => (typeof m.citationFor === 'function' ? (m.citationFor as CitationFor) : undefined),
    () => undefined,
  );
  return citeModule;
}

/** Citation lines for one document. */
export async function documentCitation(doc: BuiltDocument, ctx: BuildContext): Promise<string[]> {
  const citationFor = ctx.formats.has('cite') ? await loadCitationFor() : undefined;
  if (citationFor) {
    try {
      const c = citationFor(doc, ctx, 'chicago');
      if (typeof c === 'string' && c.trim()) return [c.trim()];
    } catch {
      // fall through to the hooks
    }
  }
  return ctx.hooks.textHeader
    .flatMap((hook) => hook(doc))
    .map((l) => l.replace(/^how to cite( this document)?:\s*/i, '').trim())
    .filter(Boolean);
}

/** The edition as a whole, from the configuration (editors, title, publisher, version, URL). */
export function editionCitation(config: EditionConfig): string[] {
  const editors = config.editors.length ? `${config.editors.join(', ')} (${config.editors.length > 1 ? 'eds.' : 'ed.'}), ` : '';
  const title = config.subtitle ? `${config.title}: ${config.subtitle}` : config.title;
  const imprint = [config.publisherPlace, config.publisher].filter(Boolean).join(': ');
  const parts = [`${editors}${title}`, imprint, `version ${config.version}`].filter(Boolean);
  return [`${parts.join(', ')}.${config.baseUrl ? ` ${config.baseUrl}` : ''}`];
}
