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
import type { NameClass, Pattern, PatternBuilder } from './patterns.js';
import type { CompiledSchema } from './schema.js';
import { isBlank } from './datatypes.js';

const TEI_NS = 'http://www.tei-c.org/ns/1.0';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const MAX_EXPECTED = 40;

/** At most MAX_EXPECTED entries of an "expected" list, then how many more there are. */
function limitExpected(list: string[]): string[] {
  return list.length > MAX_EXPECTED ? list.slice(0, MAX_EXPECTED).concat([`… ${list.length - MAX_EXPECTED} more`]) : list;
}

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

/** What a saxes parser (xmlns and position on) tells the validator; see validateRng. */
export interface SaxPosition {
  line: number;
  column: number;
}

/** Length in code points (saxes columns count code points). */
function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const h = s.charCodeAt(i - 1);
      if (h >= 0xd800 && h <= 0xdbff) n--;
    }
  }
  return n;
}

/**
 * Validation of one document, fed with the events of a saxes parser
 * (`xmlns: true, position: true`) over `text`: by validateRng's own parser,
 * or by the load stage's well-formedness pass (one parse for both, see
 * stages/load.ts `ParseObserver`). `messages` holds the result.
 */
export class RngSession {
  readonly messages: VFileMessage[] = [];
  private readonly d: Deriver;
  private readonly b: PatternBuilder;
  private readonly max: number;
  private readonly foreignSeverity: Severity;
  private text = '';
  private lines?: number[];
  private pos: SaxPosition = { line: 1, column: 0 };
  private p: Pattern;
  private readonly stack: Frame[] = [];
  private pendingText = '';
  private textLine = 1;
  private textColumn = 1;
  private textRaw = '';
  private markLine = 1;
  private markColumn = 1;
  private skipDepth = 0;
  private tagLine = 1;
  private tagColumn = 1;
  private attrCount = 0;
  private readonly attrNames: string[] = [];
  private readonly attrLines: number[] = [];
  private readonly attrColumns: number[] = [];

  constructor(private readonly schema: CompiledSchema, private readonly file: string, options: RngOptions = {}) {
    this.d = deriverFor(schema);
    this.b = schema.builder;
    this.max = options.maxMessages ?? 500;
    this.foreignSeverity = options.foreignAttributeSeverity ?? 'warning';
    this.p = schema.start;
  }

  /**
   * Called before parsing: the text the parser reads, and the parser (for
   * positions). Called again when the text is parsed again (the load stage's
   * fast tokenizer gave up): what the session saw before is forgotten.
   */
  begin(text: string, parser: SaxPosition): void {
    this.text = text;
    this.pos = parser;
    this.lines = undefined;
    this.messages.length = 0;
    this.stack.length = 0;
    this.p = this.schema.start;
    this.pendingText = '';
    this.textRaw = '';
    this.textLine = this.textColumn = this.markLine = this.markColumn = this.tagLine = this.tagColumn = 1;
    this.skipDepth = 0;
    this.attrCount = 0;
  }

  private lineStarts(): number[] {
    return (this.lines ??= lineStarts(this.text));
  }

  private mark(): void {
    this.markLine = this.pos.line;
    this.markColumn = this.pos.column;
  }

  private attrAt(qn: string): { line: number; column: number } {
    for (let i = 0; i < this.attrCount; i++) {
      if (this.attrNames[i] === qn) return locateAttribute(this.text, this.lineStarts(), this.attrLines[i]!, this.attrColumns[i]!, qn, this.tagLine, this.tagColumn);
    }
    return { line: this.tagLine, column: this.tagColumn };
  }

