// The report's Figure 2 (SGD and Adam × γ ∈ {0.001 … 0.5}) on the real CIFAR-10, run twice on the same
// seeds: as the full grid and as ASHA on the seed mean (η 3, first rung at epoch 2). Prints each one's
// best configuration, the epochs each trained, whether ASHA's pick is the grid's best or within the
// grid best's 95 % CI, and the ASHA decisions rung by rung, as Markdown for docs/report-reproduction.md.
//
//   node --import tsx scripts/ashaFigure2.ts [--workers 2] [--seeds 3] [--out results.json]
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { groupLabel, labelFields } from '../src-shared/aggregate';
import { PRESETS } from '../src-shared/presets';
import { summarize, welch, type Summary } from '../src-shared/stats';
import { parseSweepSpec, sweepPreview, type SweepSpecInput } from '../src-shared/sweep';
import { DatasetManager } from '../src-main/data/datasetManager';
import { Runner } from '../src-main/runner/runner';
import { RunFiles } from '../src-main/store/files/runFiles';
import { Store } from '../src-main/store/store';
import type { RunSummary } from '../src-shared/runs';

const DATA = join(import.meta.dirname, '../../shared/data/cifar-10-binary.tar.gz');
const { values: opts } = parseArgs({ options: { workers: { type: 'string', default: '2' }, seeds: { type: 'string', default: '3' }, out: { type: 'string' } } });
const workers = Number(opts.workers);
const seeds = Number(opts.seeds);
if (!existsSync(DATA)) {
  console.log(`This needs the real CIFAR-10 at ${DATA}, which is absent: not run.`);
  process.exit(0);
}

const home = mkdtempSync(join(tmpdir(), 'asha-fig2-'));
const dataset = new DatasetManager(home);
await dataset.import(DATA);
const data = await dataset.load();
const fig2 = PRESETS.find((p) => p.id === 'fig2')!.spec;
const gridSpec: SweepSpecInput = { ...fig2, name: 'Fig. 2 grid', repeats: seeds };
const ashaSpec: SweepSpecInput = { ...fig2, name: 'Fig. 2 ASHA', repeats: seeds, asha: { minEpochs: 2, reductionFactor: 3, metric: 'testAccuracy' } };

interface Outcome {
  runs: RunSummary[];
  epochs: number;
  seconds: number;
  /** Per configuration (config hash): its label and the summary of its finished runs' final test accuracy. */
  configs: Map<string, { label: string; finals: number[]; summary: Summary; statuses: string[] }>;
  decisions: { config: string; rung: number; decision: string; value: number | null; rank: number; of: number }[];
}

