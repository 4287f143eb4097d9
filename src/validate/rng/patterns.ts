/**
 * RELAX NG patterns and their derivatives (James Clark, "An algorithm for
 * RELAX NG validation", 2002). Patterns are hash-consed: structurally equal
 * patterns are the same object, so derivatives can be memoised by pattern id.
 */
import type { Datatype } from './datatypes.js';

export interface QName {
  ns: string;
  local: string;
}

export type NameClass =
  | { kind: 'name'; ns: string; local: string }
  | { kind: 'anyName'; except?: NameClass }
  | { kind: 'nsName'; ns: string; except?: NameClass }
  | { kind: 'choice'; a: NameClass; b: NameClass };

export function nameClassContains(nc: NameClass, ns: string, local: string): boolean {
  switch (nc.kind) {
    case 'name':
      return nc.local === local && nc.ns === ns;
    case 'anyName':
      return !nc.except || !nameClassContains(nc.except, ns, local);
    case 'nsName':
      return nc.ns === ns && (!nc.except || !nameClassContains(nc.except, ns, local));
    case 'choice':
      return nameClassContains(nc.a, ns, local) || nameClassContains(nc.b, ns, local);
  }
}

export function nameClassKey(nc: NameClass): string {
  switch (nc.kind) {
    case 'name':
      return `{${nc.ns}}${nc.local}`;
    case 'anyName':
      return `*${nc.except ? '-(' + nameClassKey(nc.except) + ')' : ''}`;
    case 'nsName':
      return `{${nc.ns}}*${nc.except ? '-(' + nameClassKey(nc.except) + ')' : ''}`;
    case 'choice':
      return `(${nameClassKey(nc.a)}|${nameClassKey(nc.b)})`;
  }
}

export type Pattern =
  | Base<'empty'>
  | Base<'notAllowed'>
  | Base<'text'>
  | (Base<'choice'> & { a: Pattern; b: Pattern })
  | (Base<'group'> & { a: Pattern; b: Pattern })
  | (Base<'interleave'> & { a: Pattern; b: Pattern })
  | (Base<'after'> & { a: Pattern; b: Pattern })
  | (Base<'oneOrMore'> & { a: Pattern })
  | (Base<'list'> & { a: Pattern })
  | (Base<'data'> & { dt: Datatype; except?: Pattern })
  | (Base<'value'> & { dt: Datatype; value: string })
  | (Base<'attribute'> & { nc: NameClass; a: Pattern })
  | ElementPattern;

interface Base<K extends string> {
  kind: K;
  id: number;
  nullable: boolean;
  /** Contains an attribute pattern outside any element. */
  hasAtt: boolean;
  /** textDeriv depends on the text (data, value or list reachable outside elements). */
  textSensitive: boolean;
}

export interface ElementPattern extends Base<'element'> {
  nc: NameClass;
  /** Content, built on first use (recursion goes through elements only). */
  content(): Pattern;
  /** The content if it has been built already. */
  builtContent(): Pattern | undefined;
  /** Where the element is defined in the schema (for messages). */
  define?: string;
}

type Binary = 'choice' | 'group' | 'interleave' | 'after';
type Unary = 'oneOrMore' | 'list';

/** Operation codes of the stored form (and of the hash-consing table). */
const CODE = { choice: 0, group: 1, interleave: 2, after: 3, oneOrMore: 4, list: 5, data: 6, value: 7, attribute: 8, element: 9 } as const;
const KIND = ['choice', 'group', 'interleave', 'after', 'oneOrMore', 'list', 'data', 'value', 'attribute', 'element'] as const;

/**
 * Hash-consing table of (operation, operand, operand) → pattern id: open
 * addressing over typed arrays, so that interning allocates nothing.
 */
class OpTable {
  private ops: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private ids: Int32Array;
  private count = 0;

  /** `expected`: number of entries to make room for at once. */
  constructor(expected = 0) {
    let size = 1 << 12;
    while (size < expected * 2) size *= 2;
    this.ops = new Int32Array(size);
    this.as = new Int32Array(size);
    this.bs = new Int32Array(size);
    this.ids = new Int32Array(size).fill(-1);
  }

