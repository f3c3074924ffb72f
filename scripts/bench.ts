// npm run bench — prints the numbers the engine issues ask for and rewrites the marked section of
// docs/benchmarks.md: GFLOP/s of the hot products (native at every dispatch level, WASM, f64),
// seconds per epoch of the report defaults for the native and WASM engines alternated with the
// numpy and PyTorch references in this same run on the same core, a per-phase profile of one
// native epoch, and the runner's 1- vs 2-worker throughput (a fresh pool, and a session past its first runs) and memory.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { readCifar } from '../src-main/data/cifarReader';
import { DatasetManager } from '../src-main/data/datasetManager';
import { nativeStatus } from '../src-main/engine/index';
import { benchCompare } from './benchCompare';
import { benchExportPng } from './benchExportPng';
import { benchKernels } from './benchKernels';
import { benchNativeKernels, f64GemmEpochSeconds, nativeLevels } from './benchNativeKernels';
import { extractedFolder, openblasInfo, pinned, referenceAvailable, runReference } from './benchReference';

const DATA = join(import.meta.dirname, '../../shared/data/cifar-10-binary.tar.gz');
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 4);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);
/** Alternating pairs of 1 and 2 workers for the runner's steady-state ratio. */
const RUNNER_PAIRS = Number(process.env.BENCH_RUNNER_PAIRS ?? 7);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
const lines: string[] = [];
const say = (s = ''): void => {
  console.log(s);
  lines.push(s);
};

say(`Machine: ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} (V8 ${process.versions.v8}) · ${new Date().toISOString().slice(0, 16)}Z`);
say('Command: `npm run bench`');
say();
const native = nativeStatus();
say(native.available ? `Native addon: ${native.path}, dispatch level ${native.level}` : `Native addon: not available (${native.reason})`);
say();
say('| kernels | product | shape | GFLOP/s best | GFLOP/s median |');
say('|---|---|---|---|---|');
for (const level of nativeLevels()) {
  for (const r of benchNativeKernels(level)) say(`| native-${level} | ${r.name} | ${r.shape} | ${r.bestGflops.toFixed(1)} | ${r.medianGflops.toFixed(1)} |`);
}
for (const r of benchKernels()) say(`| WASM | ${r.name} | ${r.shape} | ${r.bestGflops.toFixed(1)} | ${r.medianGflops.toFixed(1)} |`);
const f64 = f64GemmEpochSeconds();
say(`| f64 reference | X·W1 and Xᵀ·dZ (TypeScript, float64) | [64×3072]·[3072×100] | ${f64.gflops.toFixed(2)} | – |`);
say();

// Compare and delete of a 10,000-run experiment: needs no dataset
for (const line of await benchCompare()) say(line);
say();

// `workbench export png` per chart (resvg, no browser): needs no dataset either
for (const line of await benchExportPng()) say(line);
say();

if (!existsSync(DATA)) {
  say('Epoch timings need ../shared/data/cifar-10-binary.tar.gz, which is absent: not run.');
    process.exit(0);
}
const t = performance.now();
await readCifar(DATA);
const direct = (performance.now() - t) / 1000;
const benchHome = mkdtempSync(join(tmpdir(), 'bench-home-'));
const manager = new DatasetManager(benchHome);
const t1 = performance.now();
const status = await manager.import(DATA);
const imported = (performance.now() - t1) / 1000;
const t2 = performance.now();
await manager.load();
const loaded = (performance.now() - t2) / 1000;
say(`Dataset: import of the shared archive into the cache ${imported.toFixed(2)} s (${status.source?.official ? 'official' : 'unofficial copy'}, ${status.train?.records} / ${status.test?.records} images); **loading the ready cache into SharedArrayBuffers ${loaded.toFixed(2)} s**; reading the .tar.gz directly ${direct.toFixed(2)} s`);
say();

