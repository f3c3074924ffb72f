// Child of npm run bench: runs `runs` runs of `epochs` epochs (report defaults) on `workers` worker
// threads against the dataset cache in `home`, and prints one JSON line: the workers' start-up
// seconds, then wall seconds and epochs per second of training from a started pool (throughput is a
// steady-state rate; start-up happens once per app session), and the peak RSS of this whole
// process (main thread + workers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSweepSpec } from '../src-shared/sweep';
import { DatasetManager } from '../src-main/data/datasetManager';
import { Runner } from '../src-main/runner/runner';
import { RunFiles } from '../src-main/store/files/runFiles';
import { Store } from '../src-main/store/store';
import { printThreadCpu, threadCpu as threadCpuOf } from './threadCpu';

const [home, workersText, runsText, epochsText, warmText] = process.argv.slice(2);
const workers = Number(workersText);
const runs = Number(runsText);
const epochs = Number(epochsText);
/** Runs of 2 epochs each worker trains before the timed ones (a session that has trained already: see below). */
const warmRuns = Number(warmText ?? 0);
const dir = mkdtempSync(join(tmpdir(), 'bench-runner-'));
const store = new Store(join(dir, 'workbench.sqlite'), 'bench');
const dataset = new DatasetManager(home);
// checkpoints and models written as in the app
const runner = new Runner({ store, files: new RunFiles(dir), appVersion: 'bench', workers, loadDataset: async () => ({ data: await dataset.load(), sha256: 'bench' }) });
const t0 = performance.now();
await runner.whenWorkersReady();
const startupSeconds = (performance.now() - t0) / 1000;
if (warmRuns > 0) {
  // V8 compiles the training code while a worker's first runs train, and recompiles part of it when
  // the next run starts (new objects, new seeds); with every core training, that background work
  // takes from the other worker. A session that has trained a few runs is past it: measured warm,
  // the ratio is the one a sweep sees after its first runs
  store.createExperiment(parseSweepSpec({ name: 'warm-up', base: { epochs: 2 }, repeats: warmRuns * workers }).spec, null);
  runner.pump();
  await runner.whenIdle();
}
const warmIds = new Set(store.listRuns({ limit: 1000, offset: 0 }).map((r) => r.id));
store.createExperiment(parseSweepSpec({ name: 'bench', base: { epochs }, repeats: runs }).spec, null);
const threadCpu = () => threadCpuOf([[process.pid, 'local']]);
const cpuBefore = threadCpu();
const t = performance.now();
runner.pump();
await runner.whenIdle();
const seconds = (performance.now() - t) / 1000;
const rows = store.listRuns({ limit: 1000, offset: 0 }).filter((r) => !warmIds.has(r.id));
const statuses = rows.map((r) => r.status);
const epochSeconds = rows.flatMap((r) => store.epochs.list(r.id).map((e) => e.seconds)).sort((a, b) => a - b);
const medianEpochSeconds = epochSeconds[epochSeconds.length >> 1];
if (process.env.BENCH_DETAIL) {
  for (const r of rows) console.error(r.id, store.epochs.list(r.id).map((e) => e.seconds.toFixed(3)).join(' '));
  printThreadCpu(cpuBefore, threadCpu());
}
await runner.close();
store.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ workers, runs, epochs, warmRuns, startupSeconds, seconds, epochsPerSecond: (runs * epochs) / seconds, medianEpochSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, statuses }));
