/**
 * Faults (issue 10): a build killed at any moment (SIGINT, SIGKILL), a worker
 * that crashes or throws, a failure before the swap and a write that fails (file
 * size limit, as a full disk would) never damage the previous build/, and a later
 * build succeeds. Exit codes: 0 clean, 1 errors in documents, 2 usage/config/failure.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from '../src/pipeline.js';
import { CLI, REPO, listFiles, tei, tempDir } from './fixtures/hostile/corpus.js';

const DOCS = 8;
const FORMATS = 'html,text';

interface Run { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function cliArgs(corpus: string, out: string, extra: string[] = []): string[] {
  return ['--import', 'tsx', CLI, 'build', '--corpus', corpus, '--out', out, '--only', FORMATS, '--no-validate', '--no-cache', ...extra];
}

function runCli(args: string[], env: Record<string, string> = {}, shellPrefix = ''): Run {
  const r = shellPrefix
    ? spawnSync('bash', ['-c', `${shellPrefix}; exec "$0" "$@"`, process.execPath, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env, CI: '1' } })
    : spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env, CI: '1' } });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Relative path → sha256 of every file of a folder. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')]));
}

/**
 * Asserts that `out` is one complete build: the baseline's files, exactly those
 * listed by its manifest, every page whole. (Contents are compared byte for byte
 * only where the code cannot change between runs: in security-determinism.test.ts.)
 */
function assertComplete(out: string, baseline: Record<string, string>, what: string): void {
  const files = listFiles(out);
  assert.deepEqual(files, Object.keys(baseline), `${what}: file list`);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: string[]; documents: unknown[] };
  for (const f of manifest.files) assert.ok(files.includes(f), `${what}: ${f} of the manifest is missing`);
  assert.equal(manifest.documents.length, DOCS, `${what}: documents`);
  for (const f of files.filter((x) => x.endsWith('.html'))) assert.match(readFileSync(path.join(out, f), 'utf8'), /<\/html>\n$/, `${what}: ${f} is whole`);
  assert.equal(readFileSync(path.join(out, '.keep'), 'utf8'), 'dot-files of the output folder are kept\n', `${what}: .keep`);
}

function leftovers(out: string): string[] {
  return readdirSync(path.dirname(out)).filter((n) => n.startsWith(`.${path.basename(out)}.`));
}

/** Spawns a build and kills it with `signal` when `when` says so; resolves when it has exited. */
function killedBuild(args: string[], signal: NodeJS.Signals, when: { afterMs?: number; staging?: string }): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, CI: '1' }, stdio: 'ignore' });
    let killed = false;
    const kill = () => {
      if (!killed && child.exitCode === null) {
        killed = child.kill(signal);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    if (when.afterMs !== undefined) timer = setTimeout(kill, when.afterMs);
    if (when.staging) {
      const dir = path.dirname(when.staging);
      const prefix = `.${path.basename(when.staging)}.tmp-${child.pid}-`;
      timer = setInterval(() => {
        if (readdirSync(dir).some((n) => n.startsWith(prefix))) kill();
      }, 2);
    }
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(timer);
      resolve({ killed, code });
    });
  });
}

/** A build that fails just before its swap (simulated) must leave the previous output as it was, and no leftovers. */
async function failingBuildLeavesPrevious(corpus: string, out: string, baseline: ReturnType<typeof snapshot>): Promise<void> {
  process.env.TEI_EDITION_FAIL_BEFORE_SWAP = '1';
  try {
    await assert.rejects(build({ corpus, out, jobs: 1, only: ['html', 'text'], validate: false }), /simulated failure before swap/);
  } finally {
    delete process.env.TEI_EDITION_FAIL_BEFORE_SWAP;
  }
  assert.deepEqual(snapshot(out), baseline);
  assert.deepEqual(leftovers(out), []);
}

