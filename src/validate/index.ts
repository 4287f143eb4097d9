/**
 * `tei-edition validate`: four layers, all reported together.
 *   1. well-formedness and encoding (stages/load.ts)
 *   2. RELAX NG (rng/: our own derivative-based validator)
 *   3. ISO Schematron project rules (schematron.ts)
 *   4. corpus coherence (coherence.ts)
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { DEFAULT_CONFIG } from '../config.js';
import { sortDiagnostics } from '../diagnostics.js';
import type { LoadedDocument } from '../stages/load.js';
import { checkFiles, startHelpers, stopHelpers, threadsFor, type CheckSetup } from './check.js';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import { checkCoherence } from './coherence.js';
import { collectFacts } from './collect.js';
import { debug } from './debug.js';
import { discoverXml } from './discover.js';
import { loadSchema } from './rng/schema.js';
import { validateRng, type RngOptions } from './rng/validator.js';

export { SchemaError } from './rng/schema.js';
export { RulesError } from './errors.js';

export const DEFAULT_SCHEMA = path.join(PACKAGE_ROOT, 'schema', 'tei-edition.rng');

export interface ValidateOptions {
  /** Corpus root (for resolving file.xml#id and relative schema paths). */
  corpusDir: string;
  /** Path to a .rng; undefined = schema/tei-edition.rng of this package. */
  schema?: string;
  /** Extra .sch files (the edition's own rules/tei-edition.sch always runs). */
  rules?: string[];
  /** Warnings → errors. */
  strict?: boolean;
  /** Ids of corpus register entries (for #id resolution); default: collected from the corpus registers. */
  registerIds?: Set<string>;
  layers?: { schema?: boolean; rules?: boolean; coherence?: boolean };
}

function resolveFrom(corpusDir: string, file: string): string {
  return path.isAbsolute(file) ? file : path.resolve(corpusDir, file);
}

/**
 * Validates already-loaded documents (layer 1 was done by load.ts; its
 * messages are not repeated here); returns every message of layers 2–4,
 * sorted. Throws SchemaError / RulesError when the schema or a rules file
 * itself cannot be used.
 */
export async function validateDocuments(docs: LoadedDocument[], options: ValidateOptions): Promise<VFileMessage[]> {
  return runLayers(docs, options);
}

/** Layers 2–4; `validated` holds RELAX NG messages already made during loading (check.ts). */
async function runLayers(docs: LoadedDocument[], options: ValidateOptions, validated?: Map<LoadedDocument, VFileMessage[]>): Promise<VFileMessage[]> {
  const layers = { schema: true, rules: true, coherence: true, ...options.layers };
  const ok = docs.filter((d) => d.ok);
  const messages: VFileMessage[] = [];
  if (layers.schema) {
    const todo = ok.some((d) => !validated?.has(d));
    const schema = !validated || todo ? loadSchema(schemaPath(options)) : undefined;
    for (const doc of ok) {
      const done = validated?.get(doc);
      messages.push(...(done ?? validateRng(doc.text, doc.displayPath, schema!, rngOptions(options))));
    }
  }
  const facts = layers.rules || layers.coherence ? ok.map((d) => collectFacts(d, options.corpusDir)) : [];
  if (layers.rules) {
    const registerIds = options.registerIds ?? new Set(facts.filter((f) => f.isRegister).flatMap((f) => f.entries.map((e) => e.id)));
    const ctx = {
      registerIds: [...registerIds],
      corpusIds: facts.flatMap((f) => f.ids.map((i) => `${f.rel}#${i.id}`)),
      corpusFiles: facts.map((f) => f.rel),
    };
    // Loaded on demand: the Schematron runner brings SaxonJS, not needed for the other layers.
    const { compileRules, DEFAULT_RULES, runRules } = await import('./schematron.js');
    const files = [DEFAULT_RULES, ...(options.rules ?? []).map((r) => resolveFrom(options.corpusDir, r))];
    for (const file of files) {
      const sef = await compileRules(file);
      for (const doc of ok) messages.push(...(await runRules(sef, doc, options.corpusDir, ctx, file)));
    }
  }
  if (layers.coherence) messages.push(...checkCoherence(facts));
  if (options.strict) for (const m of messages) if (m.fatal === false) m.fatal = true;
  return sortDiagnostics(messages);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function schemaPath(options: ValidateOptions): string {
  return options.schema ? resolveFrom(options.corpusDir, options.schema) : DEFAULT_SCHEMA;
}

function rngOptions(options: ValidateOptions): RngOptions {
  return { foreignAttributeSeverity: options.strict ? 'error' : 'warning' };
}

/**
 * What `tei-edition validate [PATH…]` runs: discover *.xml under the paths, load
 * and validate against the schema (one parse per file; on worker threads for
 * many files: `jobs`, default one per core), then the rules and coherence layers.
 */
export async function validatePaths(
  paths: string[],
  options: ValidateOptions & { maxFileSize?: number; maxDepth?: number; jobs?: number },
): Promise<{ messages: VFileMessage[]; files: number; sources: Map<string, string> }> {
  const t0 = performance.now();
  const layers = { schema: true, ...options.layers };
  const setup: CheckSetup = {
    load: {
      maxFileSize: options.maxFileSize ?? DEFAULT_CONFIG.maxFileSize,
      maxDepth: options.maxDepth ?? DEFAULT_CONFIG.maxDepth,
    },
    schema: layers.schema ? schemaPath(options) : undefined,
    rng: rngOptions(options),
  };
  // A folder is likely to hold many files: the worker threads start now, during discovery.
  const helpers = startHelpers(options.jobs !== 1 && paths.some(isDirectory) ? threadsFor(Infinity, options.jobs) - 1 : 0, setup);
  let checked;
  try {
    const found = await discoverXml(paths, options.corpusDir);
    debug('discovered %d files in %d ms', found.files.length, Math.round(performance.now() - t0));
    const files = found.files.map((file) => ({ file, displayPath: path.relative(process.cwd(), file) || file }));
    checked = { found, results: await checkFiles({ ...setup, files }, threadsFor(files.length, options.jobs), helpers) };
  } finally {
    stopHelpers(helpers);
  }
  const { found, results } = checked;
  const docs: LoadedDocument[] = [];
  const sources = new Map<string, string>();
  const validated = new Map<LoadedDocument, VFileMessage[]>();
  for (const { doc, schemaMessages } of results) {
    sources.set(doc.displayPath, doc.original);
    docs.push(doc);
    if (schemaMessages) validated.set(doc, schemaMessages);
  }
  const layer1 = [...found.messages, ...docs.flatMap((d) => d.messages)];
  if (options.strict) for (const m of layer1) if (m.fatal === false) m.fatal = true;
  const rest = await runLayers(docs, options, validated);
  const messages = sortDiagnostics([...layer1, ...rest]);
  debug('%d files, %d messages in %d ms', docs.length, messages.length, Math.round(performance.now() - t0));
  return { messages, files: docs.length, sources };
}