  private static slot(op: number, a: number, b: number, mask: number): number {
    let h = Math.imul(a ^ Math.imul(op, 0x27d4eb2f), 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
    h ^= h >>> 15;
    return h & mask;
  }

  get(op: number, a: number, b: number): number {
    const mask = this.ids.length - 1;
    for (let i = OpTable.slot(op, a, b, mask); ; i = (i + 1) & mask) {
      const id = this.ids[i]!;
      if (id < 0) return -1;
      if (this.as[i] === a && this.bs[i] === b && this.ops[i] === op) return id;
    }
  }

  set(op: number, a: number, b: number, id: number): void {
    if ((this.count + 1) * 2 > this.ids.length) this.grow();
    const mask = this.ids.length - 1;
    let i = OpTable.slot(op, a, b, mask);
    while (this.ids[i]! >= 0) i = (i + 1) & mask;
    this.ops[i] = op;
    this.as[i] = a;
    this.bs[i] = b;
    this.ids[i] = id;
    this.count++;
  }

  private grow(): void {
    const { ops, as, bs, ids } = this;
    const size = ids.length * 2;
    this.ops = new Int32Array(size);
    this.as = new Int32Array(size);
    this.bs = new Int32Array(size);
    this.ids = new Int32Array(size).fill(-1);
    this.count = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) this.set(ops[i]!, as[i]!, bs[i]!, ids[i]!);
  }
}

/**
 * A builder's patterns, as stored in the schema cache: `code` holds, for each
 * pattern in id order (from 3), its operation code and operands (pattern ids,
 * or indexes into `datatypes`, `strings` and `nameClasses`; -1 for none).
 */
export interface StoredPatterns {
  datatypes: { library: string; name: string; params: [string, string][] }[];
  strings: string[];
  nameClasses: NameClass[];
  code: number[];
}

/**
 * One pattern universe (one per compiled schema): hash-consing tables. Ids are
 * given in creation order; binary and unary patterns are interned by their
 * operands' ids (no string keys on the derivative paths).
 */
export class PatternBuilder {
  readonly empty: Pattern = { kind: 'empty', id: 0, nullable: true, hasAtt: false, textSensitive: false };
  readonly notAllowed: Pattern = { kind: 'notAllowed', id: 1, nullable: false, hasAtt: false, textSensitive: false };
  readonly text: Pattern = { kind: 'text', id: 2, nullable: true, hasAtt: false, textSensitive: false };
  /** Every pattern by id. */
  private readonly all: Pattern[] = [this.empty, this.notAllowed, this.text];
  private readonly ops: OpTable;
  /** data, value, attribute and element patterns by a string key. */
  private readonly keyed = new Map<string, Pattern>();
  /** The key each keyed pattern was interned with (for the cache). */
  private readonly keys = new Map<number, string>();

  /** `expected`: number of patterns to make room for at once. */
  constructor(expected = 0) {
    this.ops = new OpTable(expected);
  }

  get size(): number {
    return this.all.length - 3;
  }

  byId(id: number): Pattern | undefined {
    return this.all[id];
  }

  private add<P extends Pattern>(p: P): P {
    this.all.push(p);
    return p;
  }

  private pair(kind: Binary, a: Pattern, b: Pattern): Pattern {
    const op = CODE[kind];
    const found = this.ops.get(op, a.id, b.id);
    if (found >= 0) return this.all[found]!;
    const id = this.all.length;
    const made =
      kind === 'choice'
        ? { kind, id, a, b, nullable: a.nullable || b.nullable, hasAtt: a.hasAtt || b.hasAtt, textSensitive: a.textSensitive || b.textSensitive }
        : kind === 'after'
          ? { kind, id, a, b, nullable: false, hasAtt: a.hasAtt, textSensitive: a.textSensitive }
          : { kind, id, a, b, nullable: a.nullable && b.nullable, hasAtt: a.hasAtt || b.hasAtt, textSensitive: a.textSensitive || b.textSensitive };
    this.ops.set(op, a.id, b.id, id);
    return this.add(made as Pattern);
  }

  private single(kind: Unary, a: Pattern): Pattern {
    const op = CODE[kind];
    const found = this.ops.get(op, a.id, 0);
    if (found >= 0) return this.all[found]!;
    const id = this.all.length;
    const made = kind === 'oneOrMore'
      ? { kind, id, a, nullable: a.nullable, hasAtt: a.hasAtt, textSensitive: a.textSensitive }
      : { kind, id, a, nullable: false, hasAtt: false, textSensitive: true };
    this.ops.set(op, a.id, 0, id);
    return this.add(made as Pattern);
  }

