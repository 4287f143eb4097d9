/** Reference resolution: the document's own lists first, then the corpus registers, then documents. */
import assert from 'node:assert/strict';
import { Registry } from '../src/stages/index.js';
import { entry, meta } from './helpers/meta.js';


describe('Registry (index stage)', () => {
  const r = new Registry();
  r.add({ id: 'places', file: '/c/indices/listplace.xml', meta: meta('places', { isRegister: true, entries: [entry('pmb50', 'place', 'Wien'), entry('pmb9', 'place', 'Graz')] }) });
  r.add({ id: 'L1', file: '/c/letters/L1.xml', meta: meta('L1', { entries: [entry('pmb7', 'person', 'Arthur Schnitzler'), entry('pmb50', 'place', 'Vienna')], passages: [{ id: 'par-1', n: 1, kind: 'p', page: '', text: '' }], ids: ['L1', 'par-1', 'pmb7'] }) });
  r.add({ id: 'L2', file: '/c/letters/L2.xml', meta: meta('L2', { date: { value: '1890', when: '1890', from: '', to: '', cert: '', text: '1890' } }) });
  r.finish();

  it('resolves #id to the entry the document carries itself', () => {
    assert.deepEqual(r.resolve('#pmb7', 'L1'), { kind: 'entry', entry: r.entries.get('pmb7') });
  });
  it('resolves a bare id (pmb50, without #) and a register-only entry from another file', () => {
    const got = r.resolve('pmb9', 'L1');
    assert.equal(got?.kind, 'entry');
    assert.equal(got?.kind === 'entry' && got.entry.label, 'Graz');
  });
  it('merges one id defined in several files into one entry with every name form', () => {
    const wien = r.entries.get('pmb50')!;
    assert.deepEqual(wien.names.sort(), ['Vienna', 'Wien']);
  });
  it('resolves passages, documents (file.xml#id, bare ids) and external URLs; refuses other schemes', () => {
    assert.deepEqual(r.resolve('#par-1', 'L1'), { kind: 'doc', doc: 'L1', fragment: 'par-1' });
    assert.deepEqual(r.resolve('L1.xml#par-1', 'L2'), { kind: 'doc', doc: 'L1', fragment: 'par-1' });
    assert.deepEqual(r.resolve('L2', 'L1'), { kind: 'doc', doc: 'L2', fragment: '' });
    assert.deepEqual(r.resolve('https://example.org/x', 'L1'), { kind: 'external', url: 'https://example.org/x' });
    assert.equal(r.resolve('javascript:alert(1)', 'L1'), undefined);
    assert.equal(r.resolve('#nothing', 'L1'), undefined);
  });
  it('sorts documents by date (undated last) and separates register files', () => {
    assert.deepEqual(r.documents.map((d) => d.id), ['L2', 'L1']);
    assert.deepEqual(r.registerFiles.map((d) => d.id), ['places']);
  });
});
