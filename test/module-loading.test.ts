/**
 * SaxonJS is loaded as the CommonJS script it is (src/xslt/saxon.ts), never through Node's ES module
 * loader: its package declares no module type, so an ES `import` makes Node compile the 1.7 MB script
 * once more to detect its syntax (~0.25–0.5 s in every thread that loads it: a build's, each of its
 * workers', every command). Observed with a module hook, which sees what the ES loader loads and not
 * what `require` loads, in a process that imports what the build and its workers import.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO } from './helpers/shared.js';

describe('module loading', function () {
  this.timeout(60_000);

  it('loads SaxonJS with require, not through the ES module loader (no second compile to detect its syntax)', () => {
    const hook = `import { writeSync } from 'node:fs';
      export async function load(url, context, next) {
        if (url.includes('/node_modules/')) writeSync(2, 'es-module-load ' + url + '\\n');
        return next(url, context);
      }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))});`;
    const probe = `
      const run = await import('./src/xslt/run.ts');
      await import('./src/worker.ts');
      await import('./src/pipeline.ts');
      const doc = await run.parseXml('<a>x</a>');
      process.stdout.write(typeof run.transform + ' ' + typeof doc);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', 'data:text/javascript,' + encodeURIComponent(register), '--input-type=module', '-e', probe], {
      cwd: REPO, encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    // The hook saw the modules the ES loader loaded (so it was in place), SaxonJS not among them.
    assert.equal(r.stdout, 'function object');
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('es-module-load '));
    assert.ok(loaded.length > 0, `the hook saw no module at all:\n${r.stderr}`);
    assert.deepEqual(loaded.filter((l) => l.includes('/saxon-js/')), []);
  });
});
