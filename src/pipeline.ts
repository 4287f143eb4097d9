/**
 * The build: discover → load+transform (worker pool, one parse per document)
 * → validate → index → format outputs → manifest → write (staging + swap).
 * One bad document never stops the others; every problem is a located message.
 */
import { existsSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { VFileMessage } from 'vfile-message';
import { ConfigError, loadConfig, type EditionConfig, type FormatName } from './config.js';
import { diagnostic, isError, sortDiagnostics } from './diagnostics.js';
import { formatsFor } from './formats/index.js';
import type { BuildContext, BuiltDocument, Format } from './formats/types.js';
import type { OutputFile } from './model.js';
import { safeStem } from './site/paths.js';
import { discover } from './stages/discover.js';
import { ingest } from './stages/split.js';
import { Registry } from './stages/index.js';
import { META_STYLESHEET, reviveMessage, transformDocument, type TransformResult, type TransformTask } from './stages/transform.js';
import { writeOutput } from './stages/write.js';
import { compiledStylesheet } from './xslt/sef.js';

export interface BuildOptions {
  corpus?: string;
  out?: string;
  /** Worker threads (default: one per core; 1 = in this thread). */
  jobs?: number;
  /** Restrict output formats. */
  only?: FormatName[];
  /** Overrides for edition.config.json. */
  config?: Partial<EditionConfig>;
  /** Progress callback (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Skip the validation stage. */
  validate?: boolean;
}

export interface Manifest {
  title: string;
  documents: { id: string; title: string; date: string; source: string; outputs: Record<string, string | string[]> }[];
  files: string[];
}

export interface BuildResult {
  documents: number;
  failed: number;
  files: number;
  errors: number;
  warnings: number;
  messages: VFileMessage[];
  /** Decoded source text per display path (for code frames). */
  manifest: Manifest;
  ms: number;
  outDir: string;
}

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), here.endsWith('.ts') ? 'worker.ts' : 'worker.js');
}

export async function runTransforms(tasks: TransformTask[], jobs: number, onDone: () => void): Promise<TransformResult[]> {
  // Compile every stylesheet once, before the workers start.
  const sheets = new Set<string>([META_STYLESHEET, ...tasks.flatMap((t) => t.stylesheets)]);
  await Promise.all([...sheets].map((s) => compiledStylesheet(s)));
  if (jobs <= 1 || tasks.length < 4) {
    const out: TransformResult[] = [];
    for (const t of tasks) {
      out.push(await transformDocument(t));
      onDone();
    }
    return out;
  }
  const pool = new Piscina({ filename: workerFile(), minThreads: jobs, maxThreads: jobs, idleTimeout: 1000 });
  try {
    return await Promise.all(
      tasks.map(async (t) => {
        try {
          return (await pool.run(t)) as TransformResult;
        } catch (error) {
          // A crashed worker is replaced by the pool; the document is reported.
          return {
            file: t.file, displayPath: t.displayPath, ok: false, outputs: {}, results: {},
            messages: [{ reason: `worker failed: ${(error as Error).message}`, line: 1, column: 1, ruleId: 'worker-crash', source: 'tei-edition', fatal: true }],
          } satisfies TransformResult;
        } finally {
          onDone();
        }
      }),
    );
  } finally {
    await pool.destroy();
  }
}

/** Assigns each document a unique, safe id: TEI/@xml:id, else the file name. */
function assignIds(results: TransformResult[], report: (m: VFileMessage) => void): Map<TransformResult, string> {
  const ids = new Map<TransformResult, string>();
  const used = new Set<string>();
  for (const r of results) {
    if (!r.ok || !r.meta) continue;
    const wanted = r.meta.id || path.basename(r.file, path.extname(r.file));
    let id = safeStem(wanted);
    if (id !== wanted) {
      report(diagnostic(`document id "${wanted}" changed to "${id}" for use in file names`, { file: r.displayPath, line: 1, column: 1, ruleId: 'doc-id-sanitised', severity: 'warning' }));
    }
    if (used.has(id)) {
      let i = 2;
      while (used.has(`${id}-${i}`)) i++;
      report(diagnostic(`document id "${id}" is used by another document; this one becomes "${id}-${i}"`, { file: r.displayPath, line: 1, column: 1, ruleId: 'doc-id-duplicate', severity: 'warning' }));
      id = `${id}-${i}`;
    }
    used.add(id);
    ids.set(r, id);
  }
  return ids;
}

/**
 * The output folder is replaced as a whole: refuse one that holds the corpus (or is
 * it), and an existing non-empty folder that is not a previous build (no manifest.json).
 */
