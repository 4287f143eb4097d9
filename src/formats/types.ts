/**
 * An output format is a plugin: the XSLT entry stylesheets it needs run on
 * each document in the worker; then `document()` turns their results into
 * files, and `corpus()` writes the edition-wide files. Formats talk to each
 * other only through the shared hooks on the BuildContext (e.g. the citation
 * format adds a "Cite this" panel and meta tags to every web page).
 */
import type { Element, ElementContent } from 'hast';
import type { VFileMessage } from 'vfile-message';
import type { EditionConfig, FormatName } from '../config.js';
import type { DocMeta, OutputFile } from '../model.js';
import type { Registry } from '../stages/index.js';

export interface BuiltDocument {
  id: string;
  /** Absolute path of the TEI source. */
  file: string;
  displayPath: string;
  meta: DocMeta;
  /** Serialized principal result per stylesheet (relative to xslt/). */
  outputs: Record<string, string>;
  /** Secondary result documents, keyed "stylesheet:href". */
  results: Record<string, string>;
  /** The (safe, DTD-free) TEI text, when a format asked for it. */
  text?: string;
  /**
   * Hash of what `meta` and the outputs were made from (the build cache's entry key: the file's
   * bytes and path, the stylesheets, the config), when the pipeline knows it: edition-wide
   * parts key derived files by it instead of hashing the metadata again (e.g. the search shards).
   */
  key?: string;
  /**
   * The metadata with the texts of its passages and notes, when `meta` has them empty: a pipeline
   * build keeps every document's metadata in memory for the whole build but those texts in the
   * build cache (src/cache.ts `withoutTexts`). Read them through `withTexts`.
   */
  fullMeta?: () => DocMeta;
}

/** A document's metadata with the texts of its passages and notes (what parts that index words read). */
export function withTexts(doc: BuiltDocument): DocMeta {
  return doc.fullMeta?.() ?? doc.meta;
}

export interface Hooks {
  /** Extra <head> elements for a document page. */
  documentHead: ((doc: BuiltDocument, pagePath: string) => Element[])[];
  /** Extra content after the document's text (e.g. "Cite this"). */
  documentAside: ((doc: BuiltDocument, pagePath: string) => ElementContent[])[];
  /** Extra header lines for the plain-text edition (e.g. "How to cite"). */
  textHeader: ((doc: BuiltDocument) => string[])[];
}

/**
 * What `document()` may return besides its files: `data`, the document's
 * contribution to the format's edition-wide files (JSON-serialisable). The
 * pipeline keeps it with the document's render record (in the build cache, on
 * disk), so `corpus()` reads every document's contribution through
 * `ctx.contributions()` — also those of documents an incremental build carried
 * over — without holding them all in memory.
 */
export interface DocumentOutput {
  files: OutputFile[];
  data?: unknown;
}

export interface BuildContext {
  config: EditionConfig;
  corpusDir: string;
  registry: Registry;
  /** Documents that built, in edition order (by date). */
  documents: BuiltDocument[];
  hooks: Hooks;
  /** Report a problem found while writing outputs. */
  report(message: VFileMessage): void;
  /** Formats enabled in this build. */
  formats: Set<FormatName>;
  /**
   * The `data` each built document's `document()` gave for a format, in edition
   * order, read one at a time (available in `corpus()`).
   */
  contributions?(format: FormatName): Iterable<{ doc: BuiltDocument; data: unknown }>;
  /** One document's contribution to a format (available in `corpus()`). */
  contribution?(format: FormatName, docId: string): unknown;
  /**
   * A derived text kept in the build cache under `key` (a hash of everything it is made
   * from): made once, then read back in later builds (available in `corpus()`).
   */
  memo?(key: string, make: () => Promise<string>): Promise<string>;
  /**
   * The file holding the derived text kept under `key`, when there is one (it then counts as used, as
   * with `memo`): a part can give it as an output whose content is read only if the file is written
   * (`memoOutput` in src/cache.ts), e.g. a search shard an incremental build keeps as it is.
   */
  memoFile?(key: string): string | undefined;
  /** Worker threads an edition-wide part may use for work of its own (the build's `--jobs`; default 1). */
  jobs?: number;
  /** The build is one of a session (a watcher's): a part may keep in memory what it made, for the next build. */
  session?: boolean;
  /** This build of a session (a watcher's), as a token for `changedSince`. */
  build?: object;
  /**
   * In `corpus()` parts of a session's build: the documents changed (metadata or contributions) since an
   * earlier build of the session (its `build`), when every build since had the documents of the one
   * before (the same ids, files and order) but for some; undefined when that is not known. What a part
   * kept from that build it may then update for these documents alone.
   */
  changedSince?(build: object): ReadonlySet<string> | undefined;
}

