/**
 * Datatypes: the RELAX NG built-ins (string, token) and the XML Schema
 * datatypes TEI schemas use, checked on their lexical form, with the facets
 * pattern, length, minLength, maxLength, min/maxInclusive, min/maxExclusive.
 * ID/IDREF/IDREFS are checked lexically only (uniqueness is a Schematron rule).
 */
export interface Datatype {
  /** Unique key (library, name, params) for interning. */
  key: string;
  name: string;
  /** What makeDatatype was called with (to make it again from a cached schema). */
  library: string;
  params: [string, string][];
  allows(s: string): boolean;
  equal(s: string, value: string): boolean;
  /** Human description for "expected". */
  describe(): string;
}

export const XSD = 'http://www.w3.org/2001/XMLSchema-datatypes';

/** Whitespace collapsed: runs of blanks to one space, then trimmed (no regular expression when there is no run). */
function collapse(s: string): string {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c === 32 && s.charCodeAt(i + 1) === 32)) return s.replace(/[ \t\r\n]+/g, ' ').trim();
  }
  return s.trim();
}

/** Only XML blanks (space, tab, CR, LF), or empty. */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}
const NAME_START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040';
const NCNAME = `[${NAME_START}][${NAME_CHAR}]*`;
const reCache = new Map<string, RegExp>();
const re = (s: string) => {
  let r = reCache.get(s);
  if (!r) reCache.set(s, (r = new RegExp(`^(?:${s})$`, 'u')));
  return r;
};

const TZ = '(Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const YEAR = '-?(?:[1-9]\\d{4,}|\\d{4})';
const MONTH = '(?:0[1-9]|1[0-2])';
const DAY = '(?:0[1-9]|[12]\\d|3[01])';
const TIME = '(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?|24:00:00(?:\\.0+)?)';

interface Lexical {
  /** Whitespace facet: preserve for string, collapse otherwise. */
  ws: 'preserve' | 'replace' | 'collapse';
  test(s: string): boolean;
  /** Value for order comparisons, if ordered. */
  order?: (s: string) => number;
  list?: boolean;
}

function validDate(y: string, m: string, d: string): boolean {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day >= 1 && day <= days;
}

const dateRe = re(`(${YEAR})-(${MONTH})-(${DAY})${TZ}`);
/** A regular expression made once, on first use. */
const once = (source: () => string) => {
  let rx: RegExp | undefined;
  return () => (rx ??= re(source()));
};
const ncName = once(() => NCNAME);
const nameRe = once(() => `[${NAME_START}:][${NAME_CHAR}:]*`);
const qName = once(() => `(?:${NCNAME}:)?${NCNAME}`);
const nmToken = once(() => `[${NAME_CHAR}:]+`);
const dateTimeRe = re(`(${YEAR})-(${MONTH})-(${DAY})T${TIME}${TZ}`);

const numeric = (s: string) => Number(s);

