/** The command line: help, version, usage errors, exit codes, summary line, diagnostics format. */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './helpers/shared.js';

const run = promisify(execFile);

async function cli(args: string[], cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(REPO, 'src', 'cli.ts'), ...args], {
      cwd, env: { ...process.env, CI: 'true' }, maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const GOOD = (id: string, body = '<p>Text.</p>') => `<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="${id}"><teiHeader><fileDesc><titleStmt><title>${id}</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader><text><body>${body}</body></text></TEI>
`;

describe('tei-edition CLI', function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tei-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--help lists the commands and build --help every flag with its default', async () => {
    const top = await cli(['--help']);
    assert.equal(top.code, 0);
    for (const c of ['build', 'validate']) assert.match(top.stdout, new RegExp(`\\b${c}\\b`));
    const b = await cli(['build', '--help']);
    assert.equal(b.code, 0);
    for (const f of ['--corpus', '--out', '--jobs', '--only', '--quiet']) assert.ok(b.stdout.includes(f), f);
    assert.match(b.stdout, /default: "tei"/);
    assert.match(b.stdout, /default: "build"/);
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+/);
  });

  it('an unknown flag is a usage error (exit 2) with a helpful message', async () => {
    const r = await cli(['build', '--corpsu', 'tei']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--corpsu'/);
    assert.match(r.stderr, /--corpus/); // suggestion
  });

  it('a bad --jobs or --only value is a usage error (exit 2)', async () => {
    assert.equal((await cli(['build', '--jobs', 'zero'])).code, 2);
    const r = await cli(['build', '--only', 'html,pdfx']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown format "pdfx"/);
  });

  it('exits 0 and prints one summary line when everything builds', async () => {
    const corpus = path.join(dir, 'ok');
    await cp(path.join(REPO, 'test', 'fixtures', 'golden', 'letters', 'input.xml'), path.join(corpus, 'a.xml'));
    const r = await cli(['build', '--corpus', corpus, '--out', path.join(dir, 'ok-out'), '--jobs', '1', '--only', 'html,text', '--no-validate']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^✓ 1 documents → \d+ files in \d+\.\d s, 0 errors, 0 warnings$/m);
  });

  it('exits 1 when a document has an error, builds the others, and prints file:line:col severity rule message', async () => {
    const corpus = path.join(dir, 'mixed');
    await cp(path.join(REPO, 'test', 'fixtures', 'golden', 'letters', 'input.xml'), path.join(corpus, 'good.xml'));
    await writeFile(path.join(corpus, 'broken.xml'), GOOD('broken').replace('</body>', '</bdy>'));
    const out = path.join(dir, 'mixed-out');
    const r = await cli(['build', '--corpus', corpus, '--out', out, '--jobs', '1', '--only', 'html,text', '--no-validate']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /broken\.xml:2:\d+ {2}error {2}xml-not-well-formed {2}not well-formed: /);
    assert.match(r.stdout, /^✗ 1 documents → \d+ files in .*1 error.*\(1 document not built\)$/m);
  });

  // A watcher stopped by Ctrl-C finishes its build and the bookkeeping after it (the cache state
  // that lets the next start carry the output over) before it exits.
  it('build --watch stops on SIGINT once its last build is recorded: exit 130, nothing left beside the output', async () => {
    const corpus = path.join(dir, 'watched');
    await cp(path.join(REPO, 'test', 'fixtures', 'golden', 'letters', 'input.xml'), path.join(corpus, 'good.xml'));
    const out = path.join(dir, 'watched-out');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src', 'cli.ts'), 'build', '--watch', '--corpus', corpus, '--out', out, '--jobs', '1', '--only', 'text', '--no-validate'], {
      cwd: REPO, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const watching = (n: number) => new Promise<void>((resolve, reject) => {
      const check = () => {
        if ((stdout.match(/watching /g) ?? []).length >= n) resolve();
      };
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        check();
      });
      child.once('exit', () => reject(new Error(`exited early: ${stdout}${stderr}`)));
      check();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await watching(1);
    const file = path.join(corpus, 'good.xml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('</body>', '<p>Added while watching.</p></body>'));
    await watching(2);
    child.kill('SIGINT');
    const { code, signal } = await exited;
    assert.deepEqual({ code, signal }, { code: 130, signal: null }, stdout + stderr);
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.watched-out.')), [], 'no journal or previous output left beside it');
  });

  it('a config error exits 2 with the reason', async () => {
    const corpus = path.join(dir, 'badconfig');
    await writeFile(path.join(dir, 'x.xml'), GOOD('x'));
    await cp(path.join(dir, 'x.xml'), path.join(corpus, 'x.xml'));
    await writeFile(path.join(corpus, 'edition.config.json'), '{"formats": ["html", "braille"]}');
    const r = await cli(['build', '--corpus', corpus, '--out', path.join(dir, 'bc-out')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown output format "braille"/);
  });
});
