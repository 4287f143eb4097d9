/**
 * The streaming writer (src/stages/write.ts): files go into a staging folder
 * as they are made; the output folder changes only at commit, as a whole.
 */
import assert from 'node:assert/strict';
import { existsSync, linkSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lstat as lstatP, opendir, rmdir, unlink } from 'node:fs/promises';
import { openInPlace, openStaging, removeTree, rollBack, sameContent, SPARE_MIN, Spares, UnsafePathError, writeContent, writeOutput, type RemoveFs } from '../src/stages/write.js';

describe('streaming writer (openStaging)', function () {
  let work: string;
  let out: string;

  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-write-'));
    out = path.join(work, 'build');
    await writeOutput(out, [
      { path: 'a.html', content: 'A1', kind: 'html' },
      { path: 'docs/b.txt', content: 'B1', kind: 'text' },
    ]);
    await writeFile(path.join(out, '.gitignore'), '*\n');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('shows nothing before commit, then swaps the whole folder; keep carries a file over (same inode)', async () => {
    const inodeB = statSync(path.join(out, 'docs/b.txt')).ino;
    const s = await openStaging(out);
    await s.write({ path: 'a.html', content: 'A2' });
    assert.equal(await s.keep('docs/b.txt'), true);
    assert.equal(await s.keep('missing.txt'), false);
    await s.write({ path: 'c/d/e.json', content: '{}' });
    assert.equal(readFileSync(path.join(out, 'a.html'), 'utf8'), 'A1', 'output untouched before commit');
    assert.ok(!existsSync(path.join(out, 'c')));
    await s.commit();
    assert.equal(readFileSync(path.join(out, 'a.html'), 'utf8'), 'A2');
    assert.equal(readFileSync(path.join(out, 'docs/b.txt'), 'utf8'), 'B1');
    assert.equal(statSync(path.join(out, 'docs/b.txt')).ino, inodeB, 'kept file is linked, not rewritten');
    assert.equal(readFileSync(path.join(out, '.gitignore'), 'utf8'), '*\n', 'dot-files of the previous output are kept');
    const beside = readdirSync(work).filter((n) => n !== 'build');
    assert.equal(beside.length, 1, 'the previous output beside the new one until settled');
    assert.match(beside[0]!, /^\.build\.old-\d+-\d+$/);
    assert.equal(readFileSync(path.join(work, beside[0]!, 'a.html'), 'utf8'), 'A1');
    await s.settle();
    assert.deepEqual(readdirSync(work).sort(), ['build'], 'no staging folder left behind');
  });

  it('abort leaves the previous output as it was and removes the staging folder', async () => {
    const s = await openStaging(out);
    await s.write({ path: 'a.html', content: 'A2' });
    await s.abort();
    assert.equal(readFileSync(path.join(out, 'a.html'), 'utf8'), 'A1');
    assert.deepEqual(readdirSync(work).sort(), ['build']);
    await assert.rejects(s.write({ path: 'x', content: '' }), /aborted/);
  });

  it('refuses paths that leave the output folder, and two files at one path', async () => {
    const s = await openStaging(out);
    for (const bad of ['../evil.html', '/etc/passwd', 'a/../../x', '', 'C:/x']) {
      await assert.rejects(s.write({ path: bad, content: 'x' }), UnsafePathError, bad);
      await assert.rejects(s.keep(bad), UnsafePathError, bad);
    }
    await s.write({ path: 'same.html', content: '1' });
    await assert.rejects(s.write({ path: 'same.html', content: '2' }), /two outputs want the same path/);
    await s.abort();
    assert.ok(!existsSync(path.join(work, 'evil.html')));
  });

  it('a failure before the swap (simulated) keeps the previous output', async () => {
    const s = await openStaging(out);
    await s.write({ path: 'a.html', content: 'A2' });
    process.env.TEI_EDITION_FAIL_BEFORE_SWAP = '1';
    try {
      await assert.rejects(s.commit(), /simulated failure/);
    } finally {
      delete process.env.TEI_EDITION_FAIL_BEFORE_SWAP;
    }
    assert.equal(readFileSync(path.join(out, 'a.html'), 'utf8'), 'A1');
    assert.deepEqual(readdirSync(work).sort(), ['build']);
  });

  it('writes a first output where there was none', async () => {
    const fresh = path.join(work, 'nested', 'site');
    await mkdir(path.dirname(fresh), { recursive: true });
    const s = await openStaging(fresh);
    assert.equal(await s.keep('a.html'), false);
    await s.write({ path: 'index.html', content: 'hi' });
    await s.commit();
    assert.equal(readFileSync(path.join(fresh, 'index.html'), 'utf8'), 'hi');
  });
});

