/**
 * The edition-wide part of the web edition: which pages exist (the navigation
 * lists only those), and the files: home, registers, chronology,
 * bibliography, about, search page and index, and the self-hosted assets.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../formats/types.js';
import type { OutputFile } from '../model.js';
import { KIND_PAGES } from '../stages/index.js';
import { minisearchPackage, searchFiles } from '../search/index.js';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import { ABOUT_PAGE, aboutPage, findAboutSource } from './about.js';
import { BIBLIOGRAPHY_PAGE, bibliographyPage } from './bibliography.js';
import { CHRONOLOGY_PAGE, chronologyPage } from './chronology.js';
import { homePage } from './home.js';
import { existingPages } from './layout.js';
import { entriesOfKind } from './references.js';
import { registerKinds, registerPages } from './registers.js';
import { SEARCH_PAGE, searchPage } from './search-page.js';

/** Assets copied from assets/ as they are. */
export const ASSETS = ['edition.css', 'print.css', 'edition.js', 'search.js', 'search-options.js'];

/** Pages of this build; fills `existingPages` (call in the format's setup, after indexing). */
export async function sitePages(ctx: BuildContext): Promise<string[]> {
  const pages = ['index.html', ...registerKinds(ctx).map((k) => KIND_PAGES[k].file), CHRONOLOGY_PAGE, SEARCH_PAGE];
  if (entriesOfKind(ctx.registry, 'bibl').length) pages.push(BIBLIOGRAPHY_PAGE);
  if (await findAboutSource(ctx.corpusDir)) pages.push(ABOUT_PAGE);
  existingPages.clear();
  for (const p of pages) existingPages.add(p);
  return pages;
}

/** MiniSearch's browser build (ES module), self-hosted with its licence line. */
async function minisearchAsset(): Promise<OutputFile> {
  const pkg = minisearchPackage();
  const file = path.join(pkg.root, 'dist', 'es', 'index.js');
  const code = (await readFile(file, 'utf8')).replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const header = `/*! MiniSearch ${pkg.version} — https://github.com/lucaong/minisearch — ${pkg.license} licence */\n`;
  return { path: 'assets/minisearch.js', content: header + code, kind: 'asset' };
}

/** The edition-wide pages made from the documents: home, registers, chronology, search page, bibliography. */
export async function sitePageFiles(ctx: BuildContext, options: { home?: boolean } = {}): Promise<OutputFile[]> {
  const pages = new Set(await sitePages(ctx));
  const files: OutputFile[] = [...(options.home === false ? [] : [homePage(ctx)]), ...registerPages(ctx), chronologyPage(ctx), searchPage(ctx)];
  if (pages.has(BIBLIOGRAPHY_PAGE)) files.push(bibliographyPage(ctx));
  return files;
}

/** The about page (from the edition's encoding documentation, when there is one). */
export async function aboutFiles(ctx: BuildContext): Promise<OutputFile[]> {
  const about = await findAboutSource(ctx.corpusDir);
  return about ? [await aboutPage(ctx, about)] : [];
}

/** What the about page is made from besides the corpus outline: its source (path and text). */
export async function aboutKey(ctx: BuildContext): Promise<string> {
  const about = await findAboutSource(ctx.corpusDir);
  return about ? `${about}\n${await readFile(about, 'utf8')}` : '';
}

/** The reader's assets (copied as they are, and MiniSearch's browser build). */
export async function assetFiles(): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const asset of ASSETS) {
    files.push({ path: `assets/${asset}`, content: await readFile(path.join(PACKAGE_ROOT, 'assets', asset), 'utf8'), kind: 'asset' });
  }
  files.push(await minisearchAsset());
  return files;
}

/** The assets' content (they come from the package, not the corpus). */
export async function assetsKey(): Promise<string> {
  return createHash('sha256').update(JSON.stringify(await assetFiles())).digest('hex');
}

/** Every edition-wide file of the web edition. */
export async function siteFiles(ctx: BuildContext): Promise<OutputFile[]> {
  return [...(await sitePageFiles(ctx)), ...(await searchFiles(ctx)), ...(await aboutFiles(ctx)), ...(await assetFiles())];
}
