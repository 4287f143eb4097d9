/** `tei-edition cite DOC[#PASSAGE] [--style …] [--corpus DIR]`: one citation on stdout, from the corpus metadata in memory. */
import { loadCorpus } from '../corpus.js';
import { findPassage } from './csl.js';
import { CITE_STYLES, type CiteStyle } from './format.js';
import { citationFor } from '../formats/cite.js';

export async function citeCommand(target: string, opts: { style: string; corpus: string }): Promise<number> {
  if (!(CITE_STYLES as readonly string[]).includes(opts.style)) {
    process.stderr.write(`tei-edition: unknown style "${opts.style}" (known: ${CITE_STYLES.join(', ')})\n`);
    return 2;
  }
  const hash = target.indexOf('#');
  const docId = hash < 0 ? target : target.slice(0, hash);
  const passageKey = hash < 0 ? '' : target.slice(hash + 1);
  const corpus = await loadCorpus(opts.corpus);
  const doc = corpus.documents.find((d) => d.id === docId);
  if (!doc) {
    const known = corpus.documents.map((d) => d.id);
    process.stderr.write(`tei-edition: no document "${docId}" in ${opts.corpus}` + (known.length ? ` (documents: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})` : '') + '\n');
    return 1;
  }
  let passage;
  if (passageKey) {
    passage = findPassage(doc.meta.passages, passageKey);
    if (!passage) {
      process.stderr.write(`tei-edition: ${docId} has no paragraph "${passageKey}" (¶1–¶${doc.meta.passages.length}, or a passage id)\n`);
      return 1;
    }
  }
  const text = citationFor(doc, { config: corpus.config, registry: corpus.registry }, opts.style as CiteStyle, passage);
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return 0;
}
