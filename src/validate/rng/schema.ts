/**
 * Loads a RELAX NG schema (XML syntax) and compiles it to hash-consed
 * patterns: include/externalRef/grammar/parentRef are resolved, defines are
 * combined, optional/zeroOrMore/mixed are rewritten to choice/oneOrMore/
 * interleave, names get their namespaces. Element contents are compiled on
 * first use, so only the part of a big schema (tei_all) that a corpus uses is
 * ever built.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { SaxesParser } from 'saxes';
import { FastXmlParser } from '../../stages/xml-fast.js';
import { DatatypeError, makeDatatype } from './datatypes.js';
import { CACHE_DIR, PACKAGE_ROOT } from '../../xslt/sef.js';
import { PatternBuilder, type ElementPattern, type NameClass, type Pattern, type StoredPatterns } from './patterns.js';

const RNG_NS = 'http://relaxng.org/ns/structure/1.0';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

interface RNode {
  id: number;
  local: string;
  attrs: Record<string, string>;
  children: RNode[];
  text: string;
  nsMap: Record<string, string>;
  ns: string;
  dtLib: string;
  file: string;
  line: number;
}

export class SchemaError extends Error {
  constructor(message: string, readonly file: string, readonly line = 1) {
    super(message);
    this.name = 'SchemaError';
  }
}

let nodeIds = 0;

type SaxesParserNS = SaxesParser<{ xmlns: true; position: true; fileName: string }>;

/** Handlers that build a schema file's tree from the parser's events; `get` gives the root element. */
function buildTree(parser: SaxesParserNS, file: string, inheritedNs: string | undefined): { get(): RNode | undefined } {
  let root: RNode | undefined;
  const stack: (RNode | null)[] = [];
  parser.on('error', (err) => {
    throw new SchemaError(`schema is not well-formed: ${err.message}`, file, parser.line);
  });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    if (tag.uri !== RNG_NS || parent === null || (stack.length && parent === undefined)) {
      stack.push(null); // foreign element (documentation, Schematron): skipped with its subtree
      return;
    }
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (!a.prefix && a.local !== 'xmlns') attrs[a.local] = a.value.trim();
    const nsMap: Record<string, string> = { ...(parent?.nsMap ?? {}), ...tag.ns, xml: XML_NS };
    const node: RNode = {
      id: ++nodeIds,
      local: tag.local,
      attrs,
      children: [],
      text: '',
      nsMap,
      ns: attrs.ns ?? parent?.ns ?? inheritedNs ?? '',
      dtLib: attrs.datatypeLibrary ?? (tag.local === 'value' && !attrs.type ? '' : parent?.dtLib ?? ''),
      file,
      line: parser.line,
    };
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  return { get: () => root };
}

/** Reads and parses one schema file; `read` records every file read (path → sha256) for the cache. */
function parseRng(file: string, inheritedNs: string | undefined, read: Map<string, string>): RNode {
  let text: string;
  try {
    const bytes = readFileSync(file);
    read.set(file, sha256(bytes));
    text = bytes.toString('utf8');
  } catch (error) {
    throw new SchemaError(`cannot read schema: ${(error as Error).message}`, file);
  }
  // The fast tokenizer of the load stage when it can take the text (the same events and lines), else saxes.
  const ids = nodeIds;
  const fast = new FastXmlParser();
  let root = buildTree(fast as unknown as SaxesParserNS, file, inheritedNs);
  if (!fast.parse(text)) {
    nodeIds = ids;
    const parser = new SaxesParser({ xmlns: true, position: true, fileName: file });
    root = buildTree(parser, file, inheritedNs);
    parser.write(text).close();
  }
  const tree = root.get();
  if (!tree) throw new SchemaError('not a RELAX NG schema (XML syntax) — no RELAX NG root element', file);
  return tree;
}

interface Definition {
  bodies: RNode[][];
  combine?: string;
}

class Grammar {
  defines = new Map<string, Definition>();
  start: Definition = { bodies: [] };
  compiled = new Map<string, Pattern>();
  inProgress = new Set<string>();
  constructor(readonly parent?: Grammar) {}
}

export interface CompiledSchema {
  file: string;
  hash: string;
  builder: PatternBuilder;
  start: Pattern;
  /** Element definitions by `{ns}local`, built on demand (used for error recovery). */
  elementsNamed(ns: string, local: string): ElementPattern[];
}

export class SchemaCompiler {
  readonly b = new PatternBuilder();
  /** Every file read (the schema and what it includes), with the sha256 of its text. */
  readonly files = new Map<string, string>();

