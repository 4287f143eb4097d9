/**
 * Compiles XSLT entry stylesheets to SEF with xslt3 (the XX compiler, run in
 * a child process), once: the SEF is cached under `.cache/tei-edition/sef/`
 * keyed by a hash of every stylesheet module, so an edit to any module
 * recompiles and nothing else does.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The package root (…/tei-edition), both from src/ and dist/. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const XSLT_DIR = path.join(PACKAGE_ROOT, 'xslt');
export const CACHE_DIR = process.env.TEI_EDITION_CACHE ?? path.join(PACKAGE_ROOT, '.cache', 'tei-edition');

export class StylesheetError extends Error {
  constructor(
    message: string,
    readonly stylesheet: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StylesheetError';
  }
}

async function listModules(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listModules(full)));
    else if (entry.name.endsWith('.xsl') || entry.name.endsWith('.xslt')) out.push(full);
  }
  return out.sort();
}

let treeHash: Promise<string> | undefined;
const forgetting: (() => void)[] = [];

/** Registers what to drop when the stylesheets change (e.g. the SEFs a module has loaded). */
export function onStylesheetsChanged(fn: () => void): void {
  forgetting.push(fn);
}

/**
 * A stylesheet module changed (a long-running process: watch, serve): hash the
 * modules again and load every compiled stylesheet afresh in this thread.
 * (Worker threads have their own; the caller replaces the worker pool.)
 */
export function forgetStylesheets(): void {
  treeHash = undefined;
  inFlight.clear();
  for (const fn of forgetting) fn();
}

/** Hash of all stylesheet modules (any change recompiles every entry that may include it). */
export function stylesheetsHash(dir = XSLT_DIR): Promise<string> {
  if (dir !== XSLT_DIR) return computeHash(dir);
  treeHash ??= computeHash(dir);
  return treeHash;
}

async function computeHash(dir: string): Promise<string> {
  const h = createHash('sha256');
  const xslt3 = require('xslt3/package.json') as { version: string };
  h.update(`xslt3@${xslt3.version}\n`);
  for (const file of await listModules(dir)) {
    h.update(path.relative(dir, file) + '\n');
    h.update(await readFile(file));
  }
  return h.digest('hex').slice(0, 16);
}

const inFlight = new Map<string, Promise<string>>();

/** Path of the compiled SEF for an entry stylesheet (relative to xslt/ or absolute); compiles when needed. */
export function compiledStylesheet(entry: string): Promise<string> {
  const file = path.isAbsolute(entry) ? entry : path.join(XSLT_DIR, entry);
  let p = inFlight.get(file);
  if (!p) {
    p = compile(file);
    inFlight.set(file, p);
    p.catch(() => inFlight.delete(file));
  }
  return p;
}

async function compile(file: string): Promise<string> {
  const inTree = file.startsWith(XSLT_DIR + path.sep);
  const hash = inTree ? await stylesheetsHash() : createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 16);
  const name = (inTree ? path.relative(XSLT_DIR, file) : path.basename(file)).replace(/[\\/]/g, '__').replace(/\.xslt?$/, '');
  const dir = path.join(CACHE_DIR, 'sef');
  const target = path.join(dir, `${name}-${hash}.sef.json`);
  if (existsSync(target)) return target;
  await mkdir(dir, { recursive: true });
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const cli = require.resolve('xslt3/xslt3.js');
  try {
    await run(process.execPath, [cli, `-xsl:${file}`, `-export:${tmp}`, '-nogo', '-relocate:on'], { maxBuffer: 16 << 20 });
  } catch (error) {
    const out = String((error as { stderr?: string; stdout?: string }).stderr || (error as { stdout?: string }).stdout || error);
    const m = /on line (\d+) in ([^\s:]+)/.exec(out);
    throw new StylesheetError(
      `cannot compile ${path.relative(process.cwd(), file)}: ${out.trim().split('\n').slice(0, 4).join(' ')}`,
      m ? path.join(path.dirname(file), m[2]!) : file,
      m ? Number(m[1]) : undefined,
      { cause: error },
    );
  }
  await rename(tmp, target);
  return target;
}

/** Loads a compiled SEF as JSON (for `stylesheetInternal`). */
export async function loadSef(entry: string): Promise<unknown> {
  return JSON.parse(await readFile(await compiledStylesheet(entry), 'utf8')) as unknown;
}

