/**
 * Streams a document through saxes and validates it against a compiled
 * RELAX NG schema with derivatives. After an error the validator recovers
 * (skips the offending attribute or element, or pretends missing content was
 * there) so that every error of a file is reported in one run.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { VFileMessage } from 'vfile-message';
import { diagnostic, type Severity } from '../../diagnostics.js';
import { attributeValuePatterns, Deriver, expectedElements, requiredAttributes, type Attr } from './derivatives.js';
import type { NameClass, Pattern } from './patterns.js';
import type { CompiledSchema } from './schema.js';

const TEI_NS = 'http://www.tei-c.org/ns/1.0';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const WS = /^[ \t\r\n]*$/;
const MAX_EXPECTED = 40;

export interface RngOptions {
  /** Severity of attributes in foreign namespaces (xsi:schemaLocation…) the schema does not allow. */
  foreignAttributeSeverity?: Severity;
  /** Stop reporting after this many messages per file. */
  maxMessages?: number;
}

const derivers = new WeakMap<CompiledSchema, Deriver>();

function deriverFor(schema: CompiledSchema): Deriver {
  let d = derivers.get(schema);
  if (!d) {
    d = new Deriver(schema.builder);
    derivers.set(schema, d);
  }
  return d;
}

export function displayName(ns: string, local: string): string {
  if (ns === TEI_NS || ns === '') return local;
  if (ns === XML_NS) return `xml:${local}`;
  if (ns === XSI_NS) return `xsi:${local}`;
  return `{${ns}}${local}`;
}

function describeNameClass(nc: NameClass, out: string[]): void {
  switch (nc.kind) {
    case 'name':
      out.push(displayName(nc.ns, nc.local));
      break;
    case 'anyName':
      out.push('any element');
      break;
    case 'nsName':
      out.push(`any name in ${nc.ns || 'no namespace'}`);
      break;
    case 'choice':
      describeNameClass(nc.a, out);
      describeNameClass(nc.b, out);
  }
}

function describeValues(ps: Pattern[], d: Deriver): string[] {
  const out = new Set<string>();
  const walk = (p: Pattern) => {
    switch (p.kind) {
      case 'choice':
      case 'group':
      case 'interleave':
        walk(p.a);
        walk(p.b);
        break;
      case 'oneOrMore':
        walk(p.a);
        break;
      case 'list':
        out.add('a space-separated list of:');
        walk(p.a);
        break;
      case 'value':
        out.add(`"${p.value}"`);
        break;
      case 'data':
        out.add(p.dt.describe());
        break;
      case 'text':
        out.add('text');
        break;
      default:
    }
  };
  ps.forEach(walk);
  void d;
  return [...out];
}

interface Frame {
  name: string;
  /** Parent state to restore at the end tag when this element was not allowed. */
  saved?: Pattern;
  /** Ignore everything inside (unknown element with no definition). */
  skip?: boolean;
  hasContent: boolean;
  line: number;
  column: number;
}