  /** `expected`: at most MAX_EXPECTED entries and a "… n more" (limitExpected); messages may share it. */
  private report(message: string, line: number, column: number, ruleId: string, expected?: string[], severity: Severity = 'error'): void {
    const messages = this.messages;
    const max = this.max;
    if (messages.length >= max) return;
    const exp = expected?.length ? expected : undefined;
    // A VFileMessage is an Error: its stack (discarded by VFileMessage) need not be captured.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      messages.push(diagnostic(message, { file: this.file, line, column, ruleId, severity, source: 'schema', expected: exp }));
      if (messages.length === max) {
        messages.push(diagnostic(`more than ${max} schema errors; the rest of the file was not reported`, { file: this.file, line, column, ruleId: 'schema-too-many-errors', source: 'schema', severity: 'warning' }));
      }
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  private expectedHere(state: Pattern, withEnd: boolean): string[] {
    const key = state.id * 2 + (withEnd ? 1 : 0);
    const memo = this.d.expectedMemo;
    let out = memo.get(key);
    if (!out) {
      const names: string[] = [];
      for (const nc of expectedElements(state)) describeNameClass(nc, names);
      out = [...new Set(names)].sort().map((n) => `<${n}>`);
      if (withEnd && this.d.endTag(state).kind !== 'notAllowed') out.unshift('end of element');
      if (this.d.acceptsSomeText(state) && !names.length) out.push('text');
      out = limitExpected(out);
      memo.set(key, out);
    }
    return out; // shared by the messages of every document (never changed)
  }

  private flushText(): void {
    if (!this.pendingText) return;
    const s = this.pendingText;
    this.pendingText = '';
    if (this.skipDepth) return;
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    top.hasContent = true;
    const d = this.d;
    const p = this.p;
    if (isBlank(s)) {
      this.p = d.whitespace(p, s);
      return;
    }
    const next = d.text(p, s);
    if (next.kind === 'notAllowed') {
      const { line, column } = textStart(this.textRaw, this.textLine, this.textColumn);
      if (d.acceptsSomeText(p)) {
        const expected = describeValues(valueHeads(p), d);
        this.report(`invalid content "${truncate(s)}" in <${top.name}>`, line, column, 'schema-text-value', limitExpected(expected));
      } else {
        this.report(`text not allowed in <${top.name}>`, line, column, 'schema-text-not-allowed', this.expectedHere(p, false));
      }
      return; // keep the state: the text is ignored
    }
    this.p = next;
  }

  opentagstart(tag: { name: string }): void {
    this.tagLine = this.pos.line;
    this.tagColumn = Math.max(1, this.pos.column - cpLength(tag.name) - 1);
    this.attrCount = 0;
  }

  attribute(a: { name: string }): void {
    const i = this.attrCount++;
    this.attrNames[i] = a.name;
    this.attrLines[i] = this.pos.line;
    this.attrColumns[i] = this.pos.column;
  }

  textNode(t: string): void {
    if (!this.pendingText) {
      this.textLine = this.markLine;
      this.textColumn = this.markColumn;
      this.textRaw = t;
    }
    this.pendingText += t;
  }

  cdata(t: string): void {
    if (!this.pendingText) {
      this.textLine = this.pos.line;
      this.textColumn = this.pos.column;
      this.textRaw = '';
    }
    this.pendingText += t;
  }

  comment(): void {
    this.mark();
  }

  processinginstruction(): void {
    this.mark();
  }

  opentag(tag: SaxesTagNS): void {
    this.flushText();
    this.mark();
    if (this.skipDepth) {
      this.skipDepth++;
      return;
    }
    const d = this.d;
    const stack = this.stack;
    const name = displayName(tag.uri, tag.local);
    const { tagLine, tagColumn } = this;
    const parent = stack[stack.length - 1];
    if (parent) parent.hasContent = true;
    let q = d.startTagOpen(this.p, tag.uri, tag.local);
    const frame: Frame = { name, saved: undefined, hasContent: false, line: tagLine, column: tagColumn }; // one shape
    if (q.kind === 'notAllowed') {
      const where = parent ? `in <${parent.name}>` : 'as the root element';
      this.report(`element <${name}> not allowed ${where}`, tagLine, tagColumn, parent ? 'schema-element-not-allowed' : 'schema-root', this.expectedHere(this.p, !!parent));
      frame.saved = this.p;
      const recovery = this.recovery(tag.uri, tag.local);
      if (!recovery) {
        this.skipDepth = 1;
        stack.push(frame);
        return;
      }
      q = recovery;
    }
    const attributes = tag.attributes;
    for (const key in attributes) {
      const a = attributes[key]!;
      if (a.prefix === 'xmlns' || (a.prefix === '' && a.local === 'xmlns')) continue;
      const att: Attr = a; // no copy: uri, local and value as the parser gives them
      const next = d.att(q, att);
      if (next.kind !== 'notAllowed') {
        q = next;
        continue;
      }
      const pos = this.attrAt(a.name);
      const aname = displayName(a.uri, a.local);
      const byName = d.att(q, att, true);
      if (byName.kind !== 'notAllowed') {
        const expected = describeValues(attributeValuePatterns(q, a.uri, a.local), d);
        this.report(`invalid value "${truncate(a.value)}" for attribute @${aname} on <${name}>`, pos.line, pos.column, 'schema-attribute-value', limitExpected(expected));
        q = byName;
      } else if (a.uri && a.uri !== TEI_NS && a.uri !== XML_NS) {
        this.report(`attribute @${aname} (namespace ${a.uri}) is not allowed by the schema on <${name}>`, pos.line, pos.column, 'schema-foreign-attribute', undefined, this.foreignSeverity);
      } else {
        this.report(`attribute @${aname} not allowed on <${name}>`, pos.line, pos.column, 'schema-attribute-not-allowed');
      }
    }
    let closed = d.startTagClose(q);
    if (closed.kind === 'notAllowed') {
      const names: string[] = [];
      for (const nc of requiredAttributes(q)) describeNameClass(nc, names);
      const list = [...new Set(names)].map((n) => `@${n}`);
      this.report(`<${name}> is missing required attribute${list.length === 1 ? '' : 's'}${list.length ? ' ' + list.join(', ') : ''}`, tagLine, tagColumn, 'schema-missing-attribute', limitExpected(list));
      closed = d.startTagClose(q, true);
    }
    this.p = closed;
    stack.push(frame);
  }

  /** State inside an element the content model did not allow: any of its definitions' contents. */
  private recovery(ns: string, local: string): Pattern | null {
    const key = ns + '\u0000' + local;
    const memo = this.d.recoveryMemo;
    let r = memo.get(key);
    if (r === undefined) {
      const defs = this.schema.elementsNamed(ns, local);
      const b = this.b;
      r = defs.length ? b.after(defs.map((e) => e.content()).reduce((x, y) => b.choice(x, y)), b.empty) : null;
      memo.set(key, r);
    }
    return r;
  }

  closetag(tag: SaxesTagNS): void {
    this.flushText();
    this.mark();
    if (this.skipDepth > 1) {
      this.skipDepth--;
      return;
    }
    const frame = this.stack.pop()!;
    if (this.skipDepth === 1) {
      this.skipDepth = 0;
      this.p = frame.saved!;
      return;
    }
    const d = this.d;
    let p = this.p;
    if (!frame.hasContent) p = d.emptyContent(p);
    let next = d.endTag(p);
    if (next.kind === 'notAllowed') {
      const { line, column } = tag.isSelfClosing ? frame : endTagPosition(this.text, this.lineStarts(), this.pos.line, this.pos.column);
      this.report(`<${frame.name}> is incomplete: content ends too early`, line, column, 'schema-incomplete-content', this.expectedHere(p, false));
      next = d.endTag(p, true);
    }
    this.p = frame.saved ?? next;
  }
}

/** Validates one document's text; returns its messages (positions are 1-based). */
export function validateRng(text: string, file: string, schema: CompiledSchema, options: RngOptions = {}): VFileMessage[] {
  const session = new RngSession(schema, file, options);
  const parser = new SaxesParser({ xmlns: true, position: true, fileName: file });
  session.begin(text, parser);
  parser.on('error', () => {
    /* well-formedness is layer 1 (load.ts); stop quietly */
    throw new StopParse();
  });
  parser.on('opentagstart', (tag) => session.opentagstart(tag));
  parser.on('attribute', (a) => session.attribute(a));
  parser.on('text', (t) => session.textNode(t));
  parser.on('cdata', (t) => session.cdata(t));
  parser.on('comment', () => session.comment());
  parser.on('processinginstruction', () => session.processinginstruction());
  parser.on('opentag', (tag) => session.opentag(tag));
  parser.on('closetag', (tag) => session.closetag(tag));
  try {
    const CHUNK = 1 << 16;
    for (let i = 0; i < text.length; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
    parser.close();
  } catch (error) {
    if (!(error instanceof StopParse)) throw error;
  }
  return session.messages;
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
