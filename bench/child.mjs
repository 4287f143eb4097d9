// Bench child process: one build (or one watch rebuild) of the compiled
// pipeline (dist/), then a JSON line with its times and peak RSS (worker
// threads included: they share the process). Usage:
//   node bench/child.mjs '{"mode":"build","options":{…}}'
//   node bench/child.mjs '{"mode":"watch","options":{…},"touch":"/…/L00001.xml"}'
//   node bench/child.mjs '{"mode":"transforms","files":["/…/L00001.xml",…]}'
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { build } = await import(pathToFileURL(path.join(root, 'dist', 'pipeline.js')).href);
const spec = JSON.parse(process.argv[2]);

/** Changes the words of one paragraph of a letter (a typical edit: no new ids). */
export async function touch(file) {
  const text = await readFile(file, 'utf8');
  const i = text.indexOf('<p>');
  if (i < 0) throw new Error(`no paragraph in ${file}`);
  await writeFile(file, text.slice(0, i + 3) + 'Revised. ' + text.slice(i + 3));
}

/** The page cache dirty or being written back, in kB (Linux /proc/meminfo; undefined elsewhere). */
async function dirtyPages() {
  try {
    const info = await readFile('/proc/meminfo', 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(info)?.[1] ?? 0);
    return kb('Dirty') + kb('Writeback');
  } catch {
    return undefined;
  }
}

const summary = (r) => ({
  documents: r.documents, files: r.files, errors: r.errors, warnings: r.warnings,
  rebuilt: r.rebuilt.length, rendered: r.rendered.length, buildMs: r.ms,
});

if (spec.mode === 'build') {
  // As the command line runs a one-shot build (src/memory.ts); a watcher leaves the heap growth to V8.
  const { oneShotHeap } = await import(pathToFileURL(path.join(root, 'dist', 'memory.js')).href);
  const { jobsOf } = await import(pathToFileURL(path.join(root, 'dist', 'workers.js')).href);
  oneShotHeap(jobsOf(spec.options.jobs));
  const r = await build(spec.options);
  process.stdout.write(JSON.stringify({ ...summary(r), maxRSS: process.resourceUsage().maxRSS * 1024 }) + '\n');
} else if (spec.mode === 'watch') {
  const { watchBuild } = await import(pathToFileURL(path.join(root, 'dist', 'watch.js')).href);
  let onBuild;
  const watcher = watchBuild(spec.options, (r) => onBuild?.(r));
  const first = await watcher.ready;
  if (first.error) throw first.error;
  // Three saves: the first once the watcher is ready (after its warm-up, timed apart), then two more,
  // each a second after the last was rebuilt, as an editor at work saves again a moment later (a
  // watcher records a build for the next one after reporting it: BuildSession.settling).
  const times = [];
  let r;
  let dirtyKB;
  for (let i = 0; i < 3; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    else dirtyKB = await dirtyPages();
    const next = new Promise((resolve) => (onBuild = resolve));
    const t0 = performance.now();
    await touch(spec.touch);
    r = await next;
    times.push(performance.now() - t0);
    if (r.error) throw r.error;
  }
  await watcher.close();
  process.stdout.write(JSON.stringify({ ...summary(r.result), firstMs: first.result.ms, warmUpMs: first.warmUpMs, saveToRebuiltMs: times[0], laterSavesMs: times.slice(1), dirtyKB, maxRSS: process.resourceUsage().maxRSS * 1024 }) + '\n');
} else if (spec.mode === 'transforms') {
  // The per-document task of a build of HTML + text + citations (load, one parse, meta.xsl and the formats'
  // stylesheets: src/stages/transform.ts) over the files, on this thread, and nothing else: the bench runs it
  // alone, then in one process per core at once, to measure how far this machine's cores can speed that work up.
  const { transformDocument, transformSettings } = await import(pathToFileURL(path.join(root, 'dist', 'stages', 'transform.js')).href);
  const { formatsFor } = await import(pathToFileURL(path.join(root, 'dist', 'formats', 'index.js')).href);
  const { DEFAULT_CONFIG } = await import(pathToFileURL(path.join(root, 'dist', 'config.js')).href);
  const settings = transformSettings(DEFAULT_CONFIG, formatsFor(['html', 'text', 'cite']));
  const task = (file) => ({ file, displayPath: path.basename(file), ...settings });
  // Warmed up first (SaxonJS and the stylesheets loaded, the code optimised): the steady state is compared.
  for (const file of spec.files.slice(0, 20)) await transformDocument(task(file));
  const t0 = performance.now();
  let failed = 0;
  for (const file of spec.files) if (!(await transformDocument(task(file))).ok) failed++;
  if (failed) throw new Error(`${failed} of ${spec.files.length} documents did not transform`);
  process.stdout.write(JSON.stringify({ transformMs: performance.now() - t0, documents: spec.files.length, maxRSS: process.resourceUsage().maxRSS * 1024 }) + '\n');
} else if (spec.mode === 'touch') {
  await touch(spec.touch);
}