describe('faults: the previous build survives', function () {
  let work: string;
  let corpus: string;
  let out: string;
  let baseline: Record<string, string>;

  before(async function () {
    work = tempDir('faults');
    corpus = path.join(work, 'corpus');
    out = path.join(work, 'build');
    mkdirSync(corpus);
    for (let i = 1; i <= DOCS; i++) {
      writeFileSync(path.join(corpus, `doc${i}.xml`), tei(`doc${i}`, Array.from({ length: 30 }, (_, j) => `<p>Paragraph ${j + 1} of document ${i}.</p>`).join('\n')));
    }
    await build({ corpus, out, jobs: 1, only: ['html', 'text'], validate: false });
    writeFileSync(path.join(out, '.keep'), 'dot-files of the output folder are kept\n');
    baseline = snapshot(out);
    assert.ok(Object.keys(baseline).includes('manifest.json'));
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const points: { name: string; signal: NodeJS.Signals; when: (out: string) => { afterMs?: number; staging?: string } }[] = [
    { name: 'SIGKILL while the staging folder is written', signal: 'SIGKILL', when: (o) => ({ staging: o }) },
    { name: 'SIGINT while the staging folder is written', signal: 'SIGINT', when: (o) => ({ staging: o }) },
    { name: 'SIGKILL during start-up or the transforms', signal: 'SIGKILL', when: () => ({ afterMs: 1500 }) },
  ];
  for (const p of points) {
    it(`${p.name}: build/ is the complete previous (or a complete new) build`, async () => {
      const r = await killedBuild(cliArgs(corpus, out, ['--jobs', '2']), p.signal, p.when(out));
      assert.ok(r.killed, `the build ended (exit ${r.code}) before it could be killed`);
      assertComplete(out, baseline, `after ${p.name} (killed: ${r.killed}, exit ${r.code})`);
    });
  }

  it('a later build succeeds and removes what killed builds left behind', () => {
    const r = runCli(cliArgs(corpus, out, ['--jobs', '2']));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assertComplete(out, baseline, 'later build');
    assert.deepEqual(leftovers(out), []);
    baseline = snapshot(out);
  });

  it('a build killed between the two renames of the swap: the next build puts the previous output back', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const old = path.join(work, `.build.old-${dead}-1`);
    const { rename } = await import('node:fs/promises');
    await rename(out, old);
    mkdirSync(path.join(work, `.build.tmp-${dead}-2`));
    // The next build fails before its own swap: what is left must be the previous output.
    await failingBuildLeavesPrevious(corpus, out, baseline);
  });

  it('a failure just before the swap leaves build/ as it was (in process)', async () => {
    await failingBuildLeavesPrevious(corpus, out, baseline);
  });

  it('a write that fails (file size limit, like a full disk) leaves build/ as it was and exits 2', () => {
    // ulimit -f counts 1024-byte blocks (bash); every document page is larger than 4 KB.
    const r = runCli(cliArgs(corpus, out, ['--jobs', '1']), {}, 'ulimit -f 4');
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /EFBIG|file too large/i);
    assert.deepEqual(snapshot(out), baseline);
    assert.deepEqual(leftovers(out), []);
    const again = runCli(cliArgs(corpus, out, ['--jobs', '1']));
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assertComplete(out, baseline, 'build after the failed write');
  });

  it('a worker that dies is replaced; its document is reported, the others are built (exit 1)', () => {
    const r = runCli(cliArgs(corpus, out, ['--jobs', '2']), { TEI_EDITION_CRASH_ON: 'doc3.xml' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /doc3\.xml:1:1\s+error\s+worker-crash\s+worker failed: worker exited with code: 70/);
    assert.match(r.stdout, /✗ 7 documents/);
  });

  it('a worker that throws: its document is reported, the others are built (in process)', async () => {
    process.env.TEI_EDITION_CRASH_ON = 'throw:doc3.xml';
    try {
      const r = await build({ corpus, out, jobs: 2, only: ['html', 'text'], validate: false, cache: false });
      const crash = r.messages.filter((m) => m.ruleId === 'worker-crash');
      assert.equal(crash.length, 1);
      assert.match(String(crash[0]!.file), /doc3\.xml$/);
      assert.match(crash[0]!.reason, /simulated worker fault/);
      assert.equal(r.documents, DOCS - 1);
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { documents: { id: string }[] };
      assert.deepEqual(manifest.documents.map((d) => d.id).sort(), Array.from({ length: DOCS }, (_, i) => `doc${i + 1}`).filter((d) => d !== 'doc3').sort());
      assert.ok(!existsSync(path.join(out, 'documents', 'doc3.html')));
    } finally {
      delete process.env.TEI_EDITION_CRASH_ON;
    }
  });

  it('after a crashed-worker build, a clean build restores every document', () => {
    const r = runCli(cliArgs(corpus, out, ['--jobs', '2']));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assertComplete(out, baseline, 'clean build');
  });
});

describe('faults: exit codes', function () {
  let work: string;
  before(() => {
    work = tempDir('exit');
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('0 for a clean build, 1 when a document has errors, 2 for usage and configuration errors', () => {
    const corpus = path.join(work, 'corpus');
    mkdirSync(corpus);
    writeFileSync(path.join(corpus, 'a.xml'), tei('a', '<p>fine</p>'));
    const ok = runCli(cliArgs(corpus, path.join(work, 'out')));
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /✓ 1 documents?/);

    writeFileSync(path.join(corpus, 'b.xml'), tei('b', '<p>broken</hi>'));
    const bad = runCli(cliArgs(corpus, path.join(work, 'out')));
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /b\.xml:6:\d+\s+error\s+xml-not-well-formed/);

    const usage = runCli(cliArgs(corpus, path.join(work, 'out'), ['--jobs', '0']));
    assert.equal(usage.status, 2, usage.stdout + usage.stderr);
    const unknown = runCli(['--import', 'tsx', CLI, 'build', '--no-such-flag']);
    assert.equal(unknown.status, 2);

    writeFileSync(path.join(corpus, 'edition.config.json'), '{ not json');
    const config = runCli(cliArgs(corpus, path.join(work, 'out')));
    assert.equal(config.status, 2, config.stdout + config.stderr);
    assert.match(config.stderr, /not valid JSON/);
    assert.doesNotMatch(config.stderr, /internal error|\n\s+at /, 'a user error prints no stack trace');

    const missing = runCli(cliArgs(path.join(work, 'no-such-corpus'), path.join(work, 'out')));
    assert.equal(missing.status, 2, missing.stdout + missing.stderr);
    assert.match(missing.stderr, /corpus folder .*no-such-corpus cannot be read: ENOENT/);
    assert.doesNotMatch(missing.stderr, /internal error/);

    const refused = runCli(cliArgs(corpus, corpus));
    assert.equal(refused.status, 2);
    assert.deepEqual(readdirSync(corpus).sort(), ['a.xml', 'b.xml', 'edition.config.json']);
  });
});
