/**
 * `tei-edition validate [PATH…] [--schema FILE.rng] [--rules FILE.sch]
 * [--format text|json|github] [--strict] [--only schema,rules,coherence]
 * [--jobs N]`: prints the report on stdout and
 * returns the exit code: 0 no error, 1 at least one error, 2 usage or
 * internal error (schema or rules that cannot be used).
 */
import path from 'node:path';
import { formatGithub, formatWithFrame, isError, severityOf, toJson } from '../diagnostics.js';
import { loadConfig } from '../config.js';
import { validatePaths } from './index.js';

export async function validateCommand(
  paths: string[],
  flags: { schema?: string; rules?: string[]; format?: 'text' | 'json' | 'github'; strict?: boolean; corpus?: string; only?: string[]; jobs?: number },
): Promise<number> {
  const format = flags.format ?? 'text';
  if (!['text', 'json', 'github'].includes(format)) {
    process.stderr.write(`tei-edition validate: unknown --format "${format}" (use text, json or github)\n`);
    return 2;
  }
  const targets = paths.length ? paths : ['tei'];
  const corpusDir = path.resolve(flags.corpus ?? (paths.length === 1 ? guessCorpus(paths[0]!) : 'tei'));
  try {
    const config = await loadConfig(corpusDir);
    const started = Date.now();
    const { messages, files, sources } = await validatePaths(targets, {
      corpusDir,
      schema: flags.schema ? path.resolve(flags.schema) : config.schema,
      rules: [...(config.rules ?? []), ...(flags.rules ?? []).map((r) => path.resolve(r))],
      strict: flags.strict ?? config.strict,
      maxFileSize: config.maxFileSize,
      maxDepth: config.maxDepth,
      jobs: flags.jobs,
      layers: flags.only ? { schema: flags.only.includes('schema'), rules: flags.only.includes('rules'), coherence: flags.only.includes('coherence') } : undefined,
    });
    const errors = messages.filter(isError).length;
    const warnings = messages.filter((m) => severityOf(m) === 'warning').length;
    if (format === 'json') process.stdout.write(JSON.stringify(messages.map(toJson), null, 2) + '\n');
    else if (format === 'github') for (const m of messages) process.stdout.write(formatGithub(m) + '\n');
    else {
      // The lines the code frames show are taken out of each file once; the report is written in one go.
      const wanted = new Map<string, Set<number>>();
      for (const m of messages) {
        if (!m.line || !sources.has(m.file ?? '')) continue;
        let set = wanted.get(m.file ?? '');
        if (!set) wanted.set(m.file ?? '', (set = new Set()));
        set.add(m.line - 1).add(m.line).add(m.line + 1);
      }
      const lines = new Map<string, string[]>();
      for (const [file, set] of wanted) lines.set(file, frameLines(sources.get(file)!, set));
      const out: string[] = [];
      for (const m of messages) out.push(formatWithFrame(m, lines.get(m.file ?? '') ?? sources.get(m.file ?? '')) + '\n\n');
      process.stdout.write(out.join(''));
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${errors ? '✗' : '✓'} ${files} file${files === 1 ? '' : 's'} checked in ${secs} s: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
    }
    return errors ? 1 : 0;
  } catch (error) {
    const e = error as Error & { file?: string; line?: number };
    process.stderr.write(`tei-edition validate: ${e.file ? `${e.file}${e.line ? ':' + e.line : ''}: ` : ''}${e.message}\n`);
    return 2;
  }
}

/**
 * A text's lines as splitSourceLines counts them (`\r\n`, `\r` or `\n` end a line),
 * with only the `wanted` ones (1-based) filled in: all a code frame reads.
 */
export function frameLines(text: string, wanted: Set<number>): string[] {
  const out: string[] = [];
  let line = 1;
  let start = 0;
  if (!text.includes('\r')) {
    // Line feeds only (the usual case): found by indexOf, not one character at a time.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      if (wanted.has(line)) out[line - 1] = text.slice(start, i);
      line++;
      start = i + 1;
    }
    if (wanted.has(line)) out[line - 1] = text.slice(start);
    out.length = line;
    return out;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (wanted.has(line)) out[line - 1] = text.slice(start, i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    line++;
    start = i + 1;
  }
  if (wanted.has(line)) out[line - 1] = text.slice(start);
  out.length = line;
  return out;
}

/** A single directory argument is the corpus root; a file's directory otherwise. */
function guessCorpus(p: string): string {
  return p.toLowerCase().endsWith('.xml') ? path.dirname(p) : p;
}
