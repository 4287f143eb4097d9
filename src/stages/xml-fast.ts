/**
 * A fast path for the load stage's well-formedness pass: a tokenizer for the
 * plain XML that corpora are made of (ASCII names, LF line ends, no CDATA),
 * which gives exactly the
 * events saxes gives (`xmlns: true, position: true`), with the same `line` and
 * `column` at each event, at a fraction of saxes' cost: it finds markup with
 * `indexOf` instead of reading one character at a time, and computes a
 * position only when one is asked for.
 *
 * It never reports an error: on anything outside that subset, or anything
 * saxes would reject, `parse` returns false (possibly after some events) and
 * the caller parses the text again with saxes, which gives the messages. So a
 * document is accepted here only if saxes accepts it too, with the same events.
 */
import type { SaxesAttributeNS, SaxesStartTagNS, SaxesTagNS } from 'saxes';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** 1: may start a name (ASCII letters, `_`); 2: may continue one (also digits, `.`, `-`). */
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) NAME[c] = 3;
  else if (/[0-9.-]/.test(ch)) NAME[c] = 2;
}

/** Characters XML 1.0 forbids, and CR (saxes normalises it: lines and columns would differ). */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED = /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ufffe\uffff]/;
const XML_DECL = /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isSpace = (c: number) => c === 32 || c === 10 || c === 9;

function isChar(n: number): boolean {
  return n === 9 || n === 10 || n === 13 || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
}

