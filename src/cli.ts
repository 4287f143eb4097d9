#!/usr/bin/env node
/** Command line: argv → options → library calls; exit codes; nothing else. */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, FORMATS, type FormatName } from './config.js';
import { formatLine } from './diagnostics.js';
import { oneShotHeap } from './memory.js';
import { jobsOf } from './workers.js';
import type { BuildOptions, BuildResult } from './pipeline.js';
import { PACKAGE_ROOT } from './xslt/sef.js';
import path from 'node:path';

const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return n;
}

function parseFormats(v: string): FormatName[] {
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) if (!(FORMATS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown format "${f}" (known: ${FORMATS.join(', ')})`);
  return list as FormatName[];
}

function parseLayers(v: string): string[] {
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const known = ['schema', 'rules', 'coherence'];
  for (const l of list) if (!known.includes(l)) throw new InvalidArgumentError(`unknown layer "${l}" (known: ${known.join(', ')})`);
  return list;
}

export function program(): Command {
  const cli = new Command('tei-edition')
    .description('Build a scholarly edition (web, text, citations, print, exchange) from a TEI P5 corpus.')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride();

  cli
    .command('build')
    .description('validate and build the edition')
    .option('--corpus <dir>', 'corpus folder', 'tei')
    .option('--out <dir>', 'output folder', 'build')
    .option('--jobs <n>', 'worker threads (default: one per core)', parseJobs)
    .option('--only <formats>', `comma-separated formats (${FORMATS.join(',')})`, parseFormats)
    .option('--no-validate', 'skip schema and rule validation')
    .option('--split <xpath>', "make each element the XPath selects a document of its own (tei prefix bound), e.g. \"//tei:div[@type='document']\"")
    .option('--quiet', 'print errors only', false)
    .option('--no-cache', 'ignore results of earlier builds (full build)')
    .option('--watch', 'rebuild whenever a corpus file changes', false)
    .action(async (opts: { corpus: string; out: string; jobs?: number; only?: FormatName[]; validate: boolean; quiet: boolean; split?: string; cache: boolean; watch: boolean }) => {
      const tty = process.stderr.isTTY && !process.env.CI && !opts.quiet;
      const options: BuildOptions = {
        corpus: opts.corpus, out: opts.out, jobs: opts.jobs, only: opts.only, validate: opts.validate, cache: opts.cache,
        ...(opts.split ? { config: { split: opts.split } } : {}),
        onProgress: tty ? (d, t) => process.stderr.write(`\r  transforming ${d}/${t} documents…`) : undefined,
      };
      // A one-shot build on worker threads keeps its heaps close to what they hold, and its cores for
      // the workers (src/memory.ts); a watcher does neither.
      if (!opts.watch) oneShotHeap(jobsOf(opts.jobs));
      // Loaded here, not at start-up: the pipeline brings SaxonJS, which other commands (validate) do not need.
      const { build } = await import('./pipeline.js');
      if (opts.watch) {
        const { watchBuild } = await import('./watch.js');
        const watcher = watchBuild(options, (r) => {
          if (tty) process.stderr.write('\r\x1b[K');
          if (r.error) process.stderr.write(`tei-edition: ${(r.error as Error).message ?? r.error}\n`);
          else printBuild(r.result!, opts.quiet);
          process.stdout.write(`  watching ${opts.corpus} (Ctrl-C to stop)\n`);
        });
        stopOnSignal(() => watcher.close());
        await new Promise<never>(() => undefined);
      }
      const result = await build(options);
      if (tty) process.stderr.write('\r\x1b[K');
      printBuild(result, opts.quiet);
      process.exitCode = result.errors ? 1 : 0;
    });

  function printBuild(result: BuildResult, quiet: boolean): void {
    for (const m of result.messages) {
      if (quiet && m.fatal !== true) continue;
      process.stdout.write(formatLine(m) + '\n');
    }
    const secs = (result.ms / 1000).toFixed(1);
    const mark = result.errors ? '✗' : '✓';
    const cached = result.sources - result.rebuilt.length;
    process.stdout.write(
      `${mark} ${result.documents} documents → ${result.files} files in ${secs} s, ${result.errors} error${result.errors === 1 ? '' : 's'}, ${result.warnings} warning${result.warnings === 1 ? '' : 's'}` +
        (result.failed ? ` (${result.failed} document${result.failed === 1 ? '' : 's'} not built)` : '') +
        (cached > 0 ? `; ${result.rebuilt.length} transformed, ${cached} from the cache` : '') + '\n',
    );
    if (cached > 0 && result.rebuilt.length && result.rebuilt.length <= 10) process.stdout.write(`  rebuilt: ${result.rebuilt.join(', ')}\n`);
  }

  cli
    .command('validate')
    .description('check well-formedness, schema, project rules and corpus coherence; print every problem')
    .argument('[paths...]', 'files or folders (default: tei/)')
    .option('--corpus <dir>', 'corpus root (for register ids and edition.config.json)')
    .option('--schema <file>', 'RELAX NG schema (.rng); default: the edition’s own TEI customisation')
    .option('--rules <file...>', 'extra ISO Schematron rules (.sch)')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'github']).default('text'))
    .option('--strict', 'treat warnings as errors', false)
    .option('--only <layers>', 'comma-separated layers besides well-formedness (schema,rules,coherence); default: all', parseLayers)
    .option('--jobs <n>', 'worker threads for many files (default: one per core)', parseJobs)
    .action(async (paths: string[], opts: { corpus?: string; schema?: string; rules?: string[]; format: 'text' | 'json' | 'github'; strict: boolean; only?: string[]; jobs?: number }) => {
      const modulePath = './validate/command.js';
      const { validateCommand } = (await import(modulePath)) as {
        validateCommand: (p: string[], f: typeof opts) => Promise<number>;
      };
      process.exitCode = await validateCommand(paths.length ? paths : ['tei'], opts);
    });

  cli
    .command('cite')
    .description('print a citation of a document or of one paragraph (DOC#PASSAGE: passage id or ¶ number)')
    .argument('<doc>', 'document id, optionally with #passage (e.g. letter-1950-08-27#3)')
    .addOption(new Option('--style <style>', 'citation style or export format').choices(['chicago', 'chicago-short', 'chicago-bib', 'mla', 'apa', 'bibtex', 'biblatex', 'ris', 'csl-json']).default('chicago'))
    .option('--corpus <dir>', 'corpus folder', 'tei')
    .action(async (target: string, opts: { style: string; corpus: string }) => {
      const { citeCommand } = await import('./cite/command.js');
      process.exitCode = await citeCommand(target, opts);
    });

  cli
    .command('serve')
    .description('build the edition, serve it on 127.0.0.1 and rebuild and reload when the corpus, stylesheets or config change')
    .option('--corpus <dir>', 'corpus folder', 'tei')
    .option('--out <dir>', 'output folder', 'build')
    .option('--port <n>', 'port on 127.0.0.1', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
      return n;
    }, 8080)
    .option('--no-validate', 'skip schema and rule validation')
    .action(async (opts: { corpus: string; out: string; port: number; validate: boolean }) => {
      const { serve } = await import('./serve.js');
      const served = await serve({ corpus: opts.corpus, out: opts.out, port: opts.port, validate: opts.validate });
      stopOnSignal(() => served.stop());
    });

  return cli;
}

/**
 * Ctrl-C (SIGINT) or SIGTERM stops a watcher cleanly: the build running, and the bookkeeping that
 * records the last one for the next start (src/pipeline.ts BuildSession.settling), are finished
 * first, so that the next start carries the output over. A second signal exits at once.
 */
function stopOnSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (signal === 'SIGINT' ? 2 : 15);
    if (stopping) process.exit(code);
    stopping = true;
    void stop().finally(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`tei-edition: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const code = (error as { code?: string }).code;
    if (code && /^E[A-Z]+$/.test(code) && (error as { syscall?: string }).syscall) {
      // A file-system failure (full disk, file too large, permission): the previous output is intact.
      const e = error as { path?: string; message: string };
      process.stderr.write(`tei-edition: could not write the output (${code}${e.path ? `: ${e.path}` : ''}); the previous build was left as it was\n`);
      if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`tei-edition: internal error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 2;
  }
}

function invokedDirectly(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
if (invokedDirectly()) void main();