describe('in-place writer (openInPlace, incremental builds)', function () {
  let work: string;
  let out: string;
  /** Relative path → content of every file (dot-files included). */
  const tree = (dir: string): Record<string, string> => {
    const files: Record<string, string> = {};
    const walk = (d: string, rel: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(path.join(d, e.name), r);
        else files[r] = readFileSync(path.join(d, e.name), 'utf8');
      }
    };
    walk(dir, '');
    return files;
  };

  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-inplace-'));
    out = path.join(work, 'build');
    await writeOutput(out, [
      { path: 'a.html', content: 'A1', kind: 'html' },
      { path: 'docs/b.txt', content: 'B1', kind: 'text' },
      { path: 'docs/gone.txt', content: 'G1', kind: 'text' },
    ]);
    await writeFile(path.join(out, '.gitignore'), '*\n');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('replaces, creates and removes files in the folder itself; kept files are not touched', async () => {
    const inodeB = statSync(path.join(out, 'docs/b.txt')).ino;
    const inodeDir = statSync(out).ino;
    const s = await openInPlace(out);
    await s.write({ path: 'a.html', content: 'A2' });
    await s.write({ path: 'c/new.json', content: '{}' });
    assert.equal(await s.keep('docs/b.txt'), true);
    assert.equal(await s.keep('missing.txt'), false);
    await s.commit(['a.html', 'docs/b.txt', 'docs/gone.txt']);
    assert.deepEqual(tree(out), { '.gitignore': '*\n', 'a.html': 'A2', 'c/new.json': '{}', 'docs/b.txt': 'B1' });
    assert.equal(statSync(path.join(out, 'docs/b.txt')).ino, inodeB, 'kept file untouched');
    assert.equal(statSync(out).ino, inodeDir, 'the folder was updated, not swapped');
    // The commit moved the journal (with the previous versions) out of the folder; settle() removes it.
    const beside = readdirSync(work).filter((n) => n !== 'build');
    assert.equal(beside.length, 1);
    assert.match(beside[0]!, /^\.build\.done-\d+-\d+$/);
    assert.equal(readFileSync(path.join(work, beside[0]!, 'files', 'a.html'), 'utf8'), 'A1', 'the previous version, in the journal');
    assert.equal(await rollBack(out), false, 'a committed update is not rolled back');
    assert.equal(readFileSync(path.join(out, 'a.html'), 'utf8'), 'A2');
    await s.settle();
    assert.deepEqual(readdirSync(work), ['build'], 'nothing left beside the output');
  });

  it('removes, when it next opens the output, a committed journal a killed build left beside it', async () => {
    const s = await openInPlace(out);
    await s.write({ path: 'a.html', content: 'A2' });
    await s.commit();
    // As left by a build killed before it settled (a process that is gone: pid 2^22 + 1 is above any pid_max).
    const left = readdirSync(work).find((n) => n.startsWith('.build.done-'))!;
    const dead = `.build.done-${2 ** 22 + 1}-1`;
    await rename(path.join(work, left), path.join(work, dead));
    const next = await openInPlace(out);
    assert.deepEqual(readdirSync(work), ['build'], 'the leftover removed');
    await next.commit();
    await next.settle();
    assert.equal(readFileSync(path.join(out, 'a.html'), 'utf8'), 'A2');
  });

  it('replaces files side by side (writes running at once each have their own temporary file)', async () => {
    const s = await openInPlace(out);
    // Both replace files that are there (each is first saved in the journal: the writes interleave).
    await Promise.all([s.write({ path: 'a.html', content: 'A3' }), s.write({ path: 'docs/b.txt', content: 'B3' }), s.write({ path: 'docs/c.txt', content: 'C3' })]);
    await s.commit();
    assert.deepEqual(tree(out), { '.gitignore': '*\n', 'a.html': 'A3', 'docs/b.txt': 'B3', 'docs/c.txt': 'C3', 'docs/gone.txt': 'G1' });
  });

  it('abort, and a failure before commit, roll every change back', async () => {
    const before = tree(out);
    let s = await openInPlace(out);
    await s.write({ path: 'a.html', content: 'A2' });
    await s.write({ path: 'c/new.json', content: '{}' });
    await s.abort();
    assert.deepEqual(tree(out), before);
    s = await openInPlace(out);
    await s.write({ path: 'docs/b.txt', content: 'B2' });
    process.env.TEI_EDITION_FAIL_BEFORE_SWAP = '1';
    try {
      await assert.rejects(s.commit(['a.html', 'docs/b.txt', 'docs/gone.txt']), /simulated failure/);
    } finally {
      delete process.env.TEI_EDITION_FAIL_BEFORE_SWAP;
    }
    assert.deepEqual(tree(out), before, 'replaced and removed files are back');
  });

  it('an update killed half-way (journal left behind) is rolled back by the next writer', async () => {
    const before = tree(out);
    const s = await openInPlace(out);
    await s.write({ path: 'a.html', content: 'A2' });
    await s.write({ path: 'docs/new.txt', content: 'N' });
    // The process dies here: neither commit nor abort runs. The next build opens the folder.
    assert.ok(existsSync(path.join(out, '.tei-edition-rollback', 'journal')));
    assert.equal(await rollBack(out), true);
    assert.deepEqual(tree(out), before);
    const next = await openStaging(out);
    await next.abort();
    assert.deepEqual(tree(out), before);
    // The dead process's journal handle, closed as its exit would have (rolled back already: nothing changes).
    await s.abort();
    assert.deepEqual(tree(out), before);
  });

  describe('spares (a session\'s large files written over, not written anew)', function () {
    /** A large file's content: `n` bytes of one letter, then a tag (SPARE_MIN and more). */
    const big = (letter: string, extra: number, tag: string) => `${letter.repeat(SPARE_MIN + extra)}${tag}`;

    it('keeps the previous version of a replaced large file as the spare its next version is written over, then renamed into place', async () => {
      await writeOutput(out, [{ path: 'corpus.xml', content: big('a', 10, 'v1'), kind: 'tei-corpus' }, { path: 'small.txt', content: 's1', kind: 'text' }]);
      const spares = new Spares(out);
      // First update: no spare yet; the previous large version becomes one once settled (the small one does not).
      let s = await openInPlace(out, { spares });
      await s.write({ path: 'corpus.xml', content: big('b', 20, 'v2') });
      await s.write({ path: 'small.txt', content: 's2' });
      await s.commit();
      const previous = statSync(path.join(out, 'corpus.xml')).ino;
      await s.settle();
      assert.equal(spares.size, 1);
      const beside = readdirSync(work).filter((n) => n !== 'build');
      assert.equal(beside.length, 1, 'the spares\' folder alone beside the output');
      assert.match(beside[0]!, /^\.build\.spare-\d+-\d+$/);
      const oldInode = statSync(path.join(work, beside[0]!, readdirSync(path.join(work, beside[0]!))[0]!)).ino;
      assert.notEqual(oldInode, previous);
      // Second update: the new version is written over the spare (its inode) — shorter than it: cut to size.
      s = await openInPlace(out, { spares });
      await s.write({ path: 'corpus.xml', content: ['c'.repeat(SPARE_MIN), 'v3'] });
      await s.commit();
      assert.equal(statSync(path.join(out, 'corpus.xml')).ino, oldInode, 'written over the spare');
      assert.equal(readFileSync(path.join(out, 'corpus.xml'), 'utf8'), `${'c'.repeat(SPARE_MIN)}v3`);
      await s.settle();
      assert.equal(spares.size, 1, 'the version it replaced is the next spare');
      // Third: longer than the spare; and an update rolled back leaves the output as it was.
      s = await openInPlace(out, { spares });
      await s.write({ path: 'corpus.xml', content: big('d', 5000, 'v4') });
      await s.abort();
      assert.equal(readFileSync(path.join(out, 'corpus.xml'), 'utf8'), `${'c'.repeat(SPARE_MIN)}v3`, 'rolled back');
      assert.equal(statSync(path.join(out, 'corpus.xml')).ino, oldInode);
      s = await openInPlace(out, { spares });
      await s.write({ path: 'corpus.xml', content: big('e', 5000, 'v5') });
      await s.commit();
      await s.settle();
      assert.equal(readFileSync(path.join(out, 'corpus.xml'), 'utf8'), big('e', 5000, 'v5'));
      assert.equal(readFileSync(path.join(out, 'small.txt'), 'utf8'), 's2');
      await spares.clear();
      assert.deepEqual(readdirSync(work), ['build'], 'clear() removes the spares');
    });

    it('prepare() copies the large files named as spares; a replaced file linked from elsewhere is never one', async () => {
      await writeOutput(out, [{ path: 'm.json', content: big('m', 0, '1'), kind: 'manifest' }, { path: 'x/c.xml', content: big('x', 0, '1'), kind: 'tei-corpus' }, { path: 'a.html', content: 'A1', kind: 'html' }]);
      const spares = new Spares(out);
      assert.equal(await spares.prepare(['m.json', 'a.html', 'missing.json']), 1, 'the large file alone');
      assert.equal(await spares.prepare(['m.json']), 0, 'one spare per path');
      const manifestInode = statSync(path.join(out, 'm.json')).ino;
      // Someone's hard link to the current x/c.xml (a backup made with cp -al): it must never be written over.
      const backup = path.join(work, 'backup.xml');
      linkSync(path.join(out, 'x/c.xml'), backup);
      let s = await openInPlace(out, { spares });
      await s.write({ path: 'm.json', content: big('n', 0, '2') });
      await s.write({ path: 'x/c.xml', content: big('y', 0, '2') });
      await s.commit();
      await s.settle();
      assert.notEqual(statSync(path.join(out, 'm.json')).ino, manifestInode, 'the prepared copy, renamed into place');
      assert.equal(readFileSync(path.join(out, 'm.json'), 'utf8'), big('n', 0, '2'));
      assert.equal(spares.size, 1, 'the replaced m.json only: x/c.xml was linked from elsewhere');
      s = await openInPlace(out, { spares });
      await s.write({ path: 'x/c.xml', content: big('z', 0, '3') });
      await s.write({ path: 'm.json', content: big('o', 0, '3') });
      await s.commit();
      await s.settle();
      assert.equal(readFileSync(backup, 'utf8'), big('x', 0, '1'), 'the other link still holds its bytes');
      assert.equal(statSync(path.join(out, 'm.json')).ino, manifestInode, 'the first m.json, a spare, written over');
      await spares.clear();
    });

    it('a later build removes the spares of a process that is gone, not those of a live one', async () => {
      await mkdir(path.join(work, `.build.spare-${2 ** 22 + 1}-1`));
      await mkdir(path.join(work, `.build.spare-${process.pid}-1`));
      const s = await openInPlace(out);
      await s.commit();
      await s.settle();
      assert.deepEqual(readdirSync(work).sort(), [`.build.spare-${process.pid}-1`, 'build']);
    });
  });

  it('refuses paths that leave the output folder or touch the journal', async () => {
    const s = await openInPlace(out);
    for (const bad of ['../evil.html', '/etc/passwd', 'a/../../x', '', '.tei-edition-rollback/journal']) {
      await assert.rejects(s.write({ path: bad, content: 'x' }), UnsafePathError, bad);
    }
    await s.abort();
    assert.ok(!existsSync(path.join(work, 'evil.html')));
  });
});

