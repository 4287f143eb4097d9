/**
 * Stage "load": read a file's bytes, decode them, and check that they are a
 * safe, well-formed XML document. Never resolves external entities; internal
 * entities are expanded here, with a bound, so later parsers never see a DTD.
 */
import { readFile, stat } from 'node:fs/promises';
import { SaxesParser, type SaxesAttributeNS, type SaxesStartTagNS, type SaxesTagNS } from 'saxes';
import type { VFileMessage } from 'vfile-message';
import { diagnostic } from '../diagnostics.js';
import { FastXmlParser } from './xml-fast.js';

export interface LoadOptions {
  maxFileSize: number;
  maxDepth: number;
  /** Upper bound on the characters produced by entity expansion. */
  maxEntityExpansion?: number;
}

export interface LoadedDocument {
  /** Absolute path. */
  path: string;
  /** Path as shown in messages (relative to the corpus or the cwd). */
  displayPath: string;
  /** Decoded text, with any internal DTD removed and its entities expanded. */
  text: string;
  /** Decoded text as on disk (for code frames). */
  original: string;
  /** Namespace URI of the root element. */
  rootNamespace: string;
  rootName: string;
  messages: VFileMessage[];
  /** True when the document can be processed further. */
  ok: boolean;
}

/**
 * Another consumer of the well-formedness pass, so that one parse serves both
 * (`tei-edition validate` runs the RELAX NG validator on it). `begin` is called
 * once with the text being parsed (DTD removed, entities expanded) and the
 * parser (for `line` and `column`), then every event in document order, after
 * this stage's own checks; after a well-formedness error the document is not
 * `ok` and whatever the observer saw must be discarded. Errors thrown by the
 * observer propagate from `checkText` / `loadDocument`.
 */
export interface ParseObserver {
  begin(text: string, parser: { readonly line: number; readonly column: number }): void;
  opentagstart(tag: SaxesStartTagNS): void;
  attribute(attr: SaxesAttributeNS): void;
  textNode(text: string): void;
  cdata(text: string): void;
  comment(): void;
  processinginstruction(): void;
  opentag(tag: SaxesTagNS): void;
  closetag(tag: SaxesTagNS): void;
}

/** Wraps an error thrown by a ParseObserver so that it is not taken for a parse error. */
class ObserverFailure {
  constructor(readonly error: unknown) {}
}

const TEI_NS = 'http://www.tei-c.org/ns/1.0';
const DEFAULT_EXPANSION = 1_000_000;

/** Decodes bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM. */
export function decode(bytes: Uint8Array, file: string): { text: string; messages: VFileMessage[] } {
  const messages: VFileMessage[] = [];
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), messages };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), messages };
  }
  // UTF-16 without a byte order mark: "<" as 3C 00 (LE) or 00 3C (BE) (XML 1.0, appendix F).
  if (bytes.length >= 4 && (bytes[0] === 0x3c && bytes[1] === 0 || bytes[0] === 0 && bytes[1] === 0x3c)) {
    const le = bytes[0] === 0x3c;
    messages.push(
      diagnostic(`document is UTF-16 (${le ? 'little' : 'big'}-endian) without a byte order mark; read as UTF-16 (prefer UTF-8)`, {
        file, line: 1, column: 1, ruleId: 'xml-encoding', severity: 'warning',
      }),
    );
    return { text: new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes), messages };
  }
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  // Declared encoding other than UTF-8 / UTF-16?
  const head = new TextDecoder('latin1').decode(body.subarray(0, 200));
  const decl = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  const declared = decl?.[1]?.toLowerCase();
  if (declared && !['utf-8', 'utf8', 'utf-16', 'us-ascii', 'ascii'].includes(declared)) {
    try {
      const text = new TextDecoder(declared, { fatal: true }).decode(body);
      messages.push(
        diagnostic(`document is encoded as ${decl![1]}; it was converted to UTF-8 (prefer UTF-8 in the source)`, {
          file, line: 1, column: 1, ruleId: 'xml-encoding', severity: 'warning',
        }),
      );
      return { text, messages };
    } catch {
      messages.push(diagnostic(`unsupported or wrong encoding declaration "${decl![1]}"`, { file, line: 1, column: 1, ruleId: 'xml-encoding' }));
      return { text: '', messages };
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), messages };
  } catch {
    // Locate the first invalid byte.
    const { line, column } = locateBadUtf8(body);
    messages.push(
      diagnostic('file is not valid UTF-8 (binary data, or an encoding other than the one declared)', {
        file, line, column, ruleId: 'xml-encoding',
      }),
    );
    return { text: '', messages };
  }
}

