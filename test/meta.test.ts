/** meta.xsl: the metadata every format and page relies on (plain text of passages, numbering, ids). */
import assert from 'node:assert/strict';
import path from 'node:path';
import { transformDocument } from '../src/stages/transform.js';
import { REPO } from './helpers/shared.js';

const fixture = (name: string) => path.join(REPO, 'test', 'fixtures', 'golden', name, 'input.xml');

async function meta(name: string) {
  const r = await transformDocument({ file: fixture(name), displayPath: `${name}.xml`, stylesheets: [], params: {}, load: { maxFileSize: 1e7, maxDepth: 256 } });
  assert.ok(r.ok && r.meta, r.messages.map((m) => m.reason).join('\n'));
  return r.meta;
}

describe('document metadata (meta.xsl)', () => {
  it('gives passage text as reading text: corrected, expanded and regularised readings', async () => {
    const m = await meta('transcription');
    assert.deepEqual(m.passages.map((p) => p.n), [1, 2, 3]);
    assert.match(m.passages[2]!.text, /^the Doctor Pusan vozhd emphasis term word so-called\.$/);
    assert.equal(m.passages[1]!.page, '1');
    assert.equal(m.passages[2]!.page, '2');
  });

  it('numbers notes once per document and ties each to its passage', async () => {
    const m = await meta('notes');
    assert.deepEqual(m.notes.map((n) => [n.id, n.n, n.passage]), [['fn1', 1, 'p1'], ['note-2', 2, 'p1'], ['note-3', 3, 'par-2'], ['note-4', 4, 'par-3']]);
  });

  it('collects register entries, mentions with their passage, and dated mentions', async () => {
    const m = await meta('namesdates');
    assert.deepEqual(m.entries.map((e) => [e.id, e.kind, e.label]), [['stalin', 'person', 'Joseph Stalin'], ['gottwald', 'person', 'Klement Gottwald'], ['prague', 'place', 'Prague'], ['unsc', 'org', 'UN Security Council']]);
    assert.ok(m.mentions.some((x) => x.refs.includes('#stalin') && x.form === 'the Vozhd' && x.passage === 'par-1'));
    assert.deepEqual(m.dates.map((d) => d.value), ['1950-06-25', '1995/1996', '1950-09/1950-10']);
  });
});
