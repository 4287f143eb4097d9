/**
 * Derivatives of hash-consed patterns, memoised by pattern id. `lenient`
 * variants are used for error recovery: they pretend the missing part was
 * there, so validation goes on after an error.
 */
import { nameClassContains, type NameClass, type Pattern, type PatternBuilder } from './patterns.js';
import { isBlank } from './datatypes.js';

/** An attribute as saxes gives it (namespace URI, local name, value). */
export interface Attr {
  uri: string;
  local: string;
  value: string;
}

const MEMO_LIMIT = 500_000;
const ANY_VALUE = () => true;
const NONE: Pattern[] = [];

/** Memo tables of one attribute name. */
interface AttName {
  /** Attribute patterns of this name reachable from a state, by state id. */
  named: Map<number, Pattern[]>;
  /** Derivative when every candidate accepts the value, by state id. */
  any: Map<number, Pattern>;
  /** Derivative when only some candidates (ids joined by ",") accept it. */
  modes: Map<string, Map<number, Pattern>>;
}

export class Deriver {
  /** startTagOpen memo: one map per element name (namespace, then local name), keyed by pattern id. */
  private openMemos = new Map<string, Map<string, Map<number, Pattern>>>();
  private openSize = 0;
  private closeMemo = new Map<number, Pattern>();
  private endMemo = new Map<number, Pattern>();
  private textMemo = new Map<number, Pattern>();
  private wsMemo = new Map<number, Pattern>();
  private emptyMemo = new Map<number, Pattern>();
  /** Per-schema caches of the validator (expected lists, recovery patterns). */
  readonly expectedMemo = new Map<number, string[]>();
  readonly recoveryMemo = new Map<string, Pattern | null>();

  constructor(readonly b: PatternBuilder) {}

  private applyAfter(p: Pattern, f: (x: Pattern) => Pattern): Pattern {
    switch (p.kind) {
      case 'after':
        return this.b.after(p.a, f(p.b));
      case 'choice':
        return this.b.choice(this.applyAfter(p.a, f), this.applyAfter(p.b, f));
      default:
        return this.b.notAllowed;
    }
  }

  startTagOpen(p: Pattern, ns: string, local: string): Pattern {
    // By namespace, then local name: no key string to build for every element.
    let byLocal = this.openMemos.get(ns);
    if (byLocal === undefined) this.openMemos.set(ns, (byLocal = new Map()));
    let memo = byLocal.get(local);
    if (memo === undefined) byLocal.set(local, (memo = new Map()));
    return this.open(p, ns, local, memo);
  }

  private open(p: Pattern, ns: string, local: string, memo: Map<number, Pattern>): Pattern {
    let r = memo.get(p.id);
    if (r === undefined) {
      r = this.startTagOpenRaw(p, ns, local, memo);
      if (++this.openSize > MEMO_LIMIT) {
        this.openMemos = new Map();
        this.openSize = 0;
      }
      memo.set(p.id, r);
    }
    return r;
  }

  private startTagOpenRaw(p: Pattern, ns: string, local: string, memo: Map<number, Pattern>): Pattern {
    const b = this.b;
    switch (p.kind) {
      case 'choice':
        return b.choice(this.open(p.a, ns, local, memo), this.open(p.b, ns, local, memo));
      case 'element':
        return nameClassContains(p.nc, ns, local) ? b.after(p.content(), b.empty) : b.notAllowed;
      case 'interleave': {
        const { a: p1, b: p2 } = p;
        return b.choice(
          this.applyAfter(this.open(p1, ns, local, memo), (x) => b.interleave(x, p2)),
          this.applyAfter(this.open(p2, ns, local, memo), (x) => b.interleave(p1, x)),
        );
      }
      case 'oneOrMore': {
        const p1 = p.a;
        return this.applyAfter(this.open(p1, ns, local, memo), (x) => b.group(x, b.choice(p, b.empty)));
      }
      case 'group': {
        const { a: p1, b: p2 } = p;
        const x = this.applyAfter(this.open(p1, ns, local, memo), (y) => b.group(y, p2));
        return p1.nullable ? b.choice(x, this.open(p2, ns, local, memo)) : x;
      }
      case 'after':
        return this.applyAfter(this.open(p.a, ns, local, memo), (x) => b.after(x, p.b));
      default:
        return b.notAllowed;
    }
  }

