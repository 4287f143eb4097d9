/**
 * SaxonJS is loaded as the CommonJS script it is (src/xslt/saxon.ts), never through Node's ES module
 * loader: its package declares no module type, so an ES `import` makes Node compile the 1.7 MB script
 * once more to detect its syntax (~0.25–0.5 s in every thread that loads it: a build's, each of its
 * workers', every command). Observed with a module hook, which sees what the ES loader loads and not
 * what `require` loads, in a process that imports what the build and its workers import. Libraries only
 * a PDF or an EPUB needs (pdf-lib, JSZip) are required when one is made, not by every worker.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO } from './helpers/shared.js';

/** Runs `probe` (an ES module body) in a child process with tsx and a hook that lists what the ES module loader loads from node_modules. */
function probeLoading(probe: string): { stdout: string; esModules: string[] } {
  const hook = `import { writeSync } from 'node:fs';
    export async function load(url, context, next) {
      if (url.includes('/node_modules/')) writeSync(2, 'es-module-load ' + url + '\\n');
      return next(url, context);
    }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', 'data:text/javascript,' + encodeURIComponent(register), '--input-type=module', '-e', probe], {
    cwd: REPO, encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const esModules = r.stderr.split('\n').filter((l) => l.startsWith('es-module-load ')).map((l) => l.slice('es-module-load '.length));
  // (The hook saw the modules the ES loader loaded, so it was in place.)
  assert.ok(esModules.length > 0, `the hook saw no module at all:\n${r.stderr}`);
  return { stdout: r.stdout, esModules };
}

describe('module loading', function () {
  this.timeout(60_000);

  it('loads SaxonJS with require, not through the ES module loader (no second compile to detect its syntax)', () => {
    const { stdout, esModules } = probeLoading(`
      const run = await import('./src/xslt/run.ts');
      await import('./src/worker.ts');
      await import('./src/pipeline.ts');
      const doc = await run.parseXml('<a>x</a>');
      process.stdout.write(typeof run.transform + ' ' + typeof doc);`);
    assert.equal(stdout, 'function object');
    assert.deepEqual(esModules.filter((u) => u.includes('/saxon-js/')), []);
  });

  it('requires pdf-lib and JSZip when a PDF or an EPUB is made, not when a worker loads the formats', () => {
    const { stdout, esModules } = probeLoading(`
      import { createRequire } from 'node:module';
      await import('./src/worker.ts');
      await import('./src/pipeline.ts');
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((f) => /[\\/]node_modules[\\/](pdf-lib|jszip)[\\/]/.test(f)).length;
      const before = loaded(); // (pdf-meta and epub are loaded by now, through the print format; their libraries are not)
      const { stabilisePdf } = await import('./src/print/pdf-meta.ts');
      const { PDFDocument } = createRequire(import.meta.url)('pdf-lib');
      const bytes = await (await PDFDocument.create()).save();
      const out = await stabilisePdf(bytes, { title: 'T', fixedDate: new Date(0), id: 'x' });
      process.stdout.write(before + ' ' + (out.length > 0));`);
    assert.deepEqual(esModules.filter((u) => /\/node_modules\/(pdf-lib|jszip)\//.test(u)), []);
    assert.equal(stdout, '0 true');
  });
});