  compileFile(file: string): Pattern {
    const root = parseRng(path.resolve(file), undefined, this.files);
    return this.pattern(root, new Grammar());
  }

  private addDefinition(map: Map<string, Definition> | Grammar, name: string | undefined, node: RNode): void {
    let def: Definition;
    if (map instanceof Grammar) def = map.start;
    else {
      def = map.get(name!) ?? { bodies: [] };
      map.set(name!, def);
    }
    def.bodies.push(node.children);
    if (node.attrs.combine) def.combine = node.attrs.combine;
  }

  private loadComponents(g: Grammar, node: RNode, skip?: { start: boolean; defines: Set<string> }): void {
    for (const c of node.children) {
      if (c.local === 'start') {
        if (!skip?.start) this.addDefinition(g, undefined, c);
      } else if (c.local === 'define') {
        if (!skip?.defines.has(c.attrs.name ?? '')) this.addDefinition(g.defines, c.attrs.name, c);
      } else if (c.local === 'div') this.loadComponents(g, c, skip);
      else if (c.local === 'include') {
        const file = path.resolve(path.dirname(c.file), c.attrs.href ?? '');
        const included = parseRng(file, c.attrs.ns, this.files);
        if (included.local !== 'grammar') throw new SchemaError('included schema must be a <grammar>', file);
        const overrides = { start: false, defines: new Set<string>() };
        const scan = (n: RNode) => {
          for (const k of n.children) {
            if (k.local === 'start') overrides.start = true;
            else if (k.local === 'define') overrides.defines.add(k.attrs.name ?? '');
            else if (k.local === 'div') scan(k);
          }
        };
        scan(c);
        this.loadComponents(g, included, {
          start: overrides.start || !!skip?.start,
          defines: new Set([...overrides.defines, ...(skip?.defines ?? [])]),
        });
        this.loadComponents(g, c, skip);
      }
    }
  }

  private define(g: Grammar | undefined, name: string, at: RNode): Pattern {
    if (!g) throw new SchemaError(`parentRef "${name}" outside a nested grammar`, at.file, at.line);
    const done = g.compiled.get(name);
    if (done) return done;
    const def = g.defines.get(name);
    if (!def) throw new SchemaError(`reference to undefined pattern "${name}"`, at.file, at.line);
    if (g.inProgress.has(name)) throw new SchemaError(`pattern "${name}" refers to itself outside an element`, at.file, at.line);
    g.inProgress.add(name);
    const p = this.combine(def, g);
    g.inProgress.delete(name);
    g.compiled.set(name, p);
    return p;
  }

  private combine(def: Definition, g: Grammar): Pattern {
    const parts = def.bodies.map((body) => this.group(body, g));
    if (def.combine !== 'interleave') return this.b.choiceOf(parts);
    return parts.reduce((acc, p) => this.b.interleave(acc, p));
  }

  private group(nodes: RNode[], g: Grammar): Pattern {
    let out = this.b.empty;
    for (const n of nodes) out = this.b.group(out, this.pattern(n, g));
    return out;
  }

  private fold(nodes: RNode[], g: Grammar, op: 'choice' | 'interleave' | 'group'): Pattern {
    if (!nodes.length) return this.b.empty;
    const parts = nodes.map((n) => this.pattern(n, g));
    // A choice of many alternatives (TEI's model classes) is normalised once, not once per alternative.
    if (op === 'choice') return this.b.choiceOf(parts);
    return parts.reduce((acc, p) => this.b[op](acc, p));
  }

  private qname(node: RNode, qn: string, isAttribute: boolean): { ns: string; local: string } {
    const i = qn.indexOf(':');
    if (i < 0) return { ns: isAttribute ? node.attrs.ns ?? '' : node.ns, local: qn };
    const prefix = qn.slice(0, i);
    const ns = node.nsMap[prefix];
    if (ns === undefined) throw new SchemaError(`undeclared namespace prefix "${prefix}"`, node.file, node.line);
    return { ns, local: qn.slice(i + 1) };
  }

  private nameClass(node: RNode): NameClass {
    switch (node.local) {
      case 'name':
        return { kind: 'name', ...this.qname(node, node.text.trim(), false) };
      case 'anyName': {
        const ex = node.children.find((c) => c.local === 'except');
        return { kind: 'anyName', except: ex ? this.ncChoice(ex.children) : undefined };
      }
      case 'nsName': {
        const ex = node.children.find((c) => c.local === 'except');
        return { kind: 'nsName', ns: node.ns, except: ex ? this.ncChoice(ex.children) : undefined };
      }
      case 'choice':
        return this.ncChoice(node.children);
      default:
        throw new SchemaError(`<${node.local}> is not a name class`, node.file, node.line);
    }
  }

