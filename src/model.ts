/**
 * The data that travels between stages: what meta.xsl extracts from each
 * document (DocMeta), the corpus-wide registry, and output files.
 */
export interface Agent { name: string; ref: string; element: string; role: string }
export interface DateInfo { value: string; when: string; from: string; to: string; cert: string; text: string }
export interface BiblFields {
  type: string; analyticTitle: string; monogrTitle: string; monogrLevel: string; titleTranslated: string; titleLang: string;
  authors: { family: string; given: string; literal: string; ref: string }[];
  editors: { family: string; given: string; literal: string; ref: string }[];
  volume: string; issue: string; pages: string; pageFrom: string; pageTo: string; date: string; dateText: string;
  publisher: string; place: string; series: string; seriesNumber: string; note: string;
  idnos: { type: string; value: string }[]; text: string;
}
export interface RegisterEntry {
  id: string;
  kind: 'person' | 'place' | 'org' | 'event' | 'bibl';
  type: string;
  names: string[];
  label: string;
  /** Sort key: @sortKey, "Surname Forename", or the label. */
  sortKey?: string;
  note: string;
  notes: string[];
  idnos: { type: string; value: string }[];
  refs: string[];
  bibl: BiblFields | Record<string, never>;
  sameAs: string[];
  parent: string;
}
export interface Passage { id: string; n: number; kind: string; page: string; text: string }
export interface NoteInfo { id: string; n: number; type: string; place: string; passage: string; text: string }
export interface Mention { refs: string[]; element: string; type: string; form: string; passage: string; note: string }
export interface DateMention { value: string; when: string; from: string; to: string; form: string; cert: string; passage: string }
export interface SourceInfo {
  hasMs: boolean; country: string; settlement: string; institution: string; repository: string; repositoryRef: string;
  /** Abbreviated repository name the encoding gives (altIdentifier[@type='abbreviated']/repository), if any. */
  repositoryAbbr?: string;
  collection: string; idnos: { type: string; value: string }[]; locus: string; locusFrom: string; locusTo: string;
  witnesses: number; bibls: { type: string; text: string; ref: string }[]; text: string;
}
export interface DocMeta {
  id: string;
  root: string;
  title: string;
  titles: { text: string; level: string; type: string }[];
  lang: string;
  isRegister: boolean;
  textType: string;
  date: DateInfo | null;
  authors: Agent[];
  editors: Agent[];
  resp: { resp: string; names: Agent[] }[];
  publisher: string;
  pubPlace: string;
  pubDate: string;
  licence: { text: string; url: string };
  series: { title: string; ids: string[] }[];
  idnos: { type: string; value: string }[];
  source: SourceInfo;
  correspondence: { type: string; persons: Agent[]; places: Agent[]; date: DateInfo | null }[];
  keywords: string[];
  entries: RegisterEntry[];
  passages: Passage[];
  notes: NoteInfo[];
  mentions: Mention[];
  dates: DateMention[];
  datelines: DateInfo[];
  pages: string[];
  /** Every xml:id in the document. */
  ids: string[];
}

/** A file the build writes, path relative to the output folder. */
/**
 * Text in pieces (see OutputFile.content), written one after the other: a list, or pieces made as
 * they are written (a register page of 10 000 letters, entry by entry: see `fillPieces` in
 * src/site/layout.ts). Writers iterate it once.
 */
export type Chunks = Iterable<string>;

export const isChunks = (content: OutputFile['content']): content is Chunks => typeof content !== 'string' && !(content instanceof Uint8Array);

/** The pieces of `items.join(separator)`, not joined. */
export function joined(items: readonly string[], separator: string): string[] {
  const out: string[] = [];
  items.forEach((item, i) => (i ? out.push(separator, item) : out.push(item)));
  return out;
}

export interface OutputFile {
  path: string;
  /**
   * The bytes, or text given in pieces that are written one after the other (`Chunks`): an
   * edition-wide file of a large corpus (the teiCorpus of 10 000 letters is 100 MB) need not be
   * made into one string, nor encoded at once.
   */
  content: string | Uint8Array | Chunks;
  /** The document it belongs to (manifest), if any. */
  doc?: string;
  /** Output kind for the manifest (`html`, `text`, `csl-json`…). */
  kind: string;
  /**
   * A hash of what its content is made from (e.g. a search shard's): a file the previous build
   * wrote at this path with the same version holds these bytes, and an incremental build keeps it
   * without reading it to compare; with another version, it is written without comparing.
   */
  version?: string;
}