function locateBadUtf8(bytes: Uint8Array): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const dec = new TextDecoder('utf-8', { fatal: true });
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
    if (len === 0) break;
    try {
      dec.decode(bytes.subarray(i, i + len));
    } catch {
      break;
    }
    if (b === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    i += len;
  }
  const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, i)).length + 1;
  return { line, column };
}

interface Doctype {
  start: number;
  end: number;
  entities: Map<string, string>;
  external: { name: string; offset: number }[];
  externalSubset: boolean;
}

/** Offset of a DOCTYPE in the prolog (after the XML declaration, comments, PIs), or -1. */
function prologDoctype(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<!DOCTYPE', i)) return /^<!DOCTYPE\b/.test(text.slice(i, i + 10)) ? i : -1;
    const close = text.startsWith('<?', i) ? '?>' : text.startsWith('<!--', i) ? '-->' : undefined;
    if (!close) return -1;
    const end = text.indexOf(close, i + 2);
    if (end < 0) return -1;
    i = end + close.length;
  }
}

/**
 * Finds the DOCTYPE declaration of the prolog and its internal entity declarations
 * (no external fetch, ever). A "<!DOCTYPE" anywhere else is either text (comment,
 * CDATA) or a well-formedness error that the parser reports.
 */
function scanDoctype(text: string): Doctype | undefined {
  const start = prologDoctype(text);
  if (start < 0) return undefined;
  // Find the end: skip the internal subset in brackets, honouring quotes.
  let i = start + 9;
  let depth = 0;
  let quote: string | undefined;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) break;
  }
  const end = i + 1;
  const decl = text.slice(start, end);
  const entities = new Map<string, string>();
  const external: { name: string; offset: number }[] = [];
  const beforeSubset = decl.split('[')[0] ?? decl;
  const externalSubset = /\b(SYSTEM|PUBLIC)\b/.test(beforeSubset);
  const re = /<!ENTITY\s+(%\s+)?([^\s]+)\s+(?:(SYSTEM|PUBLIC)\b[^>]*|"([^"]*)"|'([^']*)')\s*>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(decl))) {
    if (m[3] || m[1]) external.push({ name: m[2]!, offset: start + m.index });
    else entities.set(m[2]!, m[4] ?? m[5] ?? '');
  }
  return { start, end, entities, external, externalSubset };
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Expands internal general entities with a bound on the total output size. */
function expandEntities(
  text: string,
  entities: Map<string, string>,
  limit: number,
): { text: string } | { error: string } {
  let produced = 0;
  const cache = new Map<string, string>();
  const expand = (name: string, stack: string[]): string => {
    if (stack.includes(name)) throw new Error(`entity "${name}" refers to itself`);
    if (stack.length > 16) throw new Error('entities nested more than 16 deep');
    const cached = cache.get(name);
    if (cached !== undefined) {
      produced += cached.length;
      if (produced > limit) throw new Error(`entity expansion exceeds ${limit} characters (possible "billion laughs" attack)`);
      return cached;
    }
    const value = entities.get(name)!;
    const out = value.replace(/&([A-Za-z_][\w.-]*);/g, (all, n: string) => (entities.has(n) ? expand(n, [...stack, name]) : all));
    produced += out.length;
    if (produced > limit) throw new Error(`entity expansion exceeds ${limit} characters (possible "billion laughs" attack)`);
    cache.set(name, out);
    return out;
  };
  // Expand in content (markup allowed) and in attribute values (escaped, so a value
  // can never close its attribute); leave comments, CDATA sections and PIs alone.
  const ref = /&([A-Za-z_][\w.-]*);/g;
  const attr = (v: string) => v.replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<[^!?](?:[^>"']|"[^"]*"|'[^']*')*>|&([A-Za-z_][\w.-]*);/g;
  try {
    const out = text.replace(token, (all, n: string | undefined) => {
      if (n !== undefined) return entities.has(n) ? expand(n, []) : all;
      if (all.startsWith('<!') || all.startsWith('<?')) return all;
      return all.replace(ref, (a, m: string) => (entities.has(m) ? attr(expand(m, [])) : a));
    });
    return { text: out };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const STOP = new Error('stop parsing');
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const XSLT_NS = 'http://www.w3.org/1999/XSL/Transform';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
/** SVG and MathML: vocabularies a browser renders (and links from) inside any XML document. */
const BROWSER_NS = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1998/Math/MathML']);

/**
 * Content a browser could run when the TEI source is published (build/tei/*.xml is
 * served from the same site as the edition): HTML elements, scripts and event
 * handlers in SVG/MathML, javascript: links, XSLT "simplified stylesheet" attributes.
 */
function activeContent(tag: SaxesTagNS): string | undefined {
  const uri = tag.uri ?? '';
  const name = tag.local ?? tag.name;
  if (uri === XHTML_NS) return `HTML element <${tag.name}> is not allowed in a TEI document (a browser would run it in the published source)`;
  const foreign = uri !== TEI_NS && uri !== '';
  if (foreign && /^(script|handler|foreignObject|iframe|object|embed)$/i.test(name)) {
    return `element <${tag.name}> (${uri}) is not allowed in a TEI document (a browser would run it in the published source)`;
  }
  const browser = BROWSER_NS.has(uri);
  const attributes = tag.attributes;
  for (const key in attributes) {
    const a = attributes[key]!;
    if (a.uri === XSLT_NS) return `attribute ${a.name} in the XSLT namespace is not allowed in a TEI document`;
    if (foreign && a.uri === '' && /^on/i.test(a.local)) return `event-handler attribute ${a.name} on <${tag.name}> is not allowed in a TEI document`;
    // Links (XLink, or href in SVG/MathML) only: the scheme of other attribute values does not matter.
    if (a.uri !== XLINK_NS && !(browser && a.local === 'href')) continue;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(a.value.replace(/[\s\u0000-\u001f]/g, ''))?.[1]?.toLowerCase();
    if (scheme && !['http', 'https', 'mailto'].includes(scheme)) {
      return `attribute ${a.name}="${a.value.slice(0, 40)}" on <${tag.name}> links to an unsafe URL`;
    }
  }
  return undefined;
}

type SaxesParserNS = SaxesParser<{ xmlns: true; position: true; fileName: string }>;

interface Parsed {
  failed: boolean;
  rootSeen: boolean;
  rootName: string;
  rootNamespace: string;
  messages: VFileMessage[];
}

/**
 * The well-formedness pass over `text` with saxes, or with the fast tokenizer
 * (`fast`: undefined when it cannot take the text, or found something wrong,
 * so that saxes gives the messages and the positions of any error).
 */
function wellFormed(text: string, file: string, options: LoadOptions, observer: ParseObserver | undefined, fast: boolean): Parsed | undefined {
  const messages: VFileMessage[] = [];
  const result = { rootName: '', rootNamespace: '' };
  const fastParser = fast ? new FastXmlParser() : undefined;
  // The fast tokenizer gives the events saxes gives, and the same line and column at each.
  const parser = fastParser ? (fastParser as unknown as SaxesParserNS) : new SaxesParser({ xmlns: true, position: true, fileName: file });
  let depth = 0;
  let failed = false;
  let rootSeen = false;
  parser.on('error', (err) => {
    if (failed) return;
    failed = true;
    const reason = err.message.replace(/^[^:]*:\d+:\d+: /, '');
    messages.push(
      diagnostic(`not well-formed: ${reason}`, { file, line: parser.line, column: parser.column + 1, ruleId: 'xml-not-well-formed' }),
    );
  });
  parser.on('opentag', (tag) => {
    depth++;
    if (!rootSeen) {
      rootSeen = true;
      result.rootName = tag.local ?? tag.name;
      result.rootNamespace = tag.uri ?? '';
    }
    if (depth > options.maxDepth && !failed) {
      failed = true;
      messages.push(
        diagnostic(`elements nested more than ${options.maxDepth} levels deep`, {
          file, line: parser.line, column: parser.column + 1, ruleId: 'xml-too-deep',
        }),
      );
    }
    const active = failed ? undefined : activeContent(tag);
    if (active) {
      failed = true;
      messages.push(diagnostic(active, { file, line: parser.line, column: parser.column + 1, ruleId: 'xml-active-content' }));
    }
    // Stop at once: the rest of a hostile chunk is not worth parsing.
    if (failed) throw STOP;
    if (observer) {
      try {
        observer.opentag(tag);
      } catch (error) {
        throw new ObserverFailure(error);
      }
    }
  });
  parser.on('closetag', (tag) => {
    depth--;
    if (observer && !failed) {
      try {
        observer.closetag(tag);
      } catch (error) {
        throw new ObserverFailure(error);
      }
    }
  });
  if (observer && fastParser) {
    // The fast tokenizer reports no errors (it gives up instead): the observer is called directly.
    const o = observer;
    o.begin(text, fastParser);
    fastParser.on('opentagstart', (tag) => o.opentagstart(tag));
    fastParser.on('attribute', (a) => o.attribute(a));
    fastParser.on('text', (t) => o.textNode(t));
    fastParser.on('comment', () => o.comment());
    fastParser.on('processinginstruction', () => o.processinginstruction());
  } else if (observer) {
    observer.begin(text, parser);
    const o = observer;
    const guard = <A>(f: (a: A) => void) => (a: A) => {
      if (failed) return;
      try {
        f(a);
      } catch (error) {
        throw new ObserverFailure(error);
      }
    };
    parser.on('opentagstart', guard((tag) => o.opentagstart(tag)));
    parser.on('attribute', guard((a) => o.attribute(a)));
    parser.on('text', guard((t) => o.textNode(t)));
    parser.on('cdata', guard((t) => o.cdata(t)));
    parser.on('comment', guard(() => o.comment()));
    parser.on('processinginstruction', guard(() => o.processinginstruction()));
  }
  try {
    if (fastParser) {
      if (!fastParser.parse(text) || failed) return undefined;
    } else {
      // Feed in chunks so a failure stops early.
      const CHUNK = 1 << 16;
      for (let i = 0; i < text.length && !failed; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
      if (!failed) parser.close();
    }
  } catch (error) {
    if (error instanceof ObserverFailure) throw error.error;
    // A refusal (STOP), or an error of the observer or the tokenizer: saxes again (the observer's
    // error comes again from there, wrapped; a refusal gets saxes' positions).
    if (fast) return undefined;
    if (!failed) {
      failed = true;
      messages.push(
        diagnostic(`not well-formed: ${(error as Error).message}`, { file, line: parser.line, column: parser.column + 1, ruleId: 'xml-not-well-formed' }),
      );
    }
  }
  return { failed, rootSeen, rootName: result.rootName, rootNamespace: result.rootNamespace, messages };
}

/**
 * Checks well-formedness and structure of decoded text. Returns the text the
 * later stages must use (DTD removed, internal entities expanded).
 */
export function checkText(original: string, file: string, options: LoadOptions, observer?: ParseObserver): LoadedDocument {
  const messages: VFileMessage[] = [];
  const result: LoadedDocument = {
    path: file, displayPath: file, text: '', original, rootNamespace: '', rootName: '', messages, ok: false,
  };
  if (original.trim() === '') {
    messages.push(diagnostic('file is empty: expected an XML document with a <TEI> root', { file, line: 1, column: 1, ruleId: 'xml-empty' }));
    return result;
  }
  let text = original;
  const doctype = scanDoctype(original);
  if (doctype) {
    const at = position(original, doctype.start);
    for (const ext of doctype.external) {
      const p = position(original, ext.offset);
      messages.push(
        diagnostic(`external entity "${ext.name}" is not allowed: external entities are never read or fetched`, {
          file, ...p, ruleId: 'xml-external-entity',
        }),
      );
    }
    if (doctype.externalSubset) {
      messages.push(
        diagnostic('DOCTYPE with an external DTD: the DTD is not read; remove the DOCTYPE (TEI uses RELAX NG)', {
          file, ...at, ruleId: 'xml-doctype', severity: 'warning',
        }),
      );
    }
    if (doctype.external.length) return result;
    // Blank the DOCTYPE, keeping line breaks so positions stay right.
    const blank = original.slice(doctype.start, doctype.end).replace(/[^\n]/g, ' ');
    text = original.slice(0, doctype.start) + blank + original.slice(doctype.end);
    if (doctype.entities.size) {
      const expanded = expandEntities(text, doctype.entities, options.maxEntityExpansion ?? DEFAULT_EXPANSION);
      if ('error' in expanded) {
        messages.push(diagnostic(expanded.error, { file, ...at, ruleId: 'xml-entity-expansion' }));
        return result;
      }
      text = expanded.text;
    }
  }
  // Well-formedness, depth and root check in one streaming pass: the fast tokenizer when it can
  // take the text and finds nothing wrong, else saxes (which gives the messages).
  const parsed = wellFormed(text, file, options, observer, true) ?? wellFormed(text, file, options, observer, false)!;
  messages.push(...parsed.messages);
  result.rootName = parsed.rootName;
  result.rootNamespace = parsed.rootNamespace;
  const { failed, rootSeen } = parsed;
  if (failed) return result;
  if (!rootSeen) {
    messages.push(diagnostic('no root element', { file, line: 1, column: 1, ruleId: 'xml-not-well-formed' }));
    return result;
  }
  if (result.rootNamespace !== TEI_NS) {
    const p4 = (result.rootName === 'TEI.2' || result.rootName === 'TEI' || result.rootName === 'teiCorpus.2') && result.rootNamespace === '';
    messages.push(
      diagnostic(
        p4
          ? `root <${result.rootName}> has no namespace: this looks like TEI P4; convert it to TEI P5 (namespace ${TEI_NS}), e.g. with the TEI Stylesheets' p4top5`
          : `root element <${result.rootName}> is not in the TEI namespace (${TEI_NS})`,
        { file, line: 1, column: 1, ruleId: p4 ? 'tei-p4' : 'tei-namespace' },
      ),
    );
    return result;
  }
  result.text = text;
  result.ok = true;
  return result;
}

/** Reads and checks one file. */
export async function loadDocument(file: string, displayPath: string, options: LoadOptions, observer?: ParseObserver): Promise<LoadedDocument> {
  const info = await stat(file);
  if (info.size > options.maxFileSize) {
    const doc = checkText('', displayPath, options);
    doc.messages.length = 0;
    doc.messages.push(
      diagnostic(`file is ${info.size} bytes, larger than the limit of ${options.maxFileSize} (maxFileSize in edition.config.json)`, {
        file: displayPath, line: 1, column: 1, ruleId: 'file-too-large',
      }),
    );
    doc.path = file;
    return doc;
  }
  const bytes = await readFile(file);
  const { text, messages } = decode(bytes, displayPath);
  if (!text && messages.length) {
    return { path: file, displayPath, text: '', original: '', rootNamespace: '', rootName: '', messages, ok: false };
  }
  if (text.includes('\u0000')) {
    const p = position(text, text.indexOf('\u0000'));
    return {
      path: file, displayPath, text: '', original: text, rootNamespace: '', rootName: '',
      messages: [...messages, diagnostic('file contains NUL characters: binary data, not XML', { file: displayPath, ...p, ruleId: 'xml-encoding' })],
      ok: false,
    };
  }
  const doc = checkText(text, displayPath, options, observer);
  doc.path = file;
  doc.messages.unshift(...messages);
  return doc;
}