describe('content in pieces (Chunks, writeContent)', function () {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-chunks-'));
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes the pieces one after the other, byte for byte their join — multi-byte text, pieces across the 1 MB buffer and larger than it', async () => {
    const pieces = [
      '<?xml version="1.0"?>\n<teiCorpus>',
      'Filipov — „Gottwald“ · Pusan ✓ 𝔄',
      'ž'.repeat(300_000), // 600 000 bytes: fills most of the buffer
      'é'.repeat(400_000), // does not fit after it: the buffer is flushed first
      '\u{1F4DC}'.repeat(400_000), // 1.6 MB of 4-byte characters: larger than the buffer, written alone
      '',
      'x'.repeat(349_525), // exactly a third of the buffer in code units
      '</teiCorpus>\n',
    ];
    const file = path.join(work, 'corpus.xml');
    await writeContent(file, pieces);
    assert.ok(readFileSync(file).equals(Buffer.from(pieces.join(''))));
    // Through both writers, as any other content.
    await writeOutput(path.join(work, 'out'), [{ path: 'exchange/tei/corpus.xml', content: pieces, kind: 'tei-corpus' }]);
    assert.equal(readFileSync(path.join(work, 'out/exchange/tei/corpus.xml'), 'utf8'), pieces.join(''));
    const s = await openInPlace(path.join(work, 'out'));
    await s.write({ path: 'exchange/tei/corpus.xml', content: ['<a>', 'ü', '</a>'] });
    await s.commit();
    assert.equal(readFileSync(path.join(work, 'out/exchange/tei/corpus.xml'), 'utf8'), '<a>ü</a>');
    await writeContent(file, []);
    assert.equal(statSync(file).size, 0);
  });

  it('tells whether a file holds content (pieces, a string, bytes) byte for byte, across the 1 MB buffer and beyond it', async () => {
    const pieces = ['<teiCorpus>', 'ž'.repeat(300_000), 'é'.repeat(400_000), '\u{1F4DC}'.repeat(400_000), '', 'Filipov — „Gottwald“', '</teiCorpus>\n'];
    const file = path.join(work, 'corpus.xml');
    await writeContent(file, pieces);
    assert.equal(sameContent(file, pieces), true);
    assert.equal(sameContent(file, [pieces.join('')]), true, 'cut otherwise, the same bytes');
    assert.equal(sameContent(file, pieces.join('')), true);
    assert.equal(sameContent(file, Buffer.from(pieces.join(''))), true);
    // One character changed (same length in bytes), at the start, in the middle, at the end.
    const at = (i: number, text: string) => pieces.map((p, j) => (j === i ? text : p));
    assert.equal(sameContent(file, at(0, '<teiCorpuS>')), false);
    assert.equal(sameContent(file, at(3, '\u{1F4DC}'.repeat(399_999) + '\u{1F4DD}')), false);
    assert.equal(sameContent(file, at(6, '</teiCorpus>\r')), false);
    assert.equal(sameContent(file, pieces.slice(0, -1)), false, 'shorter');
    assert.equal(sameContent(file, [...pieces, ' ']), false, 'longer');
    assert.equal(sameContent(path.join(work, 'none.xml'), pieces), false, 'no such file');
    await writeContent(file, []);
    assert.equal(sameContent(file, []), true);
    assert.equal(sameContent(file, ['']), true);
    assert.equal(sameContent(file, ['x']), false);
  });

  it('takes pieces made as they are written (a generator), each made once, in order', async () => {
    const made: number[] = [];
    function* pieces(): Generator<string> {
      for (let i = 0; i < 5; i++) {
        made.push(i);
        yield `<entry n="${i}">${'ö'.repeat(200_000)}</entry>`;
      }
    }
    const file = path.join(work, 'register.html');
    await writeContent(file, pieces());
    assert.deepEqual(made, [0, 1, 2, 3, 4]);
    const text = readFileSync(file, 'utf8');
    assert.equal(text, [0, 1, 2, 3, 4].map((i) => `<entry n="${i}">${'ö'.repeat(200_000)}</entry>`).join(''));
    // In place too (the writer of incremental builds).
    const s = await openInPlace(work);
    await s.write({ path: 'register.html', content: { *[Symbol.iterator]() { yield '<p>'; yield 'ß'; yield '</p>'; } }, kind: 'html' });
    await s.commit();
    assert.equal(readFileSync(file, 'utf8'), '<p>ß</p>');
  });
});