/** Runs one sweep to its end on `workers` worker threads (checkpoints and models as in the app). */
async function run(spec: SweepSpecInput): Promise<Outcome> {
  const dir = mkdtempSync(join(home, 'run-'));
  const store = new Store(join(dir, 'workbench.sqlite'), 'asha-fig2');
  const runner = new Runner({ store, files: new RunFiles(dir), appVersion: 'asha-fig2', workers, loadDataset: async () => ({ data, sha256: 'fig2' }) });
  await runner.whenWorkersReady();
  const { id } = store.createExperiment(parseSweepSpec(spec).spec, null);
  const t = performance.now();
  let ended = 0;
  runner.on((event, p) => {
    if (event === 'run/state' && ['finished', 'pruned', 'diverged', 'failed'].includes(p.status)) {
      ended += 1;
      process.stderr.write(`\r${spec.name}: ${ended} runs ended, ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
  });
  runner.pump();
  await runner.whenIdle();
  const seconds = (performance.now() - t) / 1000;
  process.stderr.write('\n');
  const runs = store.listRuns({ experimentId: id, limit: 10_000, offset: 0 });
  const fields = labelFields(runs.map((r) => r.config));
  const configs: Outcome['configs'] = new Map();
  for (const r of runs) {
    const c = configs.get(r.configHash) ?? { label: groupLabel(r.config, fields), finals: [], summary: summarize([]), statuses: [] };
    c.statuses.push(r.status === 'pruned' ? `pruned@${r.prunedEpoch}` : r.status);
    if (r.status === 'finished' && r.finalTestAccuracy !== null) c.finals.push(r.finalTestAccuracy);
    configs.set(r.configHash, c);
  }
  for (const c of configs.values()) c.summary = summarize(c.finals);
  const decisions = store.db
    .prepare<[number], Outcome['decisions'][number]>('SELECT config_hash AS config, rung, decision, value, rank, of FROM asha_decisions WHERE experiment_id = ? ORDER BY rung, decided_at, rank')
    .all(id);
  const epochs = runs.reduce((s, r) => s + r.epochsDone, 0);
  await runner.close();
  store.close();
  return { runs, epochs, seconds, configs, decisions };
}

const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;
const best = (o: Outcome): [string, Outcome['configs'] extends Map<string, infer V> ? V : never] =>
  [...o.configs].filter(([, c]) => c.finals.length).sort((a, b) => b[1].summary.mean - a[1].summary.mean)[0];

const grid = await run(gridSpec);
const asha = await run(ashaSpec);
const [gridBestHash, gridBest] = best(grid);
const [ashaPickHash, ashaPick] = best(asha);
const pickInGrid = grid.configs.get(ashaPickHash)!;
const same = gridBestHash === ashaPickHash;
const withinCi = pickInGrid.summary.mean >= gridBest.summary.ciLow && pickInGrid.summary.mean <= gridBest.summary.ciHigh;
const diff = same ? null : welch(pickInGrid.finals, gridBest.finals);
// ASHA's promoted runs train the same config on the same seed and kernel as the grid's: the same numbers
const identical = asha.runs.filter((r) => r.status === 'finished').every((r) => grid.runs.some((g) => g.configHash === r.configHash && g.seed === r.seed && g.finalTestAccuracy === r.finalTestAccuracy));
const preview = sweepPreview(parseSweepSpec(ashaSpec).spec);

const lines: string[] = [];
const say = (s = ''): void => void lines.push(s);
say(`Figure 2 (12 configurations × ${seeds} seeds × 20 epochs, seeds 0–${seeds - 1}) on the real CIFAR-10, ${workers} worker threads, kernel auto, run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC:`);
say();
say('| | epochs trained | wall time | best configuration (mean final test acc. over its finished seeds) |');
say('|---|---|---|---|');
say(`| grid | ${grid.epochs} | ${(grid.seconds / 60).toFixed(1)} min | ${gridBest.label}: ${pct(gridBest.summary.mean)} (95 % CI ${pct(gridBest.summary.ciLow)} – ${pct(gridBest.summary.ciHigh)}, n = ${gridBest.summary.n}) |`);
say(`| ASHA (η 3, first rung epoch 2, seed mean) | ${asha.epochs} (**${((100 * asha.epochs) / grid.epochs).toFixed(1)} %** of the grid's; bound ${preview.maxEpochs}) | ${(asha.seconds / 60).toFixed(1)} min | ${ashaPick.label}: ${pct(ashaPick.summary.mean)} (n = ${ashaPick.summary.n}) |`);
say();
say(
  same
    ? `**ASHA picks the grid's best configuration** (${ashaPick.label}) with ${((100 * asha.epochs) / grid.epochs).toFixed(1)} % of its epochs.`
    : `ASHA picks ${ashaPick.label}, whose grid mean ${pct(pickInGrid.summary.mean)} is ${withinCi ? '**within**' : '**outside**'} the 95 % CI of the grid's best (${gridBest.label}, ${pct(gridBest.summary.ciLow)} – ${pct(gridBest.summary.ciHigh)}); Welch difference ${(diff!.difference * 100).toFixed(2)} points (95 % CI ${(diff!.ciLow * 100).toFixed(2)} to ${(diff!.ciHigh * 100).toFixed(2)}, p = ${diff!.p.toFixed(3)}).`,
);
say(`ASHA's finished runs ${identical ? 'have exactly the final accuracies of the same seeds in the grid (waiting at rungs and continuing from checkpoints changes nothing)' : 'differ from the same seeds in the grid'}.`);
say();
say('Grid, mean final test accuracy per configuration, and what ASHA did with it:');
say();
say('| configuration | grid (mean, 95 % CI) | ASHA |');
say('|---|---|---|');
for (const [hash, c] of [...grid.configs].sort((a, b) => b[1].summary.mean - a[1].summary.mean)) {
  const a = asha.configs.get(hash)!;
  const outcome = a.statuses.every((s) => s === 'finished') ? `finished: ${pct(a.summary.mean)}` : [...new Set(a.statuses)].join(', ');
  say(`| ${c.label} | ${pct(c.summary.mean)} (${pct(c.summary.ciLow)} – ${pct(c.summary.ciHigh)}) | ${outcome} |`);
}
say();
say('ASHA decisions, in the order made (value: the seed mean of test accuracy at the rung; rank of the configurations that had reached it):');
say();
say('| rung | configuration | decision | seed mean | rank |');
say('|---|---|---|---|---|');
for (const d of asha.decisions) say(`| ${d.rung} | ${asha.configs.get(d.config)!.label} | ${d.decision} | ${d.value === null ? 'NaN' : pct(d.value)} | ${d.rank} of ${d.of} |`);
console.log(lines.join('\n'));
if (opts.out) {
  const json = { workers, seeds, grid: { epochs: grid.epochs, seconds: grid.seconds, best: gridBest.label }, asha: { epochs: asha.epochs, seconds: asha.seconds, pick: ashaPick.label, bound: preview.maxEpochs }, same, withinCi, identical };
  writeFileSync(opts.out, `${JSON.stringify(json, null, 2)}\n`);
}
rmSync(home, { recursive: true, force: true });