/** One reference `&…;` as saxes resolves it, or undefined where saxes would fail. */
function reference(entity: string): string | undefined {
  if (entity.charCodeAt(0) !== 35 /* # */) return PREDEFINED[entity];
  let n = NaN;
  if (entity.charCodeAt(1) === 120 /* x */ && /^#x[0-9a-f]+$/i.test(entity)) n = parseInt(entity.slice(2), 16);
  else if (/^#[0-9]+$/.test(entity)) n = parseInt(entity.slice(1), 10);
  return isChar(n) ? String.fromCodePoint(n) : undefined;
}

/**
 * `s[start, end)` with its references resolved; tabs and line feeds of the
 * text itself become spaces in an attribute value (not those from references).
 * Undefined where saxes would fail.
 */
function resolveRefs(s: string, start: number, end: number, attribute: boolean): string | undefined {
  let out = '';
  let i = start;
  for (;;) {
    const amp = s.indexOf('&', i);
    const stop = amp < 0 || amp >= end ? end : amp;
    const raw = s.slice(i, stop);
    out += attribute ? raw.replace(/[\t\n]/g, ' ') : raw;
    if (stop === end) return out;
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi >= end) return undefined;
    const r = reference(s.slice(amp + 1, semi));
    if (r === undefined) return undefined;
    out += r;
    i = semi + 1;
  }
}

type Tag = SaxesTagNS & { ns: Record<string, string> };

/** The namespace declarations of a tag that declares none (never written to). */
const NO_NAMESPACES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

interface Handlers {
  opentagstart?: (tag: SaxesStartTagNS) => void;
  attribute?: (attr: SaxesAttributeNS) => void;
  text?: (text: string) => void;
  comment?: (text: string) => void;
  processinginstruction?: (pi: { target: string; body: string }) => void;
  opentag?: (tag: SaxesTagNS) => void;
  closetag?: (tag: SaxesTagNS) => void;
}

/** What `parse` met that it leaves to saxes. */
class Unsupported {}
const UNSUPPORTED_HERE = new Unsupported();

export class FastXmlParser {
  private h: Handlers = {};
  private text = '';
  /** Index just after the last character saxes would have read at the current event. */
  private offset = 0;
  private syncedLine = 1;
  private lineStart = 0;
  private nextNewline = -1;

  on<K extends keyof Handlers>(event: K, handler: NonNullable<Handlers[K]>): this {
    this.h[event] = handler as Handlers[K];
    return this;
  }

  /** saxes' `line` at the current event (1-based). */
  get line(): number {
    this.sync();
    return this.syncedLine;
  }

  /** saxes' `column` at the current event: characters (code points) read on the current line. */
  get column(): number {
    this.sync();
    const units = this.offset - this.lineStart;
    if (!this.astral) return units;
    // A character outside the Basic Multilingual Plane is two UTF-16 units, one column.
    let pairs = 0;
    const t = this.text;
    for (let i = this.lineStart; i < this.offset; i++) {
      const c = t.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) pairs++;
    }
    return units - pairs;
  }

  /** The text has characters outside the Basic Multilingual Plane (surrogate pairs). */
  private astral = false;

  private sync(): void {
    const o = this.offset;
    let nl = this.nextNewline;
    if (nl < 0 || nl >= o) return;
    const t = this.text;
    let line = this.syncedLine;
    while (nl >= 0 && nl < o) {
      line++;
      this.lineStart = nl + 1;
      nl = t.indexOf('\n', nl + 1);
    }
    this.syncedLine = line;
    this.nextNewline = nl;
  }

  /**
   * Parses the whole text, calling the handlers as saxes would. False when the
   * text needs saxes (some events may have been given already); errors thrown
   * by handlers propagate.
   */
  parse(text: string): boolean {
    this.text = text;
    this.offset = 0;
    this.syncedLine = 1;
    this.lineStart = 0;
    this.nextNewline = text.indexOf('\n');
    this.stack = [];
    this.scopes = [];
    this.closedRoot = false;
    this.nextAmp = -2;
    this.nextCdataEnd = -2;
    if (UNSUPPORTED.test(text) || text.charCodeAt(0) === 0xfeff) return false;
    this.astral = /[\ud800-\udfff]/.test(text);
    // A surrogate without its other half is not a character (saxes rejects it).
    if (this.astral && !(text as string & { isWellFormed(): boolean }).isWellFormed()) return false;
    try {
      this.run(text);
      return true;
    } catch (error) {
      if (error === UNSUPPORTED_HERE) return false;
      throw error;
    }
  }

  // Parser state (small methods, so that each is optimised early: one big
  // function took V8 longer to compile than the whole corpus takes to parse).
  private stack: Tag[] = [];
  /** Namespace declarations in force: depth of the element, its declarations. */
  private scopes: { depth: number; ns: Record<string, string> }[] = [];
  private closedRoot = false;
  private nextAmp = -2;
  private nextCdataEnd = -2;

  private fail(): never {
    throw UNSUPPORTED_HERE;
  }

  /** End of the name starting at `i` (ASCII NCName, optionally `prefix:local`), or fails. */
  private name(t: string, i: number): number {
    if (!(NAME[t.charCodeAt(i)]! & 1)) this.fail();
    let j = i + 1;
    let c = t.charCodeAt(j);
    while (c < 128 && NAME[c]! & 2) c = t.charCodeAt(++j);
    if (c === 58 /* : */) {
      if (!(NAME[t.charCodeAt(j + 1)]! & 1)) this.fail();
      j += 2;
      c = t.charCodeAt(j);
      while (c < 128 && NAME[c]! & 2) c = t.charCodeAt(++j);
    }
    // Anything else that saxes could take for a name character (a second colon, non-ASCII) is left to it.
    if (c === 58 || c >= 128) this.fail();
    return j;
  }

  private resolve(prefix: string): string | undefined {
    const scopes = this.scopes;
    for (let k = scopes.length - 1; k >= 0; k--) {
      const uri = scopes[k]!.ns[prefix];
      if (uri !== undefined) return uri;
    }
    return prefix === 'xml' ? XML_NS : prefix === 'xmlns' ? XMLNS_NS : undefined;
  }

  private run(t: string): void {
    const n = t.length;
    let i = 0;
    if (t.startsWith('<?xml', 0) && (isSpace(t.charCodeAt(5)) || t.charCodeAt(5) === 63)) {
      XML_DECL.lastIndex = 0;
      if (!XML_DECL.test(t)) this.fail();
      i = XML_DECL.lastIndex; // saxes gives no event for the declaration
    } else {
      while (i < n && isSpace(t.charCodeAt(i))) i++; // leading white space: no event
    }
    let sawRoot = false;
    for (;;) {
      const lt = t.indexOf('<', i);
      const end = lt < 0 ? n : lt;
      if (end > i) this.chars(t, i, end);
      if (lt < 0) break;
      const c = t.charCodeAt(lt + 1);
      if (c === 47 /* / */) i = this.endTag(t, lt);
      else if (c === 33 /* ! */) i = this.comment(t, lt);
      else if (c === 63 /* ? */) i = this.pi(t, lt);
      else {
        i = this.startTag(t, lt);
        sawRoot = true;
      }
    }
    if (!sawRoot || this.stack.length) this.fail();
  }

  /** Character data [i, end), reported at the '<' after it (or at the end). */
  private chars(t: string, i: number, end: number): void {
    const h = this.h;
    if (this.stack.length === 0) {
      for (let k = i; k < end; k++) if (!isSpace(t.charCodeAt(k))) this.fail(); // text outside the root
      this.offset = end === t.length ? end : end + 1;
      h.text?.(t.slice(i, end));
      return;
    }
    if (this.nextCdataEnd !== -1 && this.nextCdataEnd < i) this.nextCdataEnd = t.indexOf(']]>', i);
    if (this.nextCdataEnd !== -1 && this.nextCdataEnd + 2 < end) this.fail();
    if (this.nextAmp !== -1 && this.nextAmp < i) this.nextAmp = t.indexOf('&', i);
    let s: string | undefined;
    if (this.nextAmp === -1 || this.nextAmp >= end) s = t.slice(i, end);
    else if ((s = resolveRefs(t, i, end, false)) === undefined) this.fail();
    this.offset = end === t.length ? end : end + 1;
    h.text?.(s);
  }

  private endTag(t: string, lt: number): number {
    const stack = this.stack;
    const tag = stack[stack.length - 1];
    if (!tag || !t.startsWith(tag.name, lt + 2)) this.fail();
    let j = lt + 2 + tag.name.length;
    while (isSpace(t.charCodeAt(j))) j++;
    if (t.charCodeAt(j) !== 62 /* > */) this.fail();
    stack.pop();
    const scopes = this.scopes;
    if (scopes.length && scopes[scopes.length - 1]!.depth === stack.length) scopes.pop();
    if (!stack.length) this.closedRoot = true;
    this.offset = j + 1;
    this.h.closetag?.(tag);
    return j + 1;
  }

  private comment(t: string, lt: number): number {
    if (!t.startsWith('--', lt + 2)) this.fail(); // CDATA sections, DOCTYPE: saxes
    const dashes = t.indexOf('--', lt + 4);
    if (dashes < 0 || t.charCodeAt(dashes + 2) !== 62) this.fail();
    this.offset = dashes + 2; // saxes reports the comment at its "--"
    this.h.comment?.(t.slice(lt + 4, dashes));
    return dashes + 3;
  }

  private pi(t: string, lt: number): number {
    const targetEnd = this.name(t, lt + 2);
    const target = t.slice(lt + 2, targetEnd);
    if (target.toLowerCase() === 'xml' || target.includes(':')) this.fail();
    const close = t.indexOf('?>', targetEnd);
    if (close < 0) this.fail();
    let body = '';
    if (close !== targetEnd) {
      if (!isSpace(t.charCodeAt(targetEnd))) this.fail();
      let b = targetEnd;
      while (b < close && isSpace(t.charCodeAt(b))) b++;
      body = t.slice(b, close);
    }
    this.offset = close + 2;
    this.h.processinginstruction?.({ target, body });
    return close + 2;
  }

  private startTag(t: string, lt: number): number {
    if (this.closedRoot) this.fail();
    const h = this.h;
    const nameEnd = this.name(t, lt + 1);
    const name = t.slice(lt + 1, nameEnd);
    const d = t.charCodeAt(nameEnd);
    if (!(d === 62 || d === 47 || isSpace(d))) this.fail();
    // `attributes` as a plain object (saxes makes one without a prototype: a slower dictionary; the
    // name __proto__ is left to saxes); `ns` is shared until the tag declares a namespace.
    const tag = { name, attributes: {}, ns: NO_NAMESPACES } as Tag;
    this.offset = nameEnd + 1;
    h.opentagstart?.(tag as SaxesStartTagNS);
    // A '<' before the tag's end is an error wherever it is; attribute values may hold '>'.
    const nextLt = t.indexOf('<', nameEnd);
    const limit = nextLt < 0 ? t.length : nextLt;
    const attrs: SaxesAttributeNS[] = [];
    let declares = false;
    let j = nameEnd;
    let selfClosing = false;
    for (;;) {
      const before = j;
      while (isSpace(t.charCodeAt(j))) j++;
      const c = t.charCodeAt(j);
      if (c === 62 /* > */) break;
      if (c === 47 /* / */) {
        if (t.charCodeAt(j + 1) !== 62) this.fail();
        selfClosing = true;
        j++;
        break;
      }
      if (j === before) this.fail(); // an attribute needs white space before it
      j = this.attribute(t, j, limit, attrs);
      const attr = attrs[attrs.length - 1]!;
      if (attr.prefix === 'xmlns' || attr.name === 'xmlns') {
        this.declare(tag, attr);
        declares = true;
      }
    }
    if (j >= limit) this.fail();
    this.namespaces(tag, attrs, declares);
    tag.isSelfClosing = selfClosing;
    this.offset = j + 1;
    const stack = this.stack;
    stack.push(tag);
    h.opentag?.(tag);
    if (selfClosing) {
      stack.pop();
      if (declares) this.scopes.pop();
      if (!stack.length) this.closedRoot = true;
      h.closetag?.(tag);
    }
    return j + 1;
  }

  /** The attribute starting at `an`; returns the index after its value. */
  private attribute(t: string, an: number, limit: number, attrs: SaxesAttributeNS[]): number {
    const anEnd = this.name(t, an);
    let k = anEnd;
    while (isSpace(t.charCodeAt(k))) k++;
    if (t.charCodeAt(k) !== 61 /* = */) this.fail();
    k++;
    while (isSpace(t.charCodeAt(k))) k++;
    const q = t.charCodeAt(k);
    if (q !== 34 && q !== 39) this.fail();
    const vEnd = t.indexOf(q === 34 ? '"' : "'", k + 1);
    if (vEnd < 0 || vEnd >= limit) this.fail();
    let value = t.slice(k + 1, vEnd);
    for (let m = 0; m < value.length; m++) {
      const vc = value.charCodeAt(m);
      if (vc === 38 || vc === 9 || vc === 10) {
        const r = resolveRefs(t, k + 1, vEnd, true);
        if (r === undefined) this.fail();
        value = r;
        break;
      }
    }
    const aname = t.slice(an, anEnd);
    if (aname === '__proto__') this.fail();
    const colon = aname.indexOf(':');
    const attr = { name: aname, prefix: colon < 0 ? '' : aname.slice(0, colon), local: colon < 0 ? aname : aname.slice(colon + 1), value } as SaxesAttributeNS;
    attrs.push(attr);
    this.offset = vEnd + 1;
    this.h.attribute?.(attr);
    return vEnd + 1;
  }

  /** A namespace declaration (saxes' pushAttribNS). */
  private declare(tag: Tag, attr: SaxesAttributeNS): void {
    const uri = attr.value.trim();
    const prefix = attr.prefix === 'xmlns' ? attr.local : '';
    // Undeclaring a prefix, or anything to do with the xml and xmlns prefixes and names: saxes decides.
    if ((prefix && !uri) || prefix === 'xml' || prefix === 'xmlns' || uri === XML_NS || uri === XMLNS_NS) this.fail();
    if (tag.ns === NO_NAMESPACES) tag.ns = Object.create(null) as Record<string, string>;
    tag.ns[prefix] = uri;
  }

  /** Namespaces of the tag and its attributes, duplicate attributes (saxes' processAttribsNS). */
  private namespaces(tag: Tag, attrs: SaxesAttributeNS[], declares: boolean): void {
    if (declares) this.scopes.push({ depth: this.stack.length, ns: tag.ns });
    const name = tag.name;
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    tag.prefix = prefix;
    tag.local = colon < 0 ? name : name.slice(colon + 1);
    const uri = this.resolve(prefix);
    if (prefix !== '' && (prefix === 'xmlns' || !uri)) this.fail();
    tag.uri = uri ?? '';
    for (let a = 0; a < attrs.length; a++) {
      const attr = attrs[a]!;
      let auri: string | undefined;
      if (attr.prefix === '') auri = attr.name === 'xmlns' ? XMLNS_NS : '';
      else if ((auri = this.resolve(attr.prefix)) === undefined) this.fail();
      attr.uri = auri;
      for (let b = 0; b < a; b++) {
        const other = attrs[b]!;
        // saxes compares `name` for unprefixed attributes, `{uri}local` for prefixed ones.
        if (attr.prefix === '' ? other.prefix === '' && other.name === attr.name : other.prefix !== '' && other.uri === auri && other.local === attr.local) this.fail();
      }
      tag.attributes[attr.name] = attr;
    }
  }
}
