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
  /** Where the element is defined in the schema (for messages). */
  define?: string;
}

/** One pattern universe (one per compiled schema): interning tables and memo caches. */
export class PatternBuilder {
  private nextId = 3;
  private table = new Map<string, Pattern>();
  readonly empty: Pattern = { kind: 'empty', id: 0, nullable: true, hasAtt: false, textSensitive: false };
  readonly notAllowed: Pattern = { kind: 'notAllowed', id: 1, nullable: false, hasAtt: false, textSensitive: false };
  readonly text: Pattern = { kind: 'text', id: 2, nullable: true, hasAtt: false, textSensitive: false };

  private intern<P extends Pattern>(key: string, make: (id: number) => P): P {
    const found = this.table.get(key);
    if (found) return found as P;
    const p = make(this.nextId++);
    this.table.set(key, p);
    return p;
  }

  get size(): number {
    return this.table.size;
  }

  choice(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed') return b;
    if (b.kind === 'notAllowed') return a;
    if (a === b) return a;
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
    for (let i = sorted.length - 2; i >= 0; i--) out = this.rawChoice(sorted[i]!, out);
    return out;
  }

  private rawChoice(a: Pattern, b: Pattern): Pattern {
    return this.intern(`|${a.id},${b.id}`, (id) => ({
      kind: 'choice', id, a, b,
      nullable: a.nullable || b.nullable,
      hasAtt: a.hasAtt || b.hasAtt,
      textSensitive: a.textSensitive || b.textSensitive,
    }));
  }

  group(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed' || b.kind === 'notAllowed') return this.notAllowed;
    if (a.kind === 'empty') return b;
    if (b.kind === 'empty') return a;
    return this.intern(`,${a.id},${b.id}`, (id) => ({
      kind: 'group', id, a, b,
      nullable: a.nullable && b.nullable,
      hasAtt: a.hasAtt || b.hasAtt,
      textSensitive: a.textSensitive || b.textSensitive,
    }));
  }

  interleave(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed' || b.kind === 'notAllowed') return this.notAllowed;
    if (a.kind === 'empty') return b;
    if (b.kind === 'empty') return a;
    if (a.id > b.id) [a, b] = [b, a];
    return this.intern(`&${a.id},${b.id}`, (id) => ({
      kind: 'interleave', id, a, b,
      nullable: a.nullable && b.nullable,
      hasAtt: a.hasAtt || b.hasAtt,
      textSensitive: a.textSensitive || b.textSensitive,
    }));
  }

  after(a: Pattern, b: Pattern): Pattern {
    if (a.kind === 'notAllowed' || b.kind === 'notAllowed') return this.notAllowed;
    return this.intern(`>${a.id},${b.id}`, (id) => ({
      kind: 'after', id, a, b, nullable: false, hasAtt: a.hasAtt, textSensitive: a.textSensitive,
    }));
  }

  oneOrMore(a: Pattern): Pattern {
    if (a.kind === 'notAllowed' || a.kind === 'empty') return a;
    if (a.kind === 'oneOrMore') return a;
    return this.intern(`+${a.id}`, (id) => ({
      kind: 'oneOrMore', id, a, nullable: a.nullable, hasAtt: a.hasAtt, textSensitive: a.textSensitive,
    }));
  }

  list(a: Pattern): Pattern {
    if (a.kind === 'notAllowed') return a;
    return this.intern(`L${a.id}`, (id) => ({ kind: 'list', id, a, nullable: false, hasAtt: false, textSensitive: true }));
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
      };
    });
  }
}
