/**
 * citeproc-js engines: one per (style, locale) for the whole process, built on
 * first use (building one compiles the style, without its sort keys: 0.1–0.2 s).
 *
 * Every call is independent of the calls before it: the same string a fresh
 * engine gives, whatever was formatted before. Each call starts from an empty
 * registry (`updateItems([])`, which also drops the disambiguation and name
 * registers and makes citeproc fetch items anew), so there is nothing to
 * disambiguate against and no earlier citation:
 * - notes: `makeCitationCluster` for the item alone, unregistered. It keeps no
 *   citation history: no "ibid", no subsequent short form, a first note every
 *   time. (Registering the item would cost as much again as rendering it.)
 * - bibliography entries: `updateItems([id])`, then `makeBibliography` over that
 *   one item. The item stays registered until the next call, so asking for the
 *   same record's entry again skips the registration.
 *
 * Engines are built without the style's sort keys (`withoutSortKeys`): a call formats
 * one item, so there is nothing to sort, and citeproc compiles each `<sort>` key's macros
 * into token lists of their own — APA 7th's two sorts are ~138 000 tokens, ~95 MB of
 * every thread's heap and ~2 s to build; without them its engine is ~2.5 MB, built in
 * 0.16 s, and gives the same strings (test/cite.test.ts compares them with citation-js's
 * own formatting of the full styles).
 *
 * Records go through citation-js's input parser and CSL clean-up first (what
 * `new Cite(record).format(…)` does), so the output is what citation-js gave.
 */
import { createRequire } from 'node:module';
import { citationJs, type CslItem } from './styles.js';

const require = createRequire(import.meta.url);

/** The parts of citeproc-js used here. */
interface CiteprocSys {
  retrieveItem(id: string): CslItem;
  retrieveLocale(lang: string): unknown;
}
interface CiteprocEngine {
  setOutputFormat(format: string): void;
  opt: { development_extensions: { wrap_url_and_doi: boolean } };
  updateItems(ids: string[], nosort?: boolean): string[];
  makeCitationCluster(items: CiteItem[]): string;
  makeBibliography(): false | [{ bibstart: string; bibend: string }, string[]];
}
interface Citeproc {
  Engine: new (sys: CiteprocSys, style: string, lang?: string, forceLang?: boolean) => CiteprocEngine;
}

/** One cite in a note: the item and, optionally, a locator with its CSL label. */
export interface CiteItem {
  id: string;
  locator?: string;
  label?: string;
}

/**
 * A CSL record as citation-js hands it to citeproc: its input parser (CSL 1.0.1
 * → 1.0.2: a `book` with a `version` becomes `software`) and then the clean-up
 * `Cite#format` applies (fields checked against the CSL schema; a type CSL does
 * not know, such as `letter`, is dropped).
 */
export function cleanItem(item: CslItem, json = JSON.stringify(item)): CslItem {
  let clean = cleaned.get(json);
  if (!clean) {
    const { input } = citationJs().plugins;
    [clean] = input.util.clean(input.chain(item, { generateGraph: false }) as CslItem[]);
    if (!clean) throw new Error(`citation-js could not read the CSL record ${item.id}`);
    cleaned.set(json, clean);
    if (cleaned.size > 32) cleaned.delete(cleaned.keys().next().value!);
  }
  return clean;
}
/** The last records cleaned (a page asks for one record in several styles); never mutated (citeproc copies what it fetches). */
const cleaned = new Map<string, CslItem>();

/** Locale XML from citation-js's registry (the same lookup its CSL plugin does). */
function retrieveLocale(lang: string): unknown {
  const locales = citationJs().plugins.config.get('@csl').locales;
  return locales.get(lang) ?? locales.get(lang.replace('-', '_')) ?? {};
}

/**
 * A CSL style without its `<sort>` elements (citation and bibliography): they order the
 * items of a cluster or a reference list, and every call here has one item. `<sort>` holds
 * only `<key>` elements and does not nest.
 */
export function withoutSortKeys(xml: string): string {
  return xml.replace(/<sort\b[^>]*\/>|<sort\b(?:[^>]*[^/])?>[\s\S]*?<\/sort\s*>/g, '');
}

/** The id a note's item gets inside the engine (never printed). */
const NOTE_ID = 'tei-edition-note';

export class StyleEngine {
  /** What `sys.retrieveItem` serves: the item of the current call. */
  readonly #items = new Map<string, CslItem>();
  readonly #engine: CiteprocEngine;
  /** JSON of the record whose item is registered (for its bibliography entry), if any. */
  #registered: string | undefined;

  constructor(style: string, locale: string) {
    const csl = citationJs().plugins.config.get('@csl');
    const xml = csl.styles.get(style);
    if (!xml) throw new Error(`CSL style "${style}" is not registered`);
    const CSL = require('citeproc') as Citeproc;
    const sys: CiteprocSys = {
      retrieveItem: (id) => {
        const item = this.#items.get(id);
        if (!item) throw new Error(`citeproc asked for an item that is not being formatted: ${id}`);
        return item;
      },
      retrieveLocale,
    };
    this.#engine = new CSL.Engine(sys, withoutSortKeys(xml), csl.locales.has(locale) ? locale : undefined, true);
    this.#engine.setOutputFormat('text');
    this.#engine.opt.development_extensions.wrap_url_and_doi = false;
  }

  /** Back to an empty registry; also makes citeproc fetch items anew (`updateItems` forgets what it loaded). */
  #clear(): void {
    this.#registered = undefined;
    this.#items.clear();
    this.#engine.updateItems([]);
  }

  /**
   * A first note citing `record` (no ibid, no short form, no disambiguation),
   * with an optional locator: `makeCitationCluster` on an empty registry.
   */
  note(record: CslItem, cite: Omit<CiteItem, 'id'> = {}): string {
    this.#clear();
    this.#items.set(NOTE_ID, { ...cleanItem(record), id: NOTE_ID });
    return this.#engine.makeCitationCluster([{ ...cite, id: NOTE_ID }]);
  }

  /** The bibliography (reference-list) entry of `record`: the one item in the registry. */
  reference(record: CslItem): string {
    const json = JSON.stringify(record);
    if (json !== this.#registered) {
      this.#clear();
      const item = cleanItem(record, json);
      this.#items.set(item.id, item);
      this.#engine.updateItems([item.id], true); // one item: no sort keys to make (the entry is the same)
      this.#registered = json;
    }
    const bib = this.#engine.makeBibliography();
    if (!bib) throw new Error('CSL style has no bibliography');
    return bib[0].bibstart + bib[1].join('') + bib[0].bibend;
  }
}

const engines = new Map<string, StyleEngine>();

/** The process's engine for a style (a citation-js template name) and locale. */
export function styleEngine(style: string, locale: string): StyleEngine {
  const key = `${style}|${locale}`;
  let engine = engines.get(key);
  if (!engine) engines.set(key, (engine = new StyleEngine(style, locale)));
  return engine;
}