/**
 * One group of a format's edition-wide files, with what it is made from, so
 * that an incremental build makes it again only when that changed (otherwise
 * its files are carried over). Every part may read the config, the enabled
 * formats and pages and the corpus outline (src/cache.ts `interfaceDigest`:
 * headers, register entries and files, ids and numbers of passages and notes);
 * `reads` names what else: `mentions` (every document's mentions, dates and
 * datelines), `documents` (every document's content: passage and note text,
 * contributions) and `data:<format>` (the documents' contributions to that
 * format, by content: a part that reads only those is kept when an edit leaves
 * every contribution as it was). `key` adds anything else (e.g. a file outside the
 * corpus documents).
 */
export interface CorpusPart {
  name: string;
  reads: ('mentions' | 'documents' | `data:${FormatName}`)[];
  key?(ctx: BuildContext): string | Promise<string>;
  files(ctx: BuildContext): OutputFile[] | Promise<OutputFile[]>;
}

export interface Format {
  name: FormatName;
  /** Entry stylesheets run per document (relative to xslt/). */
  stylesheets?: string[];
  /** Needs the TEI text of each document (exports). */
  needsText?: boolean;
  /**
   * `document()` is a pure function of the document and the corpus outline
   * (src/cache.ts `interfaceDigest`: config, pages, register entries, every
   * document's ids/titles/dates/passage ids — not other documents' text) and
   * keeps no state for `corpus()`. An incremental build then carries an
   * unchanged document's files of this format over without calling it.
   */
  pureDocument?: boolean;
  /** Register hooks before documents are written. */
  setup?(ctx: BuildContext): void | Promise<void>;
  /**
   * Loads, on the build's thread, what rendering a document here needs (stylesheets, citation
   * styles) and gives nothing: a watcher calls it once idle after its first build, so that the first
   * save does not wait for it (src/pipeline.ts BuildSession.warmUp).
   */
  warmUp?(ctx: BuildContext): void | Promise<void>;
  /**
   * Called once the documents and the registry are known, before any document is rendered: begins,
   * on threads of its own, work of the edition-wide parts that needs the documents' metadata only
   * (a watcher's save: the search shard of the edited letter), which the parts then take. Gives nothing.
   */
  prepare?(ctx: BuildContext): void;
  /**
   * A watcher's build that transforms a few edited documents, with a second core, gives their files and
   * texts here first: the format may begin, on a thread of its own, the part of its `document()` that
   * needs no more than the text and what the last build gave (e.g. the exchange format's export, with the
   * last build's context), and take it in `document()` if what it was made from is still so. Gives nothing.
   */
  ahead?(sources: { file: string; text: string }[], config: EditionConfig): void;
  document?(doc: BuiltDocument, ctx: BuildContext): OutputFile[] | DocumentOutput | Promise<OutputFile[] | DocumentOutput>;
  /** Edition-wide files; made again on every build that changed any document. Prefer `corpusParts`. */
  corpus?(ctx: BuildContext): OutputFile[] | Promise<OutputFile[]>;
  /** Edition-wide files in parts with declared inputs (instead of `corpus`). */
  corpusParts?: CorpusPart[];
}
