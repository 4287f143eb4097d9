/**
 * Edition configuration: defaults < `edition.config.json` at the corpus root < CLI flags.
 * Every field has a default, so no config file is needed for a first build.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const FORMATS = ['html', 'text', 'cite', 'print', 'exchange'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface EditionConfig {
  /** Edition title, shown on every page and in citations as the container title. */
  title: string;
  subtitle?: string;
  /** Id of a document shown as the introduction on the home page. */
  introduction?: string;
  /** Editors of the edition, "Family, Given" or display form. */
  editors: string[];
  publisher: string;
  /** Place of publication, if any. */
  publisherPlace?: string;
  /** Absolute base URL where the edition is published ('' = unknown: citations carry no URL). */
  baseUrl: string;
  licence: { label: string; url?: string };
  /** Default language (BCP 47) of the edition's own text. */
  language: string;
  /** Output formats to build. */
  formats: FormatName[];
  /** Edition version, used in citations. */
  version: string;
  /** Page size of the print edition. */
  pageSize: 'A4' | 'Letter';
  /** RELAX NG schema for validation (path relative to the corpus root); default: the edition's own. */
  schema?: string;
  /** Extra ISO Schematron files. */
  rules: string[];
  /** XPath (tei prefix bound) whose matches become separate edition documents. */
  split?: string;
  /** Contact address of the edition's OAI-PMH static repository (exchange/oai-pmh.xml needs it). */
  adminEmail?: string;
  /** Report warnings as errors. */
  strict: boolean;
  /** Largest accepted input file in bytes. */
  maxFileSize: number;
  /** Deepest accepted element nesting. */
  maxDepth: number;
}

export const DEFAULT_CONFIG: EditionConfig = {
  title: 'TEI Edition',
  editors: [],
  publisher: '',
  baseUrl: '',
  licence: { label: 'All rights reserved' },
  language: 'en',
  formats: ['html', 'text', 'cite', 'print', 'exchange'],
  version: '1.0',
  pageSize: 'A4',
  rules: [],
  strict: false,
  maxFileSize: 50 * 1024 * 1024,
  maxDepth: 256,
};

export const CONFIG_FILE = 'edition.config.json';

export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Loads `edition.config.json` from the corpus root (if any) and merges it over the defaults. */
export async function loadConfig(corpusDir: string, overrides: Partial<EditionConfig> = {}): Promise<EditionConfig> {
  let fromFile: Partial<EditionConfig> = {};
  const file = path.join(corpusDir, CONFIG_FILE);
  let raw: string | undefined;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    raw = undefined;
  }
  if (raw !== undefined) {
    try {
      fromFile = JSON.parse(raw) as Partial<EditionConfig>;
    } catch (error) {
      throw new ConfigError(`${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
      throw new ConfigError(`${file}: expected a JSON object`);
    }
  }
  const merged: EditionConfig = { ...DEFAULT_CONFIG, ...stripUndefined(fromFile), ...stripUndefined(overrides) };
  for (const f of merged.formats) {
    if (!(FORMATS as readonly string[]).includes(f)) {
      throw new ConfigError(`unknown output format "${f}" (known: ${FORMATS.join(', ')})`);
    }
  }
  if (merged.baseUrl && !/^https?:\/\//.test(merged.baseUrl)) {
    throw new ConfigError(`baseUrl must be an absolute http(s) URL, got "${merged.baseUrl}"`);
  }
  if (merged.baseUrl && !merged.baseUrl.endsWith('/')) merged.baseUrl += '/';
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