/** Validates one document's text; returns its messages (positions are 1-based). */
export function validateRng(text: string, file: string, schema: CompiledSchema, options: RngOptions = {}): VFileMessage[] {
  const d = deriverFor(schema);
  const b = schema.builder;
  const messages: VFileMessage[] = [];
  const max = options.maxMessages ?? 500;
  const foreignSeverity = options.foreignAttributeSeverity ?? 'warning';
  const lines = lineStarts(text);
  let p: Pattern = schema.start;
  const stack: Frame[] = [];
  let pendingText = '';
  let textLine = 1;
  let textColumn = 1;
  let textRaw = '';
  let markLine = 1;
  let markColumn = 1;
  const mark = () => {
    markLine = parser.line;
    markColumn = parser.column;
  };
  let skipDepth = 0;
  let tagLine = 1;
  let tagColumn = 1;
  const attrPositions: { name: string; line: number; column: number }[] = [];
  const attrAt = (qn: string) => {
    const raw = attrPositions.find((x) => x.name === qn);
    return raw ? locateAttribute(text, lines, raw.line, raw.column, qn, tagLine, tagColumn) : { line: tagLine, column: tagColumn };
  };

  const report = (message: string, line: number, column: number, ruleId: string, expected?: string[], severity: Severity = 'error') => {
    if (messages.length >= max) return;
    const exp = expected?.length ? expected.slice(0, MAX_EXPECTED).concat(expected.length > MAX_EXPECTED ? [`… ${expected.length - MAX_EXPECTED} more`] : []) : undefined;
    messages.push(diagnostic(message, { file, line, column, ruleId, severity, source: 'schema', expected: exp }));
    if (messages.length === max) {
      messages.push(diagnostic(`more than ${max} schema errors; the rest of the file was not reported`, { file, line, column, ruleId: 'schema-too-many-errors', source: 'schema', severity: 'warning' }));
    }
  };

  const expectedHere = (state: Pattern, withEnd: boolean): string[] => {
    const names: string[] = [];
    for (const nc of expectedElements(state)) describeNameClass(nc, names);
    const out = [...new Set(names)].sort().map((n) => `<${n}>`);
    if (withEnd && d.endTag(state).kind !== 'notAllowed') out.unshift('end of element');
    if (d.acceptsSomeText(state) && !names.length) out.push('text');
    return out;
  };

  const flushText = () => {
    if (!pendingText) return;
    const s = pendingText;
    pendingText = '';
    if (skipDepth) return;
    const at = () => textStart(textRaw, textLine, textColumn);
    const top = stack[stack.length - 1];
    if (!top) return;
    top.hasContent = true;
    const next = d.text(p, s);
    if (WS.test(s)) {
      p = b.choice(p, next);
      return;
    }
    if (next.kind === 'notAllowed') {
      if (d.acceptsSomeText(p)) {
        const expected = describeValues(valueHeads(p), d);
        const { line, column } = at();
        report(`invalid content "${truncate(s)}" in <${top.name}>`, line, column, 'schema-text-value', expected);
      } else {
        const { line, column } = at();
        report(`text not allowed in <${top.name}>`, line, column, 'schema-text-not-allowed', expectedHere(p, false));
      }
      return; // keep the state: the text is ignored
    }
    p = next;
  };

  const parser = new SaxesParser({ xmlns: true, position: true, fileName: file });
  parser.on('error', () => {
    /* well-formedness is layer 1 (load.ts); stop quietly */
    throw new StopParse();
  });
  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.column - [...tag.name].length - 1);
    attrPositions.length = 0;
  });
  parser.on('attribute', (a) => {
    attrPositions.push({ name: a.name, line: parser.line, column: parser.column });
  });
  parser.on('text', (t) => {
    if (!pendingText) {
      textLine = markLine;
      textColumn = markColumn;
      textRaw = t;
    }
    pendingText += t;
  });
  parser.on('cdata', (t) => {
    if (!pendingText) {
      textLine = parser.line;
      textColumn = parser.column;
      textRaw = '';
    }
    pendingText += t;
  });
  parser.on('comment', () => mark());
  parser.on('processinginstruction', () => mark());
  parser.on('opentag', (tag: SaxesTagNS) => {
    flushText();
    mark();
    const name = displayName(tag.uri, tag.local);
    if (skipDepth) {
      skipDepth++;
      return;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.hasContent = true;
    let q = d.startTagOpen(p, tag.uri, tag.local);
    const frame: Frame = { name, hasContent: false, line: tagLine, column: tagColumn };
    if (q.kind === 'notAllowed') {
      const where = parent ? `in <${parent.name}>` : 'as the root element';
      report(`element <${name}> not allowed ${where}`, tagLine, tagColumn, parent ? 'schema-element-not-allowed' : 'schema-root', expectedHere(p, !!parent));
      const defs = schema.elementsNamed(tag.uri, tag.local);
      frame.saved = p;
      if (!defs.length) {
        skipDepth = 1;
        stack.push(frame);
        return;
      }
      q = b.after(defs.map((e) => e.content()).reduce((x, y) => b.choice(x, y)), b.empty);
    }
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || (a.prefix === '' && a.local === 'xmlns')) continue;
      const att: Attr = { ns: a.uri, local: a.local, value: a.value };
      const next = d.att(q, att);
      if (next.kind !== 'notAllowed') {
        q = next;
        continue;
      }
      const pos = attrAt(a.name);
      const aname = displayName(a.uri, a.local);
      const byName = d.att(q, att, true);
      if (byName.kind !== 'notAllowed') {
        const expected = describeValues(attributeValuePatterns(q, a.uri, a.local), d);
        report(`invalid value "${truncate(a.value)}" for attribute @${aname} on <${name}>`, pos.line, pos.column, 'schema-attribute-value', expected);
        q = byName;
      } else if (a.uri && a.uri !== TEI_NS && a.uri !== XML_NS) {
        report(`attribute @${aname} (namespace ${a.uri}) is not allowed by the schema on <${name}>`, pos.line, pos.column, 'schema-foreign-attribute', undefined, foreignSeverity);
      } else {
        report(`attribute @${aname} not allowed on <${name}>`, pos.line, pos.column, 'schema-attribute-not-allowed');
      }
    }
    let closed = d.startTagClose(q);
    if (closed.kind === 'notAllowed') {
      const names: string[] = [];
      for (const nc of requiredAttributes(q)) describeNameClass(nc, names);
      const list = [...new Set(names)].map((n) => `@${n}`);
      report(`<${name}> is missing required attribute${list.length === 1 ? '' : 's'}${list.length ? ' ' + list.join(', ') : ''}`, tagLine, tagColumn, 'schema-missing-attribute', list);
      closed = d.startTagClose(q, true);
    }
    p = closed;
    stack.push(frame);
  });
  parser.on('closetag', (tag) => {
    flushText();
    mark();
    if (skipDepth > 1) {
      skipDepth--;
      return;
    }
    const frame = stack.pop()!;
    if (skipDepth === 1) {
      skipDepth = 0;
      p = frame.saved!;
      return;
    }
    if (!frame.hasContent) p = b.choice(p, d.text(p, ''));
    let next = d.endTag(p);
    if (next.kind === 'notAllowed') {
      const { line, column } = tag.isSelfClosing ? frame : endTagPosition(text, lines, parser.line, parser.column);
      report(`<${frame.name}> is incomplete: content ends too early`, line, column, 'schema-incomplete-content', expectedHere(p, false));
      next = d.endTag(p, true);
    }
    p = frame.saved ?? next;
  });
  try {
    const CHUNK = 1 << 16;
    for (let i = 0; i < text.length; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
    parser.close();
  } catch (error) {
    if (!(error instanceof StopParse)) throw error;
  }
  return messages;
}

