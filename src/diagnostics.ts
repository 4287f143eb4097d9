/**
 * Diagnostics: every problem the pipeline reports is a `VFileMessage` (from
 * vfile) carrying file, line, column, rule id and severity. This module only
 * creates and formats them; stages decide what to report.
 */
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';

export type Severity = 'error' | 'warning' | 'info';

export interface DiagnosticInit {
  file: string;
  line?: number;
  column?: number;
  ruleId: string;
  severity?: Severity;
  /** Where the rule comes from: `tei-edition`, `schema`, `schematron`, `xslt`… */
  source?: string;
  expected?: string[];
  note?: string;
  url?: string;
  cause?: unknown;
}

/** A message with its severity; `fatal: true` is an error, `false` a warning, `undefined` info. */
export function diagnostic(message: string, init: DiagnosticInit): VFileMessage {
  const place = init.line ? { line: init.line, column: init.column ?? 1 } : undefined;
  const msg = new VFileMessage(message, {
    place,
    ruleId: init.ruleId,
    source: init.source ?? 'tei-edition',
    cause: init.cause instanceof Error ? init.cause : undefined,
  });
  msg.file = init.file;
  const severity = init.severity ?? 'error';
  msg.fatal = severity === 'error' ? true : severity === 'warning' ? false : undefined;
  if (init.expected) msg.expected = init.expected;
  if (init.note) msg.note = init.note;
  if (init.url) msg.url = init.url;
  return msg;
}

export function severityOf(msg: VFileMessage): Severity {
  return msg.fatal === true ? 'error' : msg.fatal === false ? 'warning' : 'info';
}

export function isError(msg: VFileMessage): boolean {
  return msg.fatal === true;
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  ruleId: string;
  source: string;
  message: string;
  expected?: string[];
  note?: string;
}

export function toJson(msg: VFileMessage): JsonDiagnostic {
  const out: JsonDiagnostic = {
    file: msg.file ?? '',
    line: msg.line ?? 1,
    column: msg.column ?? 1,
    severity: severityOf(msg),
    ruleId: msg.ruleId ?? 'unknown',
    source: msg.source ?? 'tei-edition',
    message: msg.reason,
  };
  if (msg.expected?.length) out.expected = msg.expected;
  if (msg.note) out.note = msg.note;
  return out;
}

/** Stable order: file, line, column, rule. */
export function sortDiagnostics(list: VFileMessage[]): VFileMessage[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      (a.ruleId ?? '').localeCompare(b.ruleId ?? ''),
  );
}

/** One line: `file:line:col  severity  rule-id  message`. */
export function formatLine(msg: VFileMessage): string {
  const d = toJson(msg);
  let text = `${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.ruleId}  ${d.message}`;
  if (d.expected?.length) text += ` (expected ${d.expected.join(', ')})`;
  return text;
}

/** Human format with a code frame and a caret under the column, like tsc/rustc. */
export function formatWithFrame(msg: VFileMessage, sourceText?: string | readonly string[]): string {
  const head = formatLine(msg);
  const lines: string[] = [head];
  if (sourceText !== undefined && msg.line) {
    // The source's lines may be given already split (splitSourceLines), for many messages on one file.
    const all = typeof sourceText === 'string' ? splitSourceLines(sourceText) : sourceText;
    const n = msg.line;
    const width = String(Math.min(all.length, n + 1)).length;
    for (let i = Math.max(1, n - 1); i <= Math.min(all.length, n + 1); i++) {
      const text = (all[i - 1] ?? '').replace(/\t/g, ' ');
      const shown = text.length > 160 ? text.slice(0, 160) + '…' : text;
      lines.push(`${i === n ? '>' : ' '} ${String(i).padStart(width)} | ${shown}`);
      if (i === n) {
        const col = Math.max(1, Math.min(msg.column ?? 1, 161));
        lines.push(`  ${' '.repeat(width)} | ${' '.repeat(col - 1)}^`);
      }
    }
  }
  if (msg.note) lines.push(`  note: ${msg.note}`);
  return lines.join('\n');
}

/** A source text's lines, as formatWithFrame counts them. */
export function splitSourceLines(sourceText: string): string[] {
  return sourceText.split(/\r\n|\r|\n/);
}

/** GitHub Actions workflow command. */
export function formatGithub(msg: VFileMessage): string {
  const d = toJson(msg);
  const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escProp = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return `::${kind} file=${escProp(d.file)},line=${d.line},col=${d.column},title=${escProp(d.ruleId)}::${esc(d.message)}`;
}

export { VFile, VFileMessage };
