/**
 * End-to-end: the seed edition built to a temporary folder, served on
 * 127.0.0.1 by the preview server, read in headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core): home page and filters, search
 * to the letter's paragraph, footnotes by keyboard, a name's preview and its
 * register entry and back, the reading switch and page-break markers, pages
 * without JavaScript, no CSP violation, and axe-core (WCAG 2.1 A/AA) on
 * every kind of page. Skips with a message when Chromium is not installed.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StaticServer } from '../src/serve.ts';
import { launchOrSkip } from './helpers/browser.ts';
import { buildSeed } from './helpers/build-edition.ts';
import { serveDir } from './helpers/static-server.ts';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LETTER = 'documents/letter-1950-08-27.html';

interface AxeViolation { id: string; impact: string; help: string; nodes: { target: string[] }[] }

describe('web edition in a browser (e2e)', function () {
  this.timeout(300_000);
  let browser: Browser;
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async function () {
    browser = await launchOrSkip(this);
    const result = await buildSeed();
    server = await serveDir(result.outDir);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    if (!browser) return;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  });
  afterEach(async () => {
    await context?.close();
  });

  const url = (p: string) => server.url + p;

  it('home page lists the documents and filters them by type', async () => {
    await page.goto(url('index.html'));
    const rows = page.locator('table.documents tbody tr');
    assert.equal(await rows.count(), 5);
    const form = page.locator('form.facet-filters');
    assert.ok(await form.isVisible(), 'the reader script shows the filters');
    const letter = await page.locator('#filter-type option', { hasText: 'Letter' }).getAttribute('value');
    await page.selectOption('#filter-type', letter!);
    assert.equal(await page.locator('table.documents tbody tr:visible').count(), 1);
    assert.match((await page.locator('.filter-status').textContent())!, /1 of 5 documents/);
    await page.selectOption('#filter-type', '');
    assert.equal(await page.locator('table.documents tbody tr:visible').count(), 5);
  });

  it('searches "Gottwald" and reaches the letter’s paragraph', async () => {
    await page.goto(url('index.html'));
    await page.getByRole('navigation', { name: 'Edition' }).getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Search the documents, notes and registers').fill('Gottwald');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#search-results li');
    assert.match((await page.locator('#search-status').textContent())!, /\d+ results? for “Gottwald”/);
    assert.match(page.url(), /search\.html\?q=Gottwald$/);
    const hit = page.locator('#search-results a[href="documents/letter-1950-08-27.html#letter-1950-08-27-p1"]');
    assert.equal(await hit.count(), 1, 'the letter’s ¶2 is a result');
    await hit.click();
    await page.waitForURL(/letter-1950-08-27\.html#letter-1950-08-27-p1$/);
    const target = page.locator(':target');
    assert.equal(await target.getAttribute('id'), 'letter-1950-08-27-p1');
    assert.match((await target.textContent())!, /Pass Gottwald the following message orally/);
    // Diacritic- and case-insensitive in the browser too.
    await page.goto(url('search.html?q=GOTTWÄLD'));
    await page.waitForSelector('#search-results li');
    assert.ok(await page.locator('#search-results a[href="documents/letter-1950-08-27.html#letter-1950-08-27-p1"]').count());
  });

  it('opens and closes a footnote by keyboard', async () => {
    await page.goto(url(LETTER));
    const call = page.locator('.tei-text a.noteref').first();
    const noteId = (await call.getAttribute('href'))!.slice(1);
    assert.equal(await call.getAttribute('aria-expanded'), 'false');
    assert.equal(await call.getAttribute('aria-haspopup'), 'dialog');
    await call.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /^Note / });
    await dialog.waitFor();
    assert.equal(await call.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.note-popover') !== null), true, 'focus moves into the note');
    const noteText = (await page.locator(`[id="${noteId}"]`).textContent())!.replace('↩', '').trim().slice(0, 40);
    assert.ok((await dialog.textContent())!.includes(noteText), 'the popover shows the note');
    assert.ok(page.url().endsWith(LETTER), 'the page does not jump to the notes');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('noteref')), true, 'focus returns to the call');
    assert.equal(await call.getAttribute('aria-expanded'), 'false');
    // Again, closing with the Close button: the first stop for Tab in the note.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await dialog.getByRole('button', { name: /^Close note/ }).evaluate((b) => b === document.activeElement), true);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('noteref')), true);
  });

  it('cites a paragraph from its margin number', async () => {
    await page.goto(url(LETTER));
    const cite = page.getByRole('button', { name: 'Cite paragraph 2' });
    await cite.click();
    const dialog = page.getByRole('dialog', { name: 'Cite paragraph 2' });
    await dialog.waitFor();
    const listed = (await page.locator('.cite-passage-list [data-cite="letter-1950-08-27-p1"]').textContent())!;
    assert.equal((await dialog.locator('.passage-citation').textContent())!, listed, 'the citation the cite format gives for ¶2');
    assert.equal(await dialog.getByRole('link', { name: 'Link to ¶2' }).getAttribute('href'), '#letter-1950-08-27-p1');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await cite.evaluate((b) => b === document.activeElement), true);
  });

  it('previews a name on focus, follows it to the register and back', async () => {
    await page.goto(url(LETTER));
    const name = page.locator('.tei-text a.name-link[href="../registers/persons.html#gottwald"]').first();
    await name.focus();
    const tip = page.getByRole('tooltip');
    await tip.waitFor();
    assert.match((await tip.textContent())!, /Klement Gottwald — Czechoslovak President/);
    assert.equal(await name.getAttribute('aria-describedby'), await tip.getAttribute('id'));
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'detached' });
    await name.hover();
    await tip.waitFor();
    await name.click();
    await page.waitForURL(/registers\/persons\.html#gottwald$/);
    const entry = page.locator('#gottwald');
    assert.match((await entry.locator('h3').textContent())!, /Gottwald/);
    const back = entry.locator(`a.occurrence[href^="../${LETTER}#"]`).first();
    const href = (await back.getAttribute('href'))!;
    await back.click();
    await page.waitForURL((u) => u.href.endsWith(href.replace('../', '')));
    const fragment = href.split('#')[1]!;
    assert.match((await page.locator(`[id="${fragment}"]`).textContent())!, /Gottwald/, 'the occurrence contains the name');
    await page.goBack();
    await page.waitForURL(/persons\.html#gottwald$/);
  });

  it('switches between normalised and original readings and hides page breaks', async () => {
    await page.goto(url(LETTER));
    const orig = page.locator('.reading.orig').first();
    const reg = page.locator('.reading.reg').first();
    assert.ok(await reg.isVisible());
    assert.ok(!(await orig.isVisible()));
    await page.getByRole('radio', { name: 'as written' }).check();
    assert.ok(await orig.isVisible());
    assert.ok(!(await reg.isVisible()));
    await page.reload();
    assert.ok(await page.getByRole('radio', { name: 'as written' }).isChecked(), 'the choice is remembered');
    assert.ok(await page.locator('.reading.orig').first().isVisible());
    await page.getByRole('radio', { name: 'normalised' }).check();
    assert.ok(await page.locator('.reading.reg').first().isVisible());
    const pb = page.locator('.pb').first();
    assert.ok(await pb.isVisible());
    await page.getByRole('checkbox', { name: /page breaks/ }).uncheck();
    assert.ok(!(await pb.isVisible()));
  });

  it('works without JavaScript: notes are numbered links with back-links, facets are lists', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p = await ctx.newPage();
    try {
      await p.goto(url(LETTER));
      const call = p.locator('.tei-text a.noteref').first();
      const id = (await call.getAttribute('href'))!.slice(1);
      await call.click();
      await p.waitForURL(new RegExp(`#${id}$`));
      await p.locator(`[id="${id}"] a.note-back`).click();
      await p.waitForURL(/#noteref-/);
      assert.equal(await p.locator('.reader-controls').count(), 0);
      await p.goto(url('index.html'));
      assert.ok(!(await p.locator('form.facet-filters').isVisible()), 'the filter form stays hidden');
      await p.locator('#browse-type ~ ul summary', { hasText: 'Letter' }).click();
      assert.ok(await p.locator(`#browse-type ~ ul a[href="${LETTER}"]`).isVisible());
      await p.goto(url('search.html'));
      assert.match((await p.locator('main').textContent())!, /Searching needs JavaScript/);
    } finally {
      await ctx.close();
    }
  });

  it('prints without navigation or controls, with numbered notes and the normalised reading', async () => {
    await page.goto(url(LETTER));
    await page.getByRole('radio', { name: 'as written' }).check();
    await page.locator('.tei-text a.noteref').first().click();
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.site-header', '.reader-controls', '.note-popover', '.document-tools']) {
      assert.ok(!(await page.locator(sel).first().isVisible()), `${sel} is not printed`);
    }
    assert.ok(await page.locator('ol.footnotes li').first().isVisible(), 'notes are printed');
    assert.ok(await page.locator('.reading.reg').first().isVisible());
    assert.ok(!(await page.locator('.reading.orig').first().isVisible()));
    assert.ok(await page.locator('.pn').first().isVisible(), 'paragraph numbers are printed');
  });

  it('axe-core finds no WCAG 2.1 A/AA violation', async () => {
    const pages = ['index.html', LETTER, 'registers/persons.html', 'registers/places.html', 'registers/organisations.html',
      'registers/events.html', 'chronology.html', 'bibliography.html', 'about.html', 'search.html?q=Korean'];
    const found: string[] = [];
    for (const p of pages) {
      await page.goto(url(p));
      if (p.startsWith('search')) await page.waitForSelector('#search-results li');
      // Evaluated through the DevTools protocol, so the page's CSP stays in force.
      await page.evaluate(AXE_SOURCE);
      const violations = (await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } }).axe;
        const r = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return r.violations;
      })) as AxeViolation[];
      for (const v of violations) found.push(`${p}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }
    assert.deepEqual(found, []);
  });

  it('raised no script error and no CSP violation on any page', () => {
    assert.deepEqual(problems, []);
  });
});