// Seconds per epoch, each engine in its own process pinned to one core, alternated TRIALS times.
// Each trial's figure is the median of its epochs after the first (the first pays one-off page
// faults over the dataset in every engine alike).
type Engine = { name: string; run: () => number[] };
const epochsOf = (kernel: string): number[] => {
  const [cmd, argv] = pinned(1, process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'benchEpochs.ts'), benchHome, kernel, String(EPOCHS)]);
  const out = JSON.parse(execFileSync(cmd, argv, { encoding: 'utf8' }).trim().split('\n').at(-1)!) as { kernel: string; seconds: number[]; maxRssMb: number };
  engineKinds.set(kernel, `${out.kernel}, peak RSS ${out.maxRssMb.toFixed(0)} MB`);
  return out.seconds;
};
const engineKinds = new Map<string, string>();
const extracted = extractedFolder(DATA);
const engines: Engine[] = [];
if (native.available) engines.push({ name: 'native', run: () => epochsOf('native') });
engines.push({ name: 'wasm', run: () => epochsOf('wasm') });
for (const impl of ['numpy', 'torch'] as const) {
  if (referenceAvailable(impl)) engines.push({ name: impl, run: () => runReference(impl, extracted.folder, ['--epochs', String(EPOCHS)], 1).map((e) => e.secs) });
}
const trials = new Map<string, number[]>(engines.map((e) => [e.name, []]));
try {
  for (let i = 0; i < TRIALS; i++) for (const e of engines) trials.get(e.name)!.push(median(e.run().slice(1)));
} finally {
  extracted.dispose();
}
const label: Record<string, string> = { native: 'this engine, native kernels', wasm: 'this engine, WebAssembly SIMD', numpy: 'numpy + OpenBLAS (ref_mlp.py)', torch: 'PyTorch (ref_mlp.py)' };
const med = (name: string): number => median(trials.get(name)!);
say(`Report defaults (2×100 sigmoid, batch 64, SGD γ 0.3, training + test-set evaluation), one thread each, each engine in its own process pinned to core 1, alternated ${TRIALS} times (${EPOCHS} epochs a trial; a trial's figure is the median of its epochs after the first):`);
say();
say('| engine | per-trial seconds per epoch | median | native ÷ this |');
say('|---|---|---|---|');
for (const [name, values] of trials) {
  const kind = engineKinds.get(name) ? ` (${engineKinds.get(name)})` : '';
  const ratio = trials.has('native') && name !== 'native' ? `**${(med('native') / med(name)).toFixed(2)}×**` : '–';
  say(`| ${label[name]}${kind} | ${values.map((v) => v.toFixed(3)).join(', ')} | ${med(name).toFixed(3)} | ${ratio} |`);
}
say(`| f64 reference, its first-layer products alone (estimate from the GFLOP/s above) | – | ${f64.seconds.toFixed(1)} | ${trials.has('native') ? `${(med('native') / f64.seconds).toFixed(3)}×` : '–'} |`);
say();
say(`OpenBLAS used by the numpy reference (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for it): ${openblasInfo()}`);
say();

if (native.available) {
  const [cmd, argv] = pinned(1, process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'benchProfile.ts'), benchHome]);
  const profile = JSON.parse(execFileSync(cmd, argv, { encoding: 'utf8' }).trim().split('\n').at(-1)!) as { level: string; seconds: number; rows: { name: string; ms: number }[] };
  say(`Where one epoch goes (native-${profile.level}, third epoch of a run, ${profile.seconds.toFixed(3)} s; every kernel call timed):`);
  say();
  say('| phase | ms | share |');
  say('|---|---|---|');
  for (const r of profile.rows) say(`| ${r.name} | ${r.ms.toFixed(0)} | ${((r.ms / (profile.seconds * 1000)) * 100).toFixed(0)} % |`);
  say();
}

if (native.available) {
  // checkpoints: what a run writes after every epoch, and what that costs it
  const [cmd, argv] = pinned(1, process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'benchCheckpoint.ts'), benchHome, '5']);
  const rows = execFileSync(cmd, argv, { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l) as { name: string; bytes: number; captureMs: number; encodeMs: number[]; durableMs: number[]; epochSeconds: number[] });
  say('Checkpoints (one after every epoch, as a worker writes them; native kernels, pinned to core 1; medians over epochs 2–5):');
  say();
  say('| config | checkpoint size | training thread per epoch: copy state + encode & sha256 | share of the epoch | until durable (write, fsync, rename on the thread pool) | epoch |');
  say('|---|---|---|---|---|---|');
  for (const r of rows) {
    const blocking = r.captureMs + median(r.encodeMs.slice(1));
    const epoch = median(r.epochSeconds.slice(1));
    say(`| ${r.name} | ${(r.bytes / 1024 / 1024).toFixed(2)} MB | ${r.captureMs.toFixed(1)} + ${median(r.encodeMs.slice(1)).toFixed(1)} ms | **${((blocking / (epoch * 1000)) * 100).toFixed(2)} %** | ${median(r.durableMs.slice(1)).toFixed(0)} ms | ${epoch.toFixed(3)} s |`);
  }
  say();
}