  /**
   * Attribute derivative. The structural part is memoised per (pattern, name,
   * set of attribute patterns whose value matched), so unique values such as
   * xml:id cost no more than a lookup once a content model has been seen.
   * `anyValue` accepts any value (tells a bad value from a bad name).
   */
  att(p: Pattern, att: Attr, anyValue = false): Pattern {
    if (!p.hasAtt) return this.b.notAllowed;
    const name = this.attName(att.uri, att.local);
    if (anyValue) return this.attMode(p, att, name.any, ANY_VALUE);
    const cands = this.attributesNamed(p, att, name.named);
    const n = cands.length;
    if (!n) return this.b.notAllowed;
    // Which candidate attribute patterns accept the value (no allocation when all do).
    let ok: Pattern[] | undefined;
    for (let i = 0; i < n; i++) {
      const c = cands[i]!;
      if (c.kind === 'attribute' && this.attValueMatch(c.a, att.value)) ok?.push(c);
      else ok ??= cands.slice(0, i);
    }
    if (!ok) return this.attMode(p, att, name.any, ANY_VALUE);
    if (!ok.length) return this.b.notAllowed;
    const ids = new Set(ok.map((c) => c.id));
    const mode = [...ids].join(',');
    let memo = name.modes.get(mode);
    if (!memo) {
      if (name.modes.size > MEMO_LIMIT) name.modes.clear();
      name.modes.set(mode, (memo = new Map()));
    }
    return this.attMode(p, att, memo, (c) => ids.has(c.id));
  }

  /** By namespace, then local name. */
  private attNames = new Map<string, Map<string, AttName>>();

  private attName(ns: string, local: string): AttName {
    let byLocal = this.attNames.get(ns);
    if (!byLocal) this.attNames.set(ns, (byLocal = new Map()));
    let e = byLocal.get(local);
    if (!e) byLocal.set(local, (e = { named: new Map(), any: new Map(), modes: new Map() }));
    return e;
  }

  /**
   * The attribute patterns named like `att` that `p` can match next, in the
   * order a depth-first walk meets them; memoised per (name, pattern), so the
   * parts a derived state shares with earlier states are not walked again.
   */
  private attributesNamed(p: Pattern, att: Attr, m: Map<number, Pattern[]>): Pattern[] {
    if (!p.hasAtt) return NONE;
    let r = m.get(p.id);
    if (r === undefined) {
      switch (p.kind) {
        case 'attribute':
          r = nameClassContains(p.nc, att.uri, att.local) ? [p] : NONE;
          break;
        case 'after':
        case 'oneOrMore':
          r = this.attributesNamed(p.a, att, m);
          break;
        case 'choice':
        case 'group':
        case 'interleave': {
          const x = this.attributesNamed(p.a, att, m);
          const y = this.attributesNamed(p.b, att, m);
          r = !y.length ? x : !x.length ? y : [...new Set([...x, ...y])];
          break;
        }
        default:
          r = NONE;
      }
      m.set(p.id, r);
    }
    return r;
  }

  private attMode(p: Pattern, att: Attr, memo: Map<number, Pattern>, ok: (attr: Pattern) => boolean): Pattern {
    const found = memo.get(p.id);
    if (found !== undefined) return found;
    const b = this.b;
    const d = (q: Pattern): Pattern => {
      if (!q.hasAtt) return b.notAllowed;
      let r = memo.get(q.id);
      if (r !== undefined) return r;
      switch (q.kind) {
        case 'after':
          r = b.after(d(q.a), q.b);
          break;
        case 'choice':
          r = b.choice(d(q.a), d(q.b));
          break;
        case 'group':
          r = b.choice(b.group(d(q.a), q.b), b.group(q.a, d(q.b)));
          break;
        case 'interleave':
          r = b.choice(b.interleave(d(q.a), q.b), b.interleave(q.a, d(q.b)));
          break;
        case 'oneOrMore':
          r = b.group(d(q.a), b.choice(q, b.empty));
          break;
        case 'attribute':
          r = nameClassContains(q.nc, att.uri, att.local) && ok(q) ? b.empty : b.notAllowed;
          break;
        default:
          r = b.notAllowed;
      }
      memo.set(q.id, r);
      return r;
    };
    return d(p);
  }