  private ncChoice(nodes: RNode[]): NameClass {
    return nodes.map((n) => this.nameClass(n)).reduce((a, b) => ({ kind: 'choice', a, b }));
  }

  private pattern(node: RNode, g: Grammar): Pattern {
    const b = this.b;
    const kids = node.children;
    switch (node.local) {
      case 'element': {
        const nc = node.attrs.name !== undefined ? { kind: 'name' as const, ...this.qname(node, node.attrs.name, false) } : this.nameClass(kids[0]!);
        const body = node.attrs.name !== undefined ? kids : kids.slice(1);
        return b.element(String(node.id), nc, () => this.group(body, g));
      }
      case 'attribute': {
        const nc: NameClass = node.attrs.name !== undefined ? { kind: 'name', ...this.qname(node, node.attrs.name, true) } : this.nameClass(kids[0]!);
        const body = node.attrs.name !== undefined ? kids : kids.slice(1);
        return b.attribute(nc, body.length ? this.group(body, g) : b.text);
      }
      case 'group':
        return this.group(kids, g);
      case 'interleave':
        return this.fold(kids, g, 'interleave');
      case 'choice':
        return kids.length ? this.fold(kids, g, 'choice') : b.notAllowed;
      case 'optional':
        return b.choice(this.group(kids, g), b.empty);
      case 'zeroOrMore':
        return b.choice(b.oneOrMore(this.group(kids, g)), b.empty);
      case 'oneOrMore':
        return b.oneOrMore(this.group(kids, g));
      case 'mixed':
        return b.interleave(this.group(kids, g), b.text);
      case 'list':
        return b.list(this.group(kids, g));
      case 'text':
        return b.text;
      case 'empty':
        return b.empty;
      case 'notAllowed':
        return b.notAllowed;
      case 'data': {
        const params = kids.filter((k) => k.local === 'param').map((k) => [k.attrs.name ?? '', k.text] as [string, string]);
        const ex = kids.find((k) => k.local === 'except');
        try {
          const dt = makeDatatype(node.dtLib, node.attrs.type ?? '', params);
          return b.data(dt, ex ? this.fold(ex.children, g, 'choice') : undefined);
        } catch (error) {
          if (error instanceof DatatypeError) throw new SchemaError(error.message, node.file, node.line);
          throw error;
        }
      }
      case 'value': {
        const type = node.attrs.type ?? 'token';
        try {
          return b.value(makeDatatype(node.attrs.type ? node.dtLib : '', type, []), node.text);
        } catch (error) {
          if (error instanceof DatatypeError) throw new SchemaError(error.message, node.file, node.line);
          throw error;
        }
      }
      case 'ref':
        return this.define(g, node.attrs.name ?? '', node);
      case 'parentRef':
        return this.define(g.parent, node.attrs.name ?? '', node);
      case 'externalRef': {
        const file = path.resolve(path.dirname(node.file), node.attrs.href ?? '');
        return this.pattern(parseRng(file, node.attrs.ns ?? (node.ns || undefined), this.files), g);
      }
      case 'grammar': {
        const inner = new Grammar(g);
        this.loadComponents(inner, node);
        if (!inner.start.bodies.length) throw new SchemaError('grammar has no <start>', node.file, node.line);
        return this.combine(inner.start, inner);
      }
      default:
        throw new SchemaError(`unexpected <${node.local}> in a pattern`, node.file, node.line);
    }
  }
}

const memory = new Map<string, CompiledSchema>();
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Bump when the layout of cached schemas changes. */
const CACHE_FORMAT = 2;

interface CachedSchema {
  format: number;
  version: string;
  /** Every file the compile read (path → sha256 of its text). */
  files: Record<string, string>;
  start: number;
  patterns: StoredPatterns;
}