  private intern<P extends Pattern>(key: string, make: (id: number) => P): P {
    const found = this.keyed.get(key);
    if (found) return found as P;
    const p = this.add(make(this.all.length));
    this.keyed.set(key, p);
    this.keys.set(p.id, key);
    return p;
  }

  choice(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed') return b;
    if (b.kind === 'notAllowed') return a;
    if (a === b) return a;
    // Two plain alternatives (the common case): ordered by id, no collection needed.
    if (a.kind !== 'choice' && b.kind !== 'choice') return a.id < b.id ? this.pair('choice', a, b) : this.pair('choice', b, a);
    // Normalise: flatten, de-duplicate and sort the alternatives by id.
    const items = new Map<number, Pattern>();
    const collect = (p: Pattern) => {
      if (p.kind === 'choice') {
        collect(p.a);
        collect(p.b);
      } else items.set(p.id, p);
    };
    collect(a);
    collect(b);
    const sorted = [...items.values()].sort((x, y) => x.id - y.id);
    let out = sorted[sorted.length - 1]!;
    for (let i = sorted.length - 2; i >= 0; i--) out = this.pair('choice', sorted[i]!, out);
    return out;
  }

  /** The choice of all `ps` (what folding them with choice() gives, without the intermediate choices). */
  choiceOf(ps: Pattern[]): Pattern {
    const items = new Map<number, Pattern>();
    const collect = (p: Pattern) => {
      if (p.kind === 'choice') {
        collect(p.a);
        collect(p.b);
      } else if (p.kind !== 'notAllowed') items.set(p.id, p);
    };
    ps.forEach(collect);
    if (!items.size) return this.notAllowed;
    const sorted = [...items.values()].sort((x, y) => x.id - y.id);
    let out = sorted[sorted.length - 1]!;
    for (let i = sorted.length - 2; i >= 0; i--) out = this.pair('choice', sorted[i]!, out);
    return out;
  }

  group(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed' || b.kind === 'notAllowed') return this.notAllowed;
    if (a.kind === 'empty') return b;
    if (b.kind === 'empty') return a;
    return this.pair('group', a, b);
  }

  interleave(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed' || b.kind === 'notAllowed') return this.notAllowed;
    if (a.kind === 'empty') return b;
    if (b.kind === 'empty') return a;
    return a.id > b.id ? this.pair('interleave', b, a) : this.pair('interleave', a, b);
  }

  after(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed' || b.kind === 'notAllowed') return this.notAllowed;
    return this.pair('after', a, b);
  }

  oneOrMore(a: Pattern): Pattern {
    if (a.kind === 'notAllowed' || a.kind === 'empty') return a;
    if (a.kind === 'oneOrMore') return a;
    return this.single('oneOrMore', a);
  }

  list(a: Pattern): Pattern {
    if (a.kind === 'notAllowed') return a;
    return this.single('list', a);
  }

  data(dt: Datatype, except?: Pattern): Pattern {
    return this.intern(`D${dt.key}${except ? '-' + except.id : ''}`, (id) => ({
      kind: 'data', id, dt, except, nullable: false, hasAtt: false, textSensitive: true,
    }));
  }

  value(dt: Datatype, value: string): Pattern {
    return this.intern(`V${dt.key}=${value}`, (id) => ({
      kind: 'value', id, dt, value, nullable: false, hasAtt: false, textSensitive: true,
    }));
  }

  attribute(nc: NameClass, a: Pattern): Pattern {
    if (a.kind === 'notAllowed') return a;
    return this.intern(`@${nameClassKey(nc)}=${a.id}`, (id) => ({
      kind: 'attribute', id, nc, a, nullable: false, hasAtt: true, textSensitive: false,
    }));
  }

  /** Elements are interned by their definition site (`key`), their content is lazy. */
  element(key: string, nc: NameClass, content: () => Pattern, define?: string): ElementPattern {
    return this.intern(`E${key}`, (id) => {
      let cached: Pattern | undefined;
      return {
        kind: 'element', id, nc, define, nullable: false, hasAtt: false, textSensitive: false,
        content: () => (cached ??= content()),
        builtContent: () => cached,
      };
    });
  }