  private valueMemo = new Map<number, Map<string, boolean>>();

  /** valueMatch for attribute values, memoised per value pattern (values such as @type repeat). */
  private attValueMatch(p: Pattern, s: string): boolean {
    if (!p.textSensitive) return this.valueMatch(p, s);
    let m = this.valueMemo.get(p.id);
    if (!m) this.valueMemo.set(p.id, (m = new Map()));
    let r = m.get(s);
    if (r === undefined) {
      r = this.valueMatch(p, s);
      if (m.size >= 4096) m.clear();
      m.set(s, r);
    }
    return r;
  }

  valueMatch(p: Pattern, s: string): boolean {
    return (p.nullable && isBlank(s)) || this.text(p, s).nullable;
  }

  startTagClose(p: Pattern, lenient = false): Pattern {
    if (!p.hasAtt) return p;
    if (!lenient) {
      let r = this.closeMemo.get(p.id);
      if (r === undefined) {
        r = this.closeRaw(p, false);
        this.closeMemo.set(p.id, r);
      }
      return r;
    }
    return this.closeRaw(p, true);
  }

  private closeRaw(p: Pattern, lenient: boolean): Pattern {
    const b = this.b;
    switch (p.kind) {
      case 'after':
        return b.after(this.startTagClose(p.a, lenient), p.b);
      case 'choice':
        return b.choice(this.startTagClose(p.a, lenient), this.startTagClose(p.b, lenient));
      case 'group':
        return b.group(this.startTagClose(p.a, lenient), this.startTagClose(p.b, lenient));
      case 'interleave':
        return b.interleave(this.startTagClose(p.a, lenient), this.startTagClose(p.b, lenient));
      case 'oneOrMore':
        return b.oneOrMore(this.startTagClose(p.a, lenient));
      case 'attribute':
        return lenient ? b.empty : b.notAllowed;
      default:
        return p;
    }
  }

  /** Text derivative; memoised when the result cannot depend on the text. */
  text(p: Pattern, s: string): Pattern {
    if (!p.textSensitive) {
      let r = this.textMemo.get(p.id);
      if (r === undefined) {
        r = this.textRaw(p, s);
        this.textMemo.set(p.id, r);
      }
      return r;
    }
    return this.textRaw(p, s);
  }

  /**
   * State after whitespace-only text `s`: the whitespace may also be ignored,
   * so the state before stays possible. Memoised when the result cannot depend on it.
   */
  whitespace(p: Pattern, s: string): Pattern {
    if (p.textSensitive) return this.b.choice(p, this.text(p, s));
    let r = this.wsMemo.get(p.id);
    if (r === undefined) {
      r = this.b.choice(p, this.text(p, s));
      this.wsMemo.set(p.id, r);
    }
    return r;
  }

  /** State of an element with no content at all at its end tag (empty text allowed). */
  emptyContent(p: Pattern): Pattern {
    let r = this.emptyMemo.get(p.id);
    if (r === undefined) {
      r = this.b.choice(p, this.text(p, ''));
      this.emptyMemo.set(p.id, r);
    }
    return r;
  }

  private textRaw(p: Pattern, s: string): Pattern {
    const b = this.b;
    switch (p.kind) {
      case 'choice':
        return b.choice(this.text(p.a, s), this.text(p.b, s));
      case 'interleave':
        return b.choice(b.interleave(this.text(p.a, s), p.b), b.interleave(p.a, this.text(p.b, s)));
      case 'group': {
        const x = b.group(this.text(p.a, s), p.b);
        return p.a.nullable ? b.choice(x, this.text(p.b, s)) : x;
      }
      case 'after':
        return b.after(this.text(p.a, s), p.b);
      case 'oneOrMore':
        return b.group(this.text(p.a, s), b.choice(p, b.empty));
      case 'text':
        return p;
      case 'value':
        return p.dt.equal(s, p.value) ? b.empty : b.notAllowed;
      case 'data':
        return p.dt.allows(s) && !(p.except && this.valueMatchExact(p.except, s)) ? b.empty : b.notAllowed;
      case 'list': {
        let q = p.a;
        for (const w of s.split(/[ \t\r\n]+/)) {
          if (w === '') continue;
          q = this.text(q, w);
          if (q.kind === 'notAllowed') break;
        }
        return q.nullable ? b.empty : b.notAllowed;
      }
      default:
        return b.notAllowed;
    }
  }

