/**
 * Web edition on a real third-party corpus (../shared/corpora/schnitzler-briefe,
 * 295 letters): no broken internal link or anchor, every register entry links
 * to an occurrence, the home page lists every letter, and the static search
 * index stays under 2 MB while finding names with and without diacritics.
 * Skips with a message when ../shared is absent.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Root } from 'hast';
import { selectAll } from 'hast-util-select';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import type { BuildResult } from '../src/pipeline.ts';
import { loadSearchIndex } from '../src/search/index.ts';
import { buildSchnitzler, SCHNITZLER_CORPUS } from './helpers/build-edition.ts';
import { checkLinks } from './helpers/link-check.ts';
import { skipUnless } from './helpers/shared.ts';

const parse = (file: string): Root => unified().use(rehypeParse).parse(fs.readFileSync(file, 'utf8')) as Root;

describe('web edition (Schnitzler sample)', function () {
  this.timeout(30 * 60_000);
  let result: BuildResult;
  let out: string;

  before(async function () {
    skipUnless(this, path.join(SCHNITZLER_CORPUS, 'letters'), 'the Schnitzler corpus');
    result = await buildSchnitzler();
    out = result.outDir;
  });

  it('finds no broken internal link or anchor', () => {
    const report = checkLinks(out);
    assert.ok(report.pages > 295, `${report.pages} pages`);
    assert.ok(report.links > 10_000, `${report.links} links checked`);
    assert.deepEqual(report.problems.slice(0, 20), [], `${report.problems.length} broken links`);
  });

  it('lists every letter on the home page', () => {
    const home = parse(path.join(out, 'index.html'));
    const listed = selectAll('table.documents tbody a', home).map((a) => String(a.properties.href));
    assert.equal(listed.length, result.manifest.documents.length);
    assert.deepEqual(new Set(listed), new Set(result.manifest.documents.map((d) => `documents/${d.id}.html`)));
  });

  it('every register entry links to at least one occurrence', () => {
    let entries = 0;
    for (const reg of fs.readdirSync(path.join(out, 'registers'))) {
      for (const e of selectAll('.register-entry', parse(path.join(out, 'registers', reg)))) {
        entries++;
        assert.ok(selectAll('a.occurrence', e).length > 0, `${reg}#${String(e.properties.id)}`);
      }
    }
    assert.ok(entries > 500, `${entries} entries`);
  });

  it('lists the words of the text as forms, never the arrow of a nested name’s link', () => {
    // e.g. <rs type="event" ref="#pmb209095"><rs type="person" ref="#pmb9131">Offenbach</rs></rs> (L04142)
    for (const reg of fs.readdirSync(path.join(out, 'registers'))) {
      const html = fs.readFileSync(path.join(out, 'registers', reg), 'utf8');
      const forms = [...html.matchAll(/<p class="entry-forms">(.*?)<\/p>/g)].map((m) => m[1]!);
      assert.ok(reg !== 'persons.html' || forms.length > 100, `${reg}: ${forms.length} entries with forms`);
      for (const f of forms) assert.doesNotMatch(f, /→|\(register entry\)/, `${reg}: ${f}`);
    }
  });

  it('keeps the search index under 2 MB and finds words regardless of diacritics', async () => {
    const files = fs.readdirSync(path.join(out, 'search'));
    const size = files.reduce((n, f) => n + fs.statSync(path.join(out, 'search', f)).size, 0);
    assert.ok(size < 2 * 1024 * 1024, `search index is ${(size / 1024 / 1024).toFixed(2)} MB`);
    const { index, options, shards } = await loadSearchIndex(out);
    assert.ok(shards.length >= 2, `${shards.length} shards: the letters in groups, then the register entries`);
    const withMarks = index.search('Brüssel', options.SEARCH_OPTIONS).map((h) => h.u);
    const without = index.search('brussel', options.SEARCH_OPTIONS).map((h) => h.u);
    assert.ok(withMarks.length > 0);
    assert.deepEqual(without, withMarks);
    assert.ok(withMarks.some((u) => /^documents\/L\d+\.html#.+/.test(String(u))), 'results link to passages');
    assert.ok(index.search('grusse', options.SEARCH_OPTIONS).length > 0, '“grusse” finds “Grüße”');
  });
});