  /**
   * The first `count` patterns made (default: all), for the schema cache. Every
   * reachable element's content must have been built (compile the whole schema
   * first); later patterns (derivatives) are never referred to by earlier ones.
   */
  store(count = this.size): StoredPatterns {
    const out: StoredPatterns = { datatypes: [], strings: [], nameClasses: [], code: [] };
    const index = <T>(map: Map<string, number>, list: T[], key: string, value: T) => {
      let i = map.get(key);
      if (i === undefined) {
        map.set(key, (i = list.length));
        list.push(value);
      }
      return i;
    };
    const dts = new Map<string, number>();
    const strings = new Map<string, number>();
    const ncs = new Map<string, number>();
    const dt = (d: Datatype) => index(dts, out.datatypes, d.key, { library: d.library, name: d.name, params: d.params });
    const str = (v: string) => index(strings, out.strings, v, v);
    const nc = (n: NameClass) => index(ncs, out.nameClasses, nameClassKey(n), n);
    const code = out.code;
    for (let i = 3; i < count + 3; i++) {
      const p = this.all[i]!;
      switch (p.kind) {
        case 'choice':
        case 'group':
        case 'interleave':
        case 'after':
          code.push(CODE[p.kind], p.a.id, p.b.id);
          break;
        case 'oneOrMore':
        case 'list':
          code.push(CODE[p.kind], p.a.id);
          break;
        case 'data':
          code.push(CODE.data, dt(p.dt), p.except ? p.except.id : -1);
          break;
        case 'value':
          code.push(CODE.value, dt(p.dt), str(p.value));
          break;
        case 'attribute':
          code.push(CODE.attribute, nc(p.nc), p.a.id);
          break;
        case 'element': {
          // An element dropped by simplification (e.g. grouped with notAllowed) is never reached: no content.
          const content = p.builtContent();
          code.push(CODE.element, str(this.keys.get(p.id)!), nc(p.nc), content ? content.id : -1, p.define === undefined ? -1 : str(p.define));
          break;
        }
        default:
          throw new Error(`unexpected ${p.kind} pattern with id ${p.id}`);
      }
    }
    return out;
  }

  /** A builder holding the stored patterns with their ids; `makeDt` makes a datatype again. */
  static restore(stored: StoredPatterns, makeDt: (library: string, name: string, params: [string, string][]) => Datatype): PatternBuilder {
    const b = new PatternBuilder(stored.code.length / 2.5);
    const dts = stored.datatypes.map((d) => makeDt(d.library, d.name, d.params));
    const { strings, nameClasses, code } = stored;
    const all = b.all;
    const at = (id: number) => {
      const p = all[id];
      if (!p) throw new Error(`schema cache: pattern ${id} used before it is defined`);
      return p;
    };
    let i = 0;
    while (i < code.length) {
      const before = all.length;
      const kind = KIND[code[i]!];
      switch (kind) {
        case 'choice':
        case 'group':
        case 'interleave':
        case 'after':
          b.pair(kind, at(code[i + 1]!), at(code[i + 2]!));
          i += 3;
          break;
        case 'oneOrMore':
        case 'list':
          b.single(kind, at(code[i + 1]!));
          i += 2;
          break;
        case 'data': {
          const except = code[i + 2]!;
          b.data(dts[code[i + 1]!]!, except < 0 ? undefined : at(except));
          i += 3;
          break;
        }
        case 'value':
          b.value(dts[code[i + 1]!]!, strings[code[i + 2]!]!);
          i += 3;
          break;
        case 'attribute':
          b.attribute(nameClasses[code[i + 1]!]!, at(code[i + 2]!));
          i += 3;
          break;
        case 'element': {
          const content = code[i + 3]!;
          const define = code[i + 4]!;
          b.element(strings[code[i + 1]!]!.slice(1), nameClasses[code[i + 2]!]!, () => {
            if (content < 0) throw new Error('schema cache: content of an unreachable element');
            return at(content);
          }, define < 0 ? undefined : strings[define]);
          i += 5;
          break;
        }
        default:
          throw new Error(`schema cache: unknown operation ${code[i]}`);
      }
      if (all.length !== before + 1) throw new Error('schema cache: a stored pattern is not new');
    }
    return b;
  }
}