  private valueMatchExact(p: Pattern, s: string): boolean {
    return this.text(p, s).nullable;
  }

  /** Text where the content model accepts text of any value (tells "bad value" from "no text here"). */
  acceptsSomeText(p: Pattern): boolean {
    switch (p.kind) {
      case 'choice':
        return this.acceptsSomeText(p.a) || this.acceptsSomeText(p.b);
      case 'interleave':
        return this.acceptsSomeText(p.a) || this.acceptsSomeText(p.b);
      case 'group':
        return this.acceptsSomeText(p.a) || (p.a.nullable && this.acceptsSomeText(p.b));
      case 'after':
        return this.acceptsSomeText(p.a);
      case 'oneOrMore':
        return this.acceptsSomeText(p.a);
      case 'text':
      case 'value':
      case 'data':
      case 'list':
        return true;
      default:
        return false;
    }
  }

  endTag(p: Pattern, lenient = false): Pattern {
    if (!lenient) {
      let r = this.endMemo.get(p.id);
      if (r === undefined) {
        r = this.endRaw(p, false);
        this.endMemo.set(p.id, r);
      }
      return r;
    }
    return this.endRaw(p, true);
  }

  private endRaw(p: Pattern, lenient: boolean): Pattern {
    switch (p.kind) {
      case 'choice':
        return this.b.choice(this.endTag(p.a, lenient), this.endTag(p.b, lenient));
      case 'after':
        return lenient || p.a.nullable ? p.b : this.b.notAllowed;
      default:
        return this.b.notAllowed;
    }
  }
}

/** What could come next: element name classes, required attributes, end tag, text. */
export interface Expectation {
  elements: NameClass[];
  attributes: NameClass[];
  endTag: boolean;
  text: boolean;
}

/** Element name classes that can start at this point of the content (under `after` heads). */
export function expectedElements(p: Pattern, out: NameClass[] = [], seen = new Set<number>()): NameClass[] {
  if (seen.has(p.id)) return out;
  seen.add(p.id);
  switch (p.kind) {
    case 'choice':
    case 'interleave':
      expectedElements(p.a, out, seen);
      expectedElements(p.b, out, seen);
      break;
    case 'group':
      expectedElements(p.a, out, seen);
      if (p.a.nullable) expectedElements(p.b, out, seen);
      break;
    case 'after':
    case 'oneOrMore':
      expectedElements(p.a, out, seen);
      break;
    case 'element':
      out.push(p.nc);
      break;
    default:
  }
  return out;
}

/** Attributes still required (not inside an optional choice) in the head of an `after`. */
export function requiredAttributes(p: Pattern, out: NameClass[] = []): NameClass[] {
  switch (p.kind) {
    case 'after':
    case 'oneOrMore':
      requiredAttributes(p.a, out);
      break;
    case 'group':
    case 'interleave':
      requiredAttributes(p.a, out);
      requiredAttributes(p.b, out);
      break;
    case 'choice':
      // Only when every alternative needs an attribute: report the first alternative's.
      if (!p.nullable) {
        const a = requiredAttributes(p.a, []);
        const b = requiredAttributes(p.b, []);
        if (a.length && b.length) out.push(...a, ...b);
      }
      break;
    case 'attribute':
      out.push(p.nc);
      break;
    default:
  }
  return out;
}

/** Attribute value patterns for an attribute name (for "expected" of a bad value). */
export function attributeValuePatterns(p: Pattern, ns: string, local: string, out: Pattern[] = []): Pattern[] {
  switch (p.kind) {
    case 'after':
    case 'oneOrMore':
      attributeValuePatterns(p.a, ns, local, out);
      break;
    case 'group':
    case 'interleave':
    case 'choice':
      attributeValuePatterns(p.a, ns, local, out);
      attributeValuePatterns(p.b, ns, local, out);
      break;
    case 'attribute':
      if (nameClassContains(p.nc, ns, local)) out.push(p.a);
      break;
    default:
  }
  return out;
}