describe('removing a folder (removeTree: what a full build leaves of the previous output)', function () {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tei-remove-'));
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  /** A folder of `wide` files, and `deep` subfolders of `per` files each, one with an empty folder and a dot-file. */
  async function tree(root: string, wide: number, deep: number, per: number): Promise<number> {
    await mkdir(path.join(root, 'empty', 'inner'), { recursive: true });
    await writeFile(path.join(root, '.dot'), 'x');
    for (let i = 0; i < wide; i++) await writeFile(path.join(root, `f${i}.html`), String(i));
    for (let d = 0; d < deep; d++) {
      await mkdir(path.join(root, `d${d}`, 'sub'), { recursive: true });
      for (let i = 0; i < per; i++) await writeFile(path.join(root, `d${d}`, i % 2 ? 'sub' : '', `g${i}.txt`), String(i));
    }
    return 1 + wide + deep * per;
  }

  it('removes a tree, a file, and nothing where there is nothing', async () => {
    const root = path.join(work, 'old');
    await tree(root, 30, 3, 10);
    await removeTree(root);
    assert.ok(!existsSync(root));
    await removeTree(root); // gone already: no error
    await writeFile(path.join(work, 'one.txt'), '1');
    await removeTree(path.join(work, 'one.txt'));
    assert.deepEqual(readdirSync(work), []);
  });

  it('removes links, never what they point to', async function () {
    if (process.platform === 'win32') this.skip();
    const { symlink } = await import('node:fs/promises');
    const kept = path.join(work, 'kept');
    await mkdir(kept);
    await writeFile(path.join(kept, 'precious.xml'), 'P');
    const root = path.join(work, 'old');
    await mkdir(root);
    await symlink(kept, path.join(root, 'link-to-folder'));
    await symlink(path.join(kept, 'precious.xml'), path.join(root, 'link-to-file'));
    await removeTree(root);
    assert.ok(!existsSync(root));
    assert.equal(readFileSync(path.join(kept, 'precious.xml'), 'utf8'), 'P');
    await symlink(kept, path.join(work, 'top-link'));
    await removeTree(path.join(work, 'top-link'));
    assert.ok(existsSync(path.join(kept, 'precious.xml')), 'a link given as the root is removed, not its target');
  });

  it('removes every file through the file system one folder at a time, never more than `concurrency` at once', async () => {
    const root = path.join(work, 'old');
    const files = await tree(root, 200, 5, 40);
    let inflight = 0;
    let most = 0;
    let unlinked = 0;
    let listed = 0;
    const fs: RemoveFs = {
      opendir: ((dir: string) => {
        listed++;
        return opendir(dir);
      }) as RemoveFs['opendir'],
      lstat: lstatP,
      rmdir,
      unlink: async (file) => {
        inflight++;
        most = Math.max(most, inflight);
        try {
          await new Promise((resolve) => setImmediate(resolve));
          await unlink(file);
          unlinked++;
        } finally {
          inflight--;
        }
      },
    };
    await removeTree(root, 4, fs);
    assert.ok(!existsSync(root));
    assert.equal(unlinked, files, 'every file unlinked by removeTree itself');
    assert.equal(listed, 1 + 2 + 5 * 2, 'every folder listed once');
    assert.ok(most <= 4, `${most} files removed at once (at most 4)`);
    assert.ok(most >= 2, 'files are removed side by side');
  });

  it('stops at an error other than "not there", once the removals under way have settled, and reports it', async () => {
    const root = path.join(work, 'old');
    await tree(root, 50, 0, 0);
    let after = 0;
    let failed = false;
    const fs: RemoveFs = {
      opendir, lstat: lstatP, rmdir,
      unlink: async (file) => {
        if (failed) after++;
        if (file.endsWith('f10.html')) {
          failed = true;
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        }
        if (file.endsWith('f20.html')) throw Object.assign(new Error('ENOENT: gone'), { code: 'ENOENT' });
        await unlink(file);
      },
    };
    await assert.rejects(removeTree(root, 4, fs), /EACCES/);
    assert.ok(existsSync(path.join(root, 'f10.html')), 'the file that could not be removed is there');
    assert.ok(after <= 4, `${after} removals begun after the failure`);
  });
});
