/**
 * The corpus metadata in memory, without writing anything: discover →
 * transform (meta.xsl only) → index. For commands that need to know the
 * edition (e.g. `tei-edition cite`) but not build it. Document ids are
 * assigned exactly as the build assigns them.
 */
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { loadConfig, type EditionConfig } from './config.js';
import type { DocMeta } from './model.js';
import { discover } from './stages/discover.js';
import { indexResults, type Registry } from './stages/index.js';
import { reviveMessage, transformDocument } from './stages/transform.js';

export interface CorpusDocument { id: string; file: string; meta: DocMeta }
export interface Corpus {
  config: EditionConfig;
  corpusDir: string;
  registry: Registry;
  /** Edition documents (not register files), in edition order. */
  documents: CorpusDocument[];
  messages: VFileMessage[];
}

export async function loadCorpus(corpus = 'tei', overrides: Partial<EditionConfig> = {}): Promise<Corpus> {
  const corpusDir = path.resolve(corpus);
  const config = await loadConfig(corpusDir, overrides);
  const found = await discover(corpusDir);
  const messages: VFileMessage[] = [...found.messages];
  const display = (f: string) => path.relative(process.cwd(), f) || f;
  const results = [];
  for (const file of found.files) {
    const r = await transformDocument({
      file, displayPath: display(file), stylesheets: [], params: { 'edition-title': config.title, lang: config.language },
      load: { maxFileSize: config.maxFileSize, maxDepth: config.maxDepth },
    });
    for (const m of r.messages) messages.push(reviveMessage(m, r.displayPath));
    results.push(r);
  }
  // The build's own index: its rule for document ids, its registry.
  const indexed = indexResults(results);
  messages.push(...indexed.notes());
  const registry = indexed.registry;
  return { config, corpusDir, registry, documents: registry.documents.map((d) => ({ id: d.id, file: d.file, meta: d.meta })), messages };
}