class StopParse extends Error {}

/** Where a text chunk's first non-blank character is, given where the chunk starts. */
function textStart(t: string, line: number, column: number): { line: number; column: number } {
  const first = Math.max(0, t.search(/\S/));
  const before = t.slice(0, first);
  const breaks = before.split('\n').length - 1;
  if (!breaks) return { line, column: column + [...before].length };
  return { line: line + breaks, column: [...before.slice(before.lastIndexOf('\n') + 1)].length + 1 };
}

function valueHeads(p: Pattern): Pattern[] {
  // The heads of `after` patterns are the content models in force.
  const out: Pattern[] = [];
  const walk = (q: Pattern) => {
    if (q.kind === 'choice') {
      walk(q.a);
      walk(q.b);
    } else if (q.kind === 'after') out.push(q.a);
    else out.push(q);
  };
  walk(p);
  return out;
}

function truncate(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 40 ? t.slice(0, 40) + '…' : t;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function lineText(text: string, lines: number[], line: number): string {
  const start = lines[line - 1] ?? 0;
  const end = lines[line] ?? text.length;
  return text.slice(start, end);
}

/** Code-point column → UTF-16 index in a line. */
function cpToIndex(s: string, col: number): number {
  if (!/[\uD800-\uDFFF]/.test(s)) return col;
  let i = 0;
  let c = 0;
  while (i < s.length && c < col) {
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    c++;
  }
  return i;
}

function indexToCp(s: string, idx: number): number {
  return [...s.slice(0, idx)].length;
}

/** Finds an attribute's name before the current parser position (just after its value). */
function locateAttribute(text: string, lines: number[], line: number, column: number, name: string, tagLine: number, tagColumn: number): { line: number; column: number } {
  for (let l = line; l >= tagLine && l >= line - 5; l--) {
    const s = lineText(text, lines, l);
    const limit = l === line ? cpToIndex(s, column) : s.length;
    const re = new RegExp(`(^|\\s)${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\s*=`, 'g');
    let last = -1;
    for (let m = re.exec(s); m && m.index < limit; m = re.exec(s)) last = m.index + m[1]!.length;
    if (last >= 0) return { line: l, column: indexToCp(s, last) + 1 };
  }
  return { line: tagLine, column: tagColumn };
}

/** Position of the `</` of the end tag just read. */
function endTagPosition(text: string, lines: number[], line: number, column: number): { line: number; column: number } {
  const s = lineText(text, lines, line);
  const idx = s.lastIndexOf('</', cpToIndex(s, column));
  return idx >= 0 ? { line, column: indexToCp(s, idx) + 1 } : { line, column };
}