let packageVersion: string | undefined;
function version(): string {
  try {
    packageVersion ??= (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    packageVersion = 'unknown';
  }
  return packageVersion;
}

export interface LoadSchemaOptions {
  /**
   * Write the compiled schema to the cache (`.cache/tei-edition/schemas/`,
   * or under $TEI_EDITION_CACHE) when it was not there; default true. Reading
   * the cache is always tried.
   */
  writeCache?: boolean | 'later';
}

/** Compiles to write to the cache when writeSchemaCache is called (writeCache: 'later'). */
const pendingWrites = new WeakMap<CompiledSchema, () => void>();

/**
 * Writes the cache entry of a schema loaded with `writeCache: 'later'` if it
 * had to be compiled (e.g. once this thread's files are validated, while
 * other threads still work).
 */
export function writeSchemaCache(schema: CompiledSchema): void {
  const write = pendingWrites.get(schema);
  pendingWrites.delete(schema);
  write?.();
}

/**
 * Compiles a schema once per process (keyed by path and content hash). The
 * whole schema is compiled at once, in a fixed order, so that pattern ids (and
 * with them every message) do not depend on the documents validated before;
 * the result is cached on disk, keyed by the schema's path and content and the
 * package version, and checked against the content of every file it includes.
 */
export function loadSchema(file: string, options: LoadSchemaOptions = {}): CompiledSchema {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (error) {
    throw new SchemaError(`cannot read schema: ${(error as Error).message}`, abs);
  }
  const hash = sha256(bytes);
  const key = `${abs}\n${hash}`;
  const cached = memory.get(key);
  if (cached) return cached;
  const cacheFile = path.join(CACHE_DIR, 'schemas', `${sha256(`${CACHE_FORMAT}\n${version()}\n${key}`).slice(0, 24)}.json`);
  let schema = readCache(cacheFile, abs, hash);
  if (!schema) {
    const compiler = new SchemaCompiler();
    const start = compiler.compileFile(abs);
    schema = makeSchema(abs, hash, compiler.b, start);
    schema.elementsNamed('', ''); // compiles every element's content, in a fixed order
    // What is stored is the compiled schema only, not the states validation adds later.
    const compiled = compiler.b.size;
    const write = () =>
      writeCache(cacheFile, { format: CACHE_FORMAT, version: version(), files: Object.fromEntries(compiler.files), start: start.id, patterns: compiler.b.store(compiled) });
    if (options.writeCache === 'later') pendingWrites.set(schema, write);
    else if (options.writeCache !== false) write();
  }
  memory.set(key, schema);
  return schema;
}

function makeSchema(abs: string, hash: string, builder: PatternBuilder, start: Pattern): CompiledSchema {
  let index: Map<string, ElementPattern[]> | undefined;
  return {
    file: abs,
    hash,
    builder,
    start,
    elementsNamed(ns, local) {
      index ??= indexElements(start);
      return index.get(`{${ns}}${local}`) ?? [];
    },
  };
}

/** The cached compile of a schema, if there is one and every file it read is unchanged. */
function readCache(cacheFile: string, abs: string, hash: string): CompiledSchema | undefined {
  let entry: CachedSchema;
  try {
    entry = JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedSchema;
  } catch {
    return undefined;
  }
  try {
    if (entry.format !== CACHE_FORMAT || entry.version !== version() || entry.files[abs] !== hash) return undefined;
    for (const [f, h] of Object.entries(entry.files)) if (f !== abs && sha256(readFileSync(f)) !== h) return undefined;
    const builder = PatternBuilder.restore(entry.patterns, makeDatatype);
    const start = builder.byId(entry.start);
    if (!start) return undefined;
    return makeSchema(abs, hash, builder, start);
  } catch {
    return undefined; // an included file is gone, or the entry is damaged: compile again
  }
}

function writeCache(cacheFile: string, entry: CachedSchema): void {
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, cacheFile);
  } catch {
    // The cache is an optimisation: a read-only installation just compiles every time.
  }
}

function indexElements(start: Pattern): Map<string, ElementPattern[]> {
  const index = new Map<string, ElementPattern[]>();
  const seen = new Set<number>();
  const todo: Pattern[] = [start];
  while (todo.length) {
    const p = todo.pop()!;
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    switch (p.kind) {
      case 'element': {
        const names: NameClass[] = [p.nc];
        while (names.length) {
          const nc = names.pop()!;
          if (nc.kind === 'name') {
            const k = `{${nc.ns}}${nc.local}`;
            index.set(k, [...(index.get(k) ?? []), p]);
          } else if (nc.kind === 'choice') names.push(nc.a, nc.b);
        }
        todo.push(p.content());
        break;
      }
      case 'choice':
      case 'group':
      case 'interleave':
      case 'after':
        todo.push(p.a, p.b);
        break;
      case 'oneOrMore':
      case 'list':
      case 'attribute':
        todo.push(p.a);
        break;
      default:
    }
  }
  return index;
}
