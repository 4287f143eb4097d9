/**
 * Bench: RELAX NG validation of the 295 Schnitzler letters against tei_all,
 * tei-edition (schema layer, one process, schema compile included) vs jing
 * (one JVM call for all files). Prints both times and the ratio.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LETTERS = path.resolve(ROOT, '../shared/corpora/schnitzler-briefe/letters');
const TEI_ALL = path.resolve(ROOT, '../shared/schemas/tei_all.rng');

if (!existsSync(LETTERS) || !existsSync(TEI_ALL)) {
  console.log('bench/validate: Schnitzler letters or tei_all.rng absent, skipped');
} else {
  const files = readdirSync(LETTERS).filter((f) => f.endsWith('.xml')).map((f) => path.join(LETTERS, f));
  const script = `
    import { validatePaths } from ${JSON.stringify(path.join(ROOT, 'src/validate/index.ts'))};
    const r = await validatePaths([${JSON.stringify(LETTERS)}], { corpusDir: ${JSON.stringify(LETTERS)}, schema: ${JSON.stringify(TEI_ALL)}, layers: { rules: false, coherence: false } });
    console.log(r.files, r.messages.length);`;
  let t = Date.now();
  const ours = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }).trim();
  const oursMs = Date.now() - t;
  console.log(`tei-edition (node process, schema compile included): ${oursMs} ms  [files, messages: ${ours}]`);
  t = Date.now();
  const jing = spawnSync('jing', [TEI_ALL, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const jingMs = Date.now() - t;
  if (jing.error) console.log('jing not installed (apt-get install jing): no comparison');
  else {
    console.log(`jing: ${jingMs} ms  [${jing.stdout.split('\n').filter(Boolean).length} messages]`);
    console.log(`ratio jing / tei-edition: ${(jingMs / oursMs).toFixed(2)}×`);
  }
}