function checkOutDir(corpusDir: string, outDir: string): void {
  const up = path.relative(outDir, corpusDir);
  if (up === '' || (up.split(path.sep)[0] !== '..' && !path.isAbsolute(up))) {
    throw new ConfigError(`output folder ${outDir} contains the corpus ${corpusDir}; it would be replaced by the build (choose another --out)`);
  }
  let names: string[] = [];
  try {
    names = readdirSync(outDir).filter((n) => !n.startsWith('.'));
  } catch {
    return;
  }
  if (names.length && !existsSync(path.join(outDir, 'manifest.json'))) {
    throw new ConfigError(`output folder ${outDir} is not empty and holds no previous build (manifest.json); refusing to replace it`);
  }
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const corpusDir = path.resolve(options.corpus ?? 'tei');
  const outDir = path.resolve(options.out ?? 'build');
  checkOutDir(corpusDir, outDir);
  const config = await loadConfig(corpusDir, { ...options.config, ...(options.only ? { formats: options.only } : {}) });
  const formats: Format[] = formatsFor(config.formats);
  const messages: VFileMessage[] = [];
  const report = (m: VFileMessage) => messages.push(m);

  const found = await ingest(await discover(corpusDir), { corpusDir, split: config.split, load: { maxFileSize: config.maxFileSize, maxDepth: config.maxDepth } });
  messages.push(...found.messages);
  const display = (f: string) => path.relative(process.cwd(), f) || f;
  const stylesheets = [...new Set(formats.flatMap((f) => f.stylesheets ?? []))];
  const params: Record<string, string> = { 'edition-title': config.title, lang: config.language };
  const tasks: TransformTask[] = found.files.map((file) => ({
    file, displayPath: display(file), stylesheets, params,
    load: { maxFileSize: config.maxFileSize, maxDepth: config.maxDepth },
    keepText: true,
  }));
  let done = 0;
  const jobs = Math.max(1, options.jobs ?? cpus().length);
  const results = await runTransforms(tasks, jobs, () => options.onProgress?.(++done, tasks.length));
  for (const r of results) for (const m of r.messages) messages.push(reviveMessage(m, r.displayPath));

  const ids = assignIds(results, report);
  const registry = new Registry();
  for (const r of results) {
    const id = ids.get(r);
    if (id && r.meta) registry.add({ id, file: r.file, meta: r.meta });
  }
  registry.finish();

  if (options.validate !== false) {
    try {
      const { validateResults } = await import('./stages/validate.js');
      messages.push(...(await validateResults(results, { corpusDir, config, registry })));
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }

  const byId = new Map(registry.documents.map((d) => [d.id, d]));
  const documents: BuiltDocument[] = [];
  for (const r of results) {
    const id = ids.get(r);
    if (!id || !r.meta || !byId.has(id)) continue;
    documents.push({ id, file: r.file, displayPath: r.displayPath, meta: r.meta, outputs: r.outputs, results: r.results, text: r.text });
  }
  const order = new Map(registry.documents.map((d, i) => [d.id, i]));
  documents.sort((a, b) => order.get(a.id)! - order.get(b.id)!);

  const ctx: BuildContext = {
    config, corpusDir, registry, documents, report,
    hooks: { documentHead: [], documentAside: [], textHeader: [] },
    formats: new Set(formats.map((f) => f.name)),
  };
  for (const f of formats) await f.setup?.(ctx);

  const files: OutputFile[] = [];
  const built: BuiltDocument[] = [];
  for (const doc of documents) {
    const docFiles: OutputFile[] = [];
    try {
      for (const f of formats) if (f.document) docFiles.push(...(await f.document(doc, ctx)));
      files.push(...docFiles);
      built.push(doc);
    } catch (error) {
      report(diagnostic(`could not write outputs: ${(error as Error).message}`, { file: doc.displayPath, line: 1, column: 1, ruleId: 'output-failed', cause: error }));
    }
  }
  ctx.documents = built;
  for (const f of formats) {
    if (!f.corpus) continue;
    try {
      files.push(...(await f.corpus(ctx)));
    } catch (error) {
      report(diagnostic(`${f.name} edition-wide outputs failed: ${(error as Error).message}`, { file: display(corpusDir), ruleId: 'output-failed', cause: error }));
    }
  }

  const manifest = makeManifest(config, built, files);
  files.push({ path: 'manifest.json', content: JSON.stringify(manifest, null, 2) + '\n', kind: 'manifest' });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  await writeOutput(outDir, files);

  const sorted = sortDiagnostics(messages);
  const failed = results.filter((r) => !r.ok).length;
  return {
    documents: built.length,
    failed,
    files: files.length,
    errors: sorted.filter(isError).length,
    warnings: sorted.filter((m) => m.fatal === false).length,
    messages: sorted,
    manifest,
    ms: performance.now() - started,
    outDir,
  };
}

function makeManifest(config: EditionConfig, docs: BuiltDocument[], files: OutputFile[]): Manifest {
  const byDoc = new Map<string, OutputFile[]>();
  for (const f of files) {
    if (!f.doc) continue;
    let l = byDoc.get(f.doc);
    if (!l) byDoc.set(f.doc, (l = []));
    l.push(f);
  }
  return {
    title: config.title,
    documents: docs.map((d) => {
      const outputs: Record<string, string | string[]> = {};
      for (const f of (byDoc.get(d.id) ?? []).sort((a, b) => a.path.localeCompare(b.path))) {
        const prev = outputs[f.kind];
        outputs[f.kind] = prev === undefined ? f.path : Array.isArray(prev) ? [...prev, f.path] : [prev, f.path];
      }
      return {
        id: d.id,
        title: d.meta.title,
        date: d.meta.date?.when || d.meta.date?.value || '',
        source: path.basename(d.file),
        outputs,
      };
    }),
    files: files.map((f) => f.path).sort(),
  };
}
