// node --import tsx scripts/estimateCheck.ts [repeats] [--again] — the time estimate's error on the report's Figure 1
// preset (issue 14): imports the real CIFAR-10 into a temporary home, asks for the estimate with no
// history (the documented default), seeds the history with a short sweep of the same shape (2 runs × 3
// epochs on the same workers), asks again, then runs the preset and prints estimate against actual wall
// time. `repeats` (default the preset's 10) reduces the preset proportionally on a busy machine.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openWorkbench } from '../src-main/api/openWorkbench';
import { PRESETS } from '../src-shared/presets';
import { aboutDuration } from '../src-shared/estimate/words';

const DATA = join(import.meta.dirname, '../../shared/data/cifar-10-binary.tar.gz');
const repeats = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 10);
/** `--again`: then runs the preset a second time, estimated from the history of the first. */
const again = process.argv.includes('--again');
const workers = Number(process.env.ESTIMATE_WORKERS ?? Math.min(2, availableParallelism()));
if (!existsSync(DATA)) {
  console.log(`The real CIFAR-10 (${DATA}) is absent: not run.`);
  process.exit(0);
}
const home = mkdtempSync(join(tmpdir(), 'estimate-home-'));
const wb = openWorkbench(home, { workers });
const fmt = (s: number): string => `${(s / 60).toFixed(2)} min (${s.toFixed(0)} s)`;
try {
  console.log(`Machine: ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} · load ${loadavg().map((l) => l.toFixed(2)).join(' ')} · ${new Date().toISOString().slice(0, 16)}Z`);
  console.log(`Command: node --import tsx scripts/estimateCheck.ts ${repeats}${again ? ' --again' : ''} (${workers} workers)`);
  await wb.api.call('data/import', { path: DATA });
  const fig1 = structuredClone(PRESETS.find((p) => p.id === 'fig1')!.spec);
  fig1.repeats = repeats;
  const guess = await wb.api.call('experiments/estimate', { spec: fig1 });
  console.log(`No history: ${guess.text} (${guess.basis}) = ${fmt(guess.seconds)}`);

  const seed = { name: 'seed the history', base: { epochs: 3, seed: 1000 }, axes: [], repeats: workers };
  let t = performance.now();
  await wb.api.call('experiments/create', { spec: seed });
  await wb.runner.whenIdle();
  console.log(`Seeding: ${workers} runs × 3 epochs of the report's shape in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  const estimate = await wb.api.call('experiments/estimate', { spec: fig1 });
  console.log(`Estimate: ${estimate.text} (${estimate.basis}) = ${fmt(estimate.seconds)} for ${estimate.runs} runs, ${estimate.epochs} epochs`);
  t = performance.now();
  const { id } = await wb.api.call('experiments/create', { spec: fig1 });
  await wb.runner.whenIdle();
  const actual = (performance.now() - t) / 1000;
  const exp = await wb.api.call('experiments/get', { id });
  const error = (estimate.seconds - actual) / actual;
  console.log(`Actual: ${fmt(actual)} (${aboutDuration(actual)}), runs ${JSON.stringify(exp.statusCounts)}`);
  console.log(`Error: ${(error * 100).toFixed(1)} % (estimate ${error >= 0 ? 'over' : 'under'}); without history the guess was off by ${(((guess.seconds - actual) / actual) * 100).toFixed(1)} %`);

  if (again) {
    // the usual case after a first sweep: the history holds runs of the sweep's own length
    const next = await wb.api.call('experiments/estimate', { spec: fig1 });
    console.log(`Again, with that sweep in the history: ${next.text} (${next.basis}) = ${fmt(next.seconds)}`);
    t = performance.now();
    await wb.api.call('experiments/create', { spec: { ...fig1, name: `${fig1.name} (again)` } });
    await wb.runner.whenIdle();
    const second = (performance.now() - t) / 1000;
    const e2 = (next.seconds - second) / second;
    console.log(`Actual: ${fmt(second)}; error ${(e2 * 100).toFixed(1)} % (estimate ${e2 >= 0 ? 'over' : 'under'})`);
  }
  console.log(`Load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await wb.close();
  rmSync(home, { recursive: true, force: true });
}