const LEXICAL: Record<string, Lexical> = {
  string: { ws: 'preserve', test: () => true },
  normalizedString: { ws: 'replace', test: () => true },
  token: { ws: 'collapse', test: () => true },
  anyURI: { ws: 'collapse', test: () => true },
  NCName: { ws: 'collapse', test: (s) => ncName().test(s) },
  Name: { ws: 'collapse', test: (s) => nameRe().test(s) },
  QName: { ws: 'collapse', test: (s) => qName().test(s) },
  ID: { ws: 'collapse', test: (s) => ncName().test(s) },
  IDREF: { ws: 'collapse', test: (s) => ncName().test(s) },
  IDREFS: { ws: 'collapse', test: (s) => s !== '' && s.split(' ').every((t) => ncName().test(t)), list: true },
  ENTITY: { ws: 'collapse', test: (s) => ncName().test(s) },
  NMTOKEN: { ws: 'collapse', test: (s) => nmToken().test(s) },
  NMTOKENS: { ws: 'collapse', test: (s) => s !== '' && s.split(' ').every((t) => nmToken().test(t)), list: true },
  language: { ws: 'collapse', test: (s) => /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(s) },
  boolean: { ws: 'collapse', test: (s) => /^(true|false|1|0)$/.test(s) },
  decimal: { ws: 'collapse', test: (s) => /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s), order: numeric },
  integer: { ws: 'collapse', test: (s) => /^[+-]?\d+$/.test(s), order: numeric },
  nonNegativeInteger: { ws: 'collapse', test: (s) => /^(\+?\d+|-0+)$/.test(s), order: numeric },
  positiveInteger: { ws: 'collapse', test: (s) => /^\+?\d+$/.test(s) && Number(s) > 0, order: numeric },
  nonPositiveInteger: { ws: 'collapse', test: (s) => /^(-\d+|\+?0+)$/.test(s), order: numeric },
  negativeInteger: { ws: 'collapse', test: (s) => /^-\d+$/.test(s) && Number(s) < 0, order: numeric },
  long: { ws: 'collapse', test: (s) => /^[+-]?\d+$/.test(s), order: numeric },
  int: { ws: 'collapse', test: (s) => /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) <= 2147483648, order: numeric },
  short: { ws: 'collapse', test: (s) => /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) <= 32768, order: numeric },
  unsignedInt: { ws: 'collapse', test: (s) => /^\+?\d+$/.test(s) && Number(s) <= 4294967295, order: numeric },
  double: { ws: 'collapse', test: (s) => /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NaN)$/.test(s), order: numeric },
  float: { ws: 'collapse', test: (s) => /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NaN)$/.test(s), order: numeric },
  date: {
    ws: 'collapse',
    test: (s) => {
      const m = dateRe.exec(s);
      return !!m && validDate(m[1]!, m[2]!, m[3]!);
    },
  },
  dateTime: {
    ws: 'collapse',
    test: (s) => {
      const m = dateTimeRe.exec(s);
      return !!m && validDate(m[1]!, m[2]!, m[3]!);
    },
  },
  time: { ws: 'collapse', test: (s) => re(`${TIME}${TZ}`).test(s) },
  gYear: { ws: 'collapse', test: (s) => re(`${YEAR}${TZ}`).test(s) },
  gYearMonth: { ws: 'collapse', test: (s) => re(`${YEAR}-${MONTH}${TZ}`).test(s) },
  gMonth: { ws: 'collapse', test: (s) => re(`--${MONTH}${TZ}`).test(s) },
  gMonthDay: {
    ws: 'collapse',
    test: (s) => {
      const m = re(`--(${MONTH})-(${DAY})${TZ}`).exec(s);
      return !!m && validDate('2000', m[1]!, m[2]!);
    },
  },
  gDay: { ws: 'collapse', test: (s) => re(`---${DAY}${TZ}`).test(s) },
  duration: {
    ws: 'collapse',
    test: (s) => /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(s),
  },
  base64Binary: { ws: 'collapse', test: (s) => /^[A-Za-z0-9+/= ]*$/.test(s) },
  hexBinary: { ws: 'collapse', test: (s) => /^([0-9a-fA-F]{2})*$/.test(s) },
};

