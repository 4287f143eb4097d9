/**
 * Stage "validate" inside the build: the same checks as `tei-edition validate`
 * (schema, Schematron rules, corpus coherence), run on the documents the build
 * already loaded. Load-level errors (well-formedness, hostile input) were
 * reported by the load stage.
 */
import type { VFileMessage } from 'vfile-message';
import type { EditionConfig } from '../config.js';
import type { LoadedDocument } from './load.js';
import type { Registry } from './index.js';
import type { TransformResult } from './transform.js';
import path from 'node:path';

export interface ValidateStageOptions {
  corpusDir: string;
  config: EditionConfig;
  registry: Registry;
}

type ValidateDocuments = (docs: LoadedDocument[], options: {
  corpusDir: string; schema?: string; rules?: string[]; strict?: boolean; registerIds?: Set<string>;
}) => Promise<VFileMessage[]>;

export async function validateResults(results: TransformResult[], o: ValidateStageOptions): Promise<VFileMessage[]> {
  const modulePath = '../validate/index.js';
  let validateDocuments: ValidateDocuments;
  try {
    ({ validateDocuments } = (await import(modulePath)) as { validateDocuments: ValidateDocuments });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return [];
    throw error;
  }
  const docs: LoadedDocument[] = results
    .filter((r) => r.text !== undefined)
    .map((r) => ({
      path: r.file, displayPath: r.displayPath, text: r.text!, original: r.text!, rootNamespace: 'http://www.tei-c.org/ns/1.0',
      rootName: r.meta?.root ?? 'TEI', messages: [], ok: true,
    }));
  const registerIds = new Set<string>();
  for (const f of o.registry.registerFiles) for (const e of f.meta.entries) registerIds.add(e.id);
  return validateDocuments(docs, {
    corpusDir: o.corpusDir,
    schema: o.config.schema ? path.resolve(o.corpusDir, o.config.schema) : undefined,
    rules: o.config.rules.map((r) => path.resolve(o.corpusDir, r)),
    strict: o.config.strict,
    registerIds,
  });
}
