/**
 * Bench: RELAX NG validation of the 295 Schnitzler letters against tei_all,
 * `tei-edition validate` as a user runs it (the compiled CLI, dist/cli.js,
 * well-formedness + schema: `--only schema`, one worker thread per core) beside
 * jing (one JVM call for all files, `jing tei_all.rng files…`).
 *
 * - cold: an empty cache, so tei_all is compiled (jing always compiles);
 * - warm: the compiled schema comes from the cache the cold run wrote
 *   (`.cache/tei-edition/schemas/`), the normal case from the second run on.
 *
 * Each is run BENCH_VALIDATE_RUNS times (default 5), each round cold, warm,
 * jing; reported are the medians and the median of the rounds' ratios to jing
 * (target: ≤ 0.5×); on a busy machine the per-round ratio is the steadier one.
 * BENCH_COMPILE=0 uses dist/ as it is (else `tsc -p .` first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LETTERS = path.resolve(ROOT, '../shared/corpora/schnitzler-briefe/letters');
const TEI_ALL = path.resolve(ROOT, '../shared/schemas/tei_all.rng');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const RUNS = Math.max(1, Number(process.env.BENCH_VALIDATE_RUNS ?? 5));

interface Run {
  ms: number;
  /** CPU time (user + system) of the child and its threads, where the system tells it (Linux). */
  cpuMs?: number;
  status: number | null;
  summary: string;
}

/** CPU time of this process's waited-for children so far (Linux: /proc/self/stat cutime + cstime), in ms. */
function childrenCpu(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    // After "pid (comm) ", field 3 is the state: cutime and cstime are fields 16 and 17 (clock ticks, 100 per second).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Runs `f` (a spawnSync) and adds the child's CPU time to its result. */
function timed(f: () => Run | undefined): Run | undefined {
  const before = childrenCpu();
  const r = f();
  const after = childrenCpu();
  if (r && before !== undefined && after !== undefined) r.cpuMs = after - before;
  return r;
}

function ours(cacheDir: string): Run {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'validate', LETTERS, '--schema', TEI_ALL, '--only', 'schema'], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, TEI_EDITION_CACHE: cacheDir },
  });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  const summary = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 2) throw new Error(`tei-edition validate failed: ${r.stderr}`);
  return { ms, status: r.status, summary };
}

function jing(files: string[]): Run | undefined {
  const t = performance.now();
  const r = spawnSync('jing', [TEI_ALL, ...files], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = performance.now() - t;
  if (r.error) return undefined;
  return { ms, status: r.status, summary: `${r.stdout.split('\n').filter(Boolean).length} messages` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;

if (!existsSync(LETTERS) || !existsSync(TEI_ALL)) {
  console.log('bench/validate: Schnitzler letters or tei_all.rng absent, skipped');
} else {
  // tsc emits dist/ even when it reports type errors (elsewhere in a work tree): only a missing CLI is fatal.
  if (process.env.BENCH_COMPILE !== '0') spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run compile`);
  const files = readdirSync(LETTERS).filter((f) => f.endsWith('.xml')).map((f) => path.join(LETTERS, f));
  const loadBefore = loadavg()[0]!;
  const cold: number[] = [];
  const warm: number[] = [];
  const jings: number[] = [];
  const cpu = { cold: [] as number[], warm: [] as number[], jing: [] as number[] };
  let last: { cold?: Run; warm?: Run; jing?: Run } = {};
  let jingMissing = false;
  for (let i = 0; i < RUNS; i++) {
    const cache = mkdtempSync(path.join(tmpdir(), 'te-bench-cache-'));
    try {
      const c = timed(() => ours(cache))!; // empty cache: compiles tei_all and writes the cache
      const w = timed(() => ours(cache))!; // the same cache: tei_all from the cache
      cold.push(c.ms);
      warm.push(w.ms);
      if (c.cpuMs !== undefined) cpu.cold.push(c.cpuMs);
      if (w.cpuMs !== undefined) cpu.warm.push(w.cpuMs);
      last = { cold: c, warm: w };
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
    const j = timed(() => jing(files));
    if (!j) jingMissing = true;
    else {
      jings.push(j.ms);
      if (j.cpuMs !== undefined) cpu.jing.push(j.cpuMs);
      last.jing = j;
    }
  }
  const c = median(cold);
  const w = median(warm);
  console.log(`${files.length} letters, tei_all, ${availableParallelism()} cores, median of ${RUNS} run${RUNS === 1 ? '' : 's'}, load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
  console.log(`tei-edition validate --only schema, cold (empty cache, tei_all compiled): ${ms(c)}  [${cold.map(ms).join(', ')}]  ${last.cold?.summary}`);
  console.log(`tei-edition validate --only schema, warm (tei_all from the cache):        ${ms(w)}  [${warm.map(ms).join(', ')}]  ${last.warm?.summary}`);
  if (jingMissing) console.log('jing not installed (apt-get install jing): no comparison');
  else {
    const j = median(jings);
    console.log(`jing (compiles tei_all on every run):                                      ${ms(j)}  [${jings.map(ms).join(', ')}]  ${last.jing?.summary}`);
    const round = (xs: number[]) => median(xs.map((x, i) => x / jings[i]!));
    console.log(`ratio tei-edition / jing (medians): warm ${(w / j).toFixed(2)}×, cold ${(c / j).toFixed(2)}× (target ≤ 0.50×)`);
    console.log(`ratio tei-edition / jing (median of the rounds): warm ${round(warm).toFixed(2)}×, cold ${round(cold).toFixed(2)}×  [warm ${warm.map((x, i) => (x / jings[i]!).toFixed(2)).join(', ')}]`);
  }
  // CPU time is steadier than wall time on a shared machine (but says nothing of how well the threads overlap).
  if (cpu.warm.length === RUNS) {
    const j = cpu.jing.length === RUNS ? ` jing ${ms(median(cpu.jing))}` : '';
    console.log(`CPU time (user + system, medians): warm ${ms(median(cpu.warm))}, cold ${ms(median(cpu.cold))},${j}`);
  }
}