{
  // runner throughput and memory, each in a fresh process so its peak RSS is its own
  type RunnerTrial = { startupSeconds: number; seconds: number; epochsPerSecond: number; medianEpochSeconds: number; maxRssMb: number; statuses: string[] };
  const runnerBench = (workers: number, runs = 4, epochs = 4, warm = 0): RunnerTrial => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'benchRunner.ts'), benchHome, String(workers), String(runs), String(epochs), String(warm)], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1)!);
  };
  // alternate 1 and 2 workers four times and keep the faster of each: this VM has slow spells of
  // tens of seconds that exceed the effect measured
  const trials: RunnerTrial[] = [];
  for (let i = 0; i < 4; i++) trials.push(runnerBench(1), runnerBench(2));
  const of = (w: number) => trials.filter((_, i) => i % 2 === w - 1);
  const fastest = (w: number) => of(w).reduce((a, b) => (b.epochsPerSecond > a.epochsPerSecond ? b : a));
  const one = fastest(1);
  const two = fastest(2);
  const all = (w: number) => of(w).map((t) => t.seconds.toFixed(1)).join(', ');
  const startup = (w: number) => of(w).map((t) => t.startupSeconds.toFixed(2)).join(', ');
  say();
  say('Runner (worker threads sharing the dataset SharedArrayBuffer, kernel auto; 4 runs × 4 epochs of the report defaults on a started pool, each setting measured four times, alternating; the fastest counts):');
  say(`- 1 worker: ${all(1)} s → ${one.epochsPerSecond.toFixed(3)} epochs/s (peak RSS ${one.maxRssMb.toFixed(0)} MB; pool start-up ${startup(1)} s)`);
  say(`- 2 workers: ${all(2)} s → ${two.epochsPerSecond.toFixed(3)} epochs/s → **${(two.epochsPerSecond / one.epochsPerSecond).toFixed(2)}× one worker**; **peak RSS of the whole process with 2 runs in parallel ${Math.max(...of(2).map((t) => t.maxRssMb)).toFixed(0)} MB** (pool start-up ${startup(2)} s)`);
  const medianRate = (w: number) => median(of(w).map((t) => t.epochsPerSecond));
  // two epochs run side by side with two workers: the per-epoch rate is 2 / (median epoch seconds)
  const epochMedian = (w: number) => median(of(w).map((t) => t.medianEpochSeconds));
  say(`- the same ratio from the median trial of each: ${(medianRate(2) / medianRate(1)).toFixed(2)}×; from the median epoch (${epochMedian(1).toFixed(2)} s with one worker, ${epochMedian(2).toFixed(2)} s with two side by side): ${((2 / epochMedian(2)) / (1 / epochMedian(1))).toFixed(2)}×`);
  // A fresh pool's first runs pay V8 compiling the trainer, on its background threads: free with one
  // worker (the other core is idle), taken from the other worker with two. A sweep is past that after
  // each worker's first runs, so its throughput is measured in a session that has trained two short
  // runs per worker; pairs alternate, and the ratio of each pair counts (a pair's two trials run
  // within a minute of each other, while this host's speed drifts by ±10 % over minutes)
  const pairs: number[] = [];
  const warmTrials: RunnerTrial[] = [];
  for (let i = 0; i < RUNNER_PAIRS; i++) {
    const a = runnerBench(1, 2, 8, 2);
    const b = runnerBench(2, 4, 8, 2);
    warmTrials.push(a, b);
    pairs.push(b.epochsPerSecond / a.epochsPerSecond);
  }
  say(`- a sweep past its first runs (each worker first trains 2 runs of 2 epochs; then 2 runs × 8 epochs per worker), ${RUNNER_PAIRS} alternating pairs of 1 and 2 workers: 2 workers ÷ 1 per pair ${pairs.map((r) => r.toFixed(2)).join(', ')} → **median ${median(pairs).toFixed(2)}× one worker**`);
  const failed = [...trials, ...warmTrials].flatMap((t) => t.statuses).filter((s) => s !== 'finished');
  if (failed.length > 0) say(`- **${failed.length} runs did not finish: ${failed.join(', ')}**`);

  // the same work on 1 coordinator + 2 worker processes behind a real Redis (when redis-server exists)
  if (spawnSync('redis-server', ['--version']).status === 0) {
    type DistTrial = { seconds: number; epochsPerSecond: number; commandsPerEpoch: number; statuses: string[] };
    const dist: DistTrial[] = [];
    for (let i = 0; i < 3; i++) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'benchDistributed.ts'), benchHome, '4', '4'], { encoding: 'utf8' });
      dist.push(JSON.parse(out.trim().split('\n').at(-1)!));
    }
    const best = dist.reduce((a, b) => (b.epochsPerSecond > a.epochsPerSecond ? b : a));
    say(`- 1 coordinator + 2 worker processes (1 thread each) on a local redis-server: ${dist.map((d) => d.seconds.toFixed(1)).join(', ')} s → ${best.epochsPerSecond.toFixed(3)} epochs/s → **${(best.epochsPerSecond / two.epochsPerSecond).toFixed(2)}× the local runner with 2 workers** (fastest of 3 each); **${median(dist.map((d) => d.commandsPerEpoch)).toFixed(0)} Redis commands per epoch** (all clients: each epoch's MULTI with its checkpoint, heartbeats, the coordinator's reads, BullMQ's locks)`);
    // runs of the report's length (20 epochs), as a sweep trains them: per-run costs (taking a job,
    // the final model's trip through Redis) weigh a fifth of what they do in 4-epoch runs. Alternating
    // local and distributed three times, so a slow spell of the VM hits both alike
    const local20: RunnerTrial[] = [];
    const dist20: DistTrial[] = [];
    for (let i = 0; i < 3; i++) {
      local20.push(JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'benchRunner.ts'), benchHome, '2', '4', '20'], { encoding: 'utf8' }).trim().split('\n').at(-1)!));
      dist20.push(JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'benchDistributed.ts'), benchHome, '4', '20'], { encoding: 'utf8' }).trim().split('\n').at(-1)!));
    }
    const top = <T extends { epochsPerSecond: number }>(xs: T[]): T => xs.reduce((a, b) => (b.epochsPerSecond > a.epochsPerSecond ? b : a));
    const med = (xs: { epochsPerSecond: number }[]) => median(xs.map((x) => x.epochsPerSecond));
    say(`- the same at the report's run length, 4 runs × 20 epochs, alternating three times: local runner with 2 workers ${local20.map((d) => d.seconds.toFixed(1)).join(', ')} s, 1 coordinator + 2 worker processes ${dist20.map((d) => d.seconds.toFixed(1)).join(', ')} s → **${(top(dist20).epochsPerSecond / top(local20).epochsPerSecond).toFixed(2)}× the local runner** (fastest of 3 each; medians ${(med(dist20) / med(local20)).toFixed(2)}×); ${median(dist20.map((d) => d.commandsPerEpoch)).toFixed(0)} Redis commands per epoch`);
    const notFinished = [...dist, ...dist20].flatMap((d) => d.statuses).filter((s) => s !== 'finished');
    if (notFinished.length) say(`- **${notFinished.length} distributed runs did not finish**`);
  } else say('- distributed: redis-server is not installed, not measured');
  rmSync(benchHome, { recursive: true, force: true });
}

finish();

/** Rewrites the marked section of docs/benchmarks.md with what this run printed. */
function finish(): void {
  const doc = join(import.meta.dirname, '../docs/benchmarks.md');
  if (existsSync(doc)) {
    const text = readFileSync(doc, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    if (text.includes(start) && text.includes(end)) {
      const updated = `${text.slice(0, text.indexOf(start) + start.length)}\n${lines.join('\n')}\n${text.slice(text.indexOf(end))}`;
      writeFileSync(doc, updated);
      console.log(`\nUpdated ${doc}`);
    }
  }
}
