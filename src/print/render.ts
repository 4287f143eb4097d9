/**
 * PDF rendering: paged-media HTML → Paged.js (loaded from node_modules into
 * the page, no network) → headless Chromium's PDF printer → deterministic
 * metadata (pdf-lib). One browser serves every PDF of a build; each PDF gets
 * a fresh page that is closed afterwards, so memory stays bounded by the
 * largest single PDF.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { PACKAGE_ROOT } from '../xslt/sef.js';
import { stabilisePdf } from './pdf-meta.js';

const require = createRequire(import.meta.url);

/** Paged.js's browser build, from node_modules (its package exports do not list the file). */
export function pagedJsPath(): string {
  return path.join(path.dirname(path.dirname(require.resolve('pagedjs'))), 'dist', 'paged.js');
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The Chromium binary: $TEI_EDITION_CHROMIUM when set (and only that), else Debian's /usr/bin/chromium. */
export function chromiumPath(): string | undefined {
  const wanted = process.env.TEI_EDITION_CHROMIUM;
  const candidates = wanted ? [wanted] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => existsSync(p));
}

export const INSTALL_HINT = 'install Chromium to get the PDF edition (Debian/Ubuntu: apt-get install chromium fonts-noto-core)';

export interface NoteProblem {
  /** "<doc id> <note number>" */
  key: string;
  callPage: number;
  notePage: number;
  reason: 'missing' | 'not-floated' | 'other-page';
}

export interface RenderResult {
  pdf: Uint8Array;
  pages: number;
  notes: number;
  problems: NoteProblem[];
  /** Index entries whose mentions were not found on any page. */
  unresolved: string[];
}

interface PageReport { pages?: number; notes?: number; problems?: NoteProblem[]; unresolved?: string[]; error?: string }

export class PdfRenderer {
  private browser?: Promise<Browser>;
  constructor(private readonly executablePath: string, private readonly timeoutMs = 30 * 60_000) {}

  private launch(): Promise<Browser> {
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS, headless: true }),
    );
    return this.browser;
  }

  /** Renders one HTML page to PDF; `fixedDate` makes the PDF's dates and id deterministic. */
  async render(html: string, meta: { title: string; fixedDate: Date; id: string }): Promise<RenderResult> {
    const browser = await this.launch();
    const context = await browser.newContext({ javaScriptEnabled: true, offline: true });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(this.timeoutMs);
      // Nothing leaves the machine: the page is self-contained (inline CSS, local scripts, system fonts).
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(html, { waitUntil: 'load' });
      await page.addScriptTag({ path: path.join(PACKAGE_ROOT, 'assets', 'print', 'deterministic.js') });
      await page.addScriptTag({ path: pagedJsPath() });
      await page.addScriptTag({ path: path.join(PACKAGE_ROOT, 'assets', 'print', 'paged-runner.js') });
      const report = (await page.evaluate('window.__teResult')) as PageReport;
      if (report.error) throw new Error(`paged-media layout failed: ${report.error.split('\n')[0]}`);
      const raw = await page.pdf({ preferCSSPageSize: true, printBackground: true, displayHeaderFooter: false, tagged: true, outline: true });
      const pdf = await stabilisePdf(raw, meta);
      return { pdf, pages: report.pages ?? 0, notes: report.notes ?? 0, problems: report.problems ?? [], unresolved: report.unresolved ?? [] };
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close();
  }
}