/** Translates an XML Schema regular expression to a JavaScript one (implicitly anchored). */
export function xsdRegex(source: string): RegExp {
  let out = '';
  let inClass = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      i++;
      if (n === 'i') out += inClass ? `${NAME_START}:` : `[${NAME_START}:]`;
      else if (n === 'I') out += `[^${NAME_START}:]`;
      else if (n === 'c') out += inClass ? `${NAME_CHAR}:` : `[${NAME_CHAR}:]`;
      else if (n === 'C') out += `[^${NAME_CHAR}:]`;
      else if (n === 'd') out += '\\p{Nd}';
      else if (n === 'D') out += '\\P{Nd}';
      else if (n === 'w') out += inClass ? '\\p{L}\\p{M}\\p{N}\\p{S}' : '[^\\p{P}\\p{Z}\\p{C}]';
      else if (n === 'W') out += inClass ? '\\p{P}\\p{Z}\\p{C}' : '[\\p{P}\\p{Z}\\p{C}]';
      else if (n === 'p' || n === 'P') {
        const m = /^\{([^}]*)\}/.exec(source.slice(i + 1));
        const name = m?.[1] ?? '';
        i += m ? m[0].length : 0;
        const block = /^Is(.*)$/.exec(name);
        if (block) out += n === 'p' ? '[\\s\\S]' : '[^\\s\\S]'; // Unicode blocks: accepted loosely
        else out += `\\${n}{${name}}`;
      } else if (/[snrtSNRT]/.test(n)) out += '\\' + n;
      else out += `\\u{${n.codePointAt(0)!.toString(16)}}`;
      continue;
    }
    if (c === '[') inClass++;
    else if (c === ']' && inClass) inClass--;
    else if (!inClass && (c === '^' || c === '$')) {
      out += '\\' + c;
      continue;
    }
    // XSD class subtraction [a-z-[aeiou]] → lookahead is not possible inside a class; approximate.
    if (inClass && c === '-' && source[i + 1] === '[') {
      const close = source.indexOf(']', i);
      i = close;
      inClass--;
      continue;
    }
    out += c;
  }
  return new RegExp(`^(?:${out})$`, 'u');
}

export class DatatypeError extends Error {}

/** Creates a datatype; throws DatatypeError for an unknown library or type. */
export function makeDatatype(library: string, name: string, params: [string, string][]): Datatype {
  const key = `${library}#${name}${params.map(([k, v]) => `;${k}=${v}`).join('')}`;
  if (library === '' || library === 'http://relaxng.org/ns/structure/1.0') {
    if (name !== 'string' && name !== 'token') throw new DatatypeError(`unknown built-in datatype "${name}"`);
    const norm = name === 'token' ? collapse : (s: string) => s;
    return { key, name, library, params, allows: () => true, equal: (s, v) => norm(s) === norm(v), describe: () => name };
  }
  if (library !== XSD) throw new DatatypeError(`unsupported datatype library "${library}"`);
  const lex = LEXICAL[name];
  if (!lex) throw new DatatypeError(`unsupported XML Schema datatype "${name}"`);
  const norm = lex.ws === 'collapse' ? collapse : lex.ws === 'replace' ? (s: string) => s.replace(/[\t\r\n]/g, ' ') : (s: string) => s;
  const checks: ((raw: string, v: string) => boolean)[] = [];
  const descr: string[] = [];
  for (const [p, v] of params) {
    descr.push(`${p}=${v}`);
    switch (p) {
      case 'pattern': {
        const rx = xsdRegex(v);
        checks.push((_raw, s) => rx.test(s));
        break;
      }
      case 'length':
        checks.push((_r, s) => [...s].length === Number(v));
        break;
      case 'minLength':
        checks.push((_r, s) => [...s].length >= Number(v));
        break;
      case 'maxLength':
        checks.push((_r, s) => [...s].length <= Number(v));
        break;
      case 'minInclusive':
      case 'maxInclusive':
      case 'minExclusive':
      case 'maxExclusive': {
        const order = lex.order;
        if (!order) throw new DatatypeError(`facet ${p} is not supported on ${name}`);
        const bound = order(v);
        checks.push((_r, s) => {
          const x = order(s);
          return p === 'minInclusive' ? x >= bound : p === 'maxInclusive' ? x <= bound : p === 'minExclusive' ? x > bound : x < bound;
        });
        break;
      }
      default:
        throw new DatatypeError(`unsupported facet "${p}" on ${name}`);
    }
  }
  const allows = (raw: string) => {
    const s = norm(raw);
    if (!lex.test(s)) return false;
    for (const c of checks) if (!c(raw, s)) return false;
    return true;
  };
  const equal = (raw: string, v: string) => {
    if (!allows(raw)) return false;
    const a = norm(raw);
    const b = norm(v);
    if (lex.order) return lex.order(a) === lex.order(b);
    if (name === 'boolean') return (a === 'true' || a === '1') === (b === 'true' || b === '1');
    return a === b;
  };
  return { key, name, library, params, allows, equal, describe: () => (descr.length ? `${name} (${descr.join(', ')})` : name) };
}
