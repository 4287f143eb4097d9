/**
 * Smoke test over a corpus nobody here wrote: all 295 Schnitzler letters
 * (../shared/corpora/schnitzler-briefe; none strictly valid) build to HTML and
 * text without throwing; the manifest is complete; #pmb… and bare pmb…
 * references resolve against each letter's own lists and indices/listplace.xml.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildResult } from '../src/pipeline.js';
import { buildSchnitzler } from './helpers/build-edition.js';
import { findAll, findElement, parseHtml } from './helpers/html.js';
import { SCHNITZLER, skipUnless } from './helpers/shared.js';

describe('Schnitzler sample (295 real letters)', function () {
  let out: string;
  let result: BuildResult;
  before(async function () {
    this.timeout(20 * 60_000); // 295 documents; a few minutes on a busy 2-core machine
    skipUnless(this, SCHNITZLER, 'the Schnitzler corpus');
    // Shared with the other tests of the sample (built once per test run: HTML and text, no validation).
    result = await buildSchnitzler();
    out = result.outDir;
  });

  it('builds every letter (HTML and text), none fails', () => {
    const letters = readdirSync(path.join(SCHNITZLER, 'letters')).filter((f) => f.endsWith('.xml'));
    assert.equal(letters.length, 295);
    assert.equal(result.failed, 0, result.messages.filter((m) => m.fatal).map(String).join('\n'));
    assert.equal(result.documents, 295);
    assert.equal(result.errors, 0);
  });

  it('writes a complete manifest: one entry per letter, every listed file exists', async () => {
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as BuildResult['manifest'];
    assert.equal(manifest.documents.length, 295);
    const sources = new Set(manifest.documents.map((d) => d.source));
    assert.equal(sources.size, 295);
    for (const d of manifest.documents) {
      assert.ok(d.title, `${d.id} has a title`);
      assert.equal(typeof d.outputs.html, 'string');
      assert.equal(typeof d.outputs.text, 'string');
      for (const f of Object.values(d.outputs).flat()) assert.ok(existsSync(path.join(out, f)), `${f} exists`);
    }
    for (const f of manifest.files) assert.ok(existsSync(path.join(out, f)), `${f} exists`);
  });

  it('resolves #pmb references against the letter’s own lists', async () => {
    const page = parseHtml(await readFile(path.join(out, 'documents', 'L00016.html'), 'utf8'));
    const links = findAll(page, (e) => e.tagName === 'a' && String(e.properties.href ?? '').includes('registers/'));
    const hrefs = links.map((a) => String(a.properties.href));
    assert.ok(hrefs.includes('../registers/persons.html#pmb10863'), 'Beer-Hofmann links to his register entry');
    assert.ok(hrefs.includes('../registers/places.html#pmb50'), 'Wien links to the place register');
    // Every name with a reference became a link (none left as an unresolved span).
    const unresolved = result.messages.filter((m) => m.ruleId === 'ref-unresolved' && /"#?pmb/.test(m.reason) && String(m.file).endsWith('L00016.xml'));
    assert.deepEqual(unresolved.map(String), []);
  });

  it('resolves bare pmb ids and indices/listplace.xml entries in the place register', async () => {
    const places = parseHtml(await readFile(path.join(out, 'registers', 'places.html'), 'utf8'));
    const wien = findElement(places, (e) => e.properties.id === 'pmb50');
    assert.ok(wien, 'Wien (pmb50) is in the place register');
    // A pmb reference is reported unresolved only when no file of the corpus defines that id.
    const unresolved = new Set(
      result.messages.filter((m) => m.ruleId === 'ref-unresolved').flatMap((m) => /"#?(pmb\d+)"/.exec(m.reason)?.[1] ?? []),
    );
    const defined = new Set<string>();
    for (const dir of ['letters', 'indices']) {
      for (const f of readdirSync(path.join(SCHNITZLER, dir))) {
        for (const m of (await readFile(path.join(SCHNITZLER, dir, f), 'utf8')).matchAll(/xml:id="(pmb\d+)"/g)) defined.add(m[1]!);
      }
    }
    assert.ok(defined.size > 1000);
    for (const id of unresolved) assert.ok(!defined.has(id), `${id} is defined in the corpus but was reported unresolved`);
    assert.ok(unresolved.size < 10, `few dangling pmb ids in the sample: ${[...unresolved].join(', ')}`);
  });
});
