import { groupLabel, labelFields, type Metric, type RunWithEpochs, type SeriesPoint } from './aggregate';
import type { TrainConfig } from './config';
import type { RunStatus } from './runs';
import { mergeMoments, momentsOf, summaryOf, type Moments, type Summary } from './stats';

/**
 * What the Compare view, `workbench export svg|png` and the series CSV need of an experiment, already
 * aggregated (the store computes it in SQL: a 10,000-run experiment is 200,000 epoch rows, which the
 * page never sees). One metric at a time. NaN and infinities never cross the wire (JSON has neither):
 * a value that is not a finite number is null, which statistics leave out as they leave out NaN.
 */
export interface CompareData {
  metric: Metric;
  /** Every run (in id order) with the few numbers of it the comparison uses. */
  runs: CompareRun[];
  /** Per config without the seed (config hash), in the order of their first run: finished runs only. */
  configs: CompareConfig[];
}

export interface CompareRun {
  id: number;
  experimentId: number;
  status: RunStatus;
  configHash: string;
  /** The metric at the run's last epoch. */
  final: number | null;
  /** The best finite value of the metric over its epochs (the lowest for losses). */
  best: number | null;
  bestTestAccuracy: number | null;
  /**
   * The newest run re-queued from this one ("Run again", `runs requeue`), or null: a superseded run
   * is history, its attempt stands for it, so it is neither averaged nor counted as not averaged.
   */
  supersededBy?: number | null;
}

/** Moments as they travel: null where there is no number (an empty set's mean, min and max). */
export type WireMoments = { n: number; mean: number | null; m2: number; min: number | null; max: number | null };

export interface CompareConfig {
  configHash: string;
  config: TrainConfig;
  /** The metric over the finished runs, per epoch (index 0 is epoch 1). */
  epochs: WireMoments[];
  /** Test confusion matrices of the finished runs (100 cells each): summed, and each class's accuracy. */
  confusion: { n: number; sum: number[]; perClass: WireMoments[] } | null;
}

/** One group of the comparison: runs that differ only in the seed, or only in fields not chosen. */
export interface CompareGroup {
  key: string;
  /** In the user's words ("SGD · γ 0.01"): see groupLabel. */
  label: string;
  config: TrainConfig;
  /** The fields the label names (those that differ between the groups): machine-readable columns of the series CSV. */
  fields?: readonly (keyof TrainConfig)[];
  /** Finished runs: what the statistics are computed from. */
  included: CompareRun[];
  /** Diverged, cancelled, failed, interrupted or unfinished runs: listed, never averaged in. */
  excluded: CompareRun[];
  /** Runs re-queued as a new attempt (which stands for them): neither averaged nor "not averaged". */
  superseded?: CompareRun[];
  /** The metric per epoch over the finished runs: exactly what a chart draws and the series CSV holds. */
  series: SeriesPoint[];
  confusion: { mean: number[]; perClass: Summary[]; n: number } | null;
}

/** Losses and the objective are better low; accuracies high. */
export const higherIsBetter = (metric: Metric): boolean => metric === 'testAccuracy' || metric === 'trainAccuracy';

const num = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);
const wire = (v: number): number | null => (Number.isFinite(v) ? v : null);
const fromWire = (m: WireMoments): Moments => ({ n: m.n, mean: num(m.mean), m2: m.m2, min: num(m.min), max: num(m.max) });
export const toWire = (m: Moments): WireMoments => ({ n: m.n, mean: wire(m.mean), m2: m.m2, min: wire(m.min), max: wire(m.max) });

/**
 * Groups the aggregated configs by config hash (the default) or by the chosen fields, merging the
 * moments of configs that fall into one group. Labels name the fields that differ between groups.
 */
export function groupCompare(data: CompareData, byFields?: readonly (keyof TrainConfig)[]): CompareGroup[] {
  const keyOf = (c: CompareConfig): string => (byFields ? JSON.stringify(byFields.map((f) => c.config[f])) : c.configHash);
  const byKey = new Map<string, CompareConfig[]>();
  const runsOf = new Map<string, CompareRun[]>();
  const groupOfHash = new Map<string, CompareRun[]>();
  for (const c of data.configs) {
    const key = keyOf(c);
    if (!byKey.has(key)) {
      byKey.set(key, []);
      runsOf.set(key, []);
    }
    byKey.get(key)!.push(c);
    groupOfHash.set(c.configHash, runsOf.get(key)!);
  }
  for (const r of data.runs) groupOfHash.get(r.configHash)?.push(r);
  const fields = labelFields([...byKey.values()].map((cs) => cs[0].config), byFields);
  return [...byKey.entries()].map(([key, configs]) => {
    const label = groupLabel(configs[0].config, fields);
    const length = Math.max(0, ...configs.map((c) => c.epochs.length));
    const series = Array.from({ length }, (_, i) => ({
      group: label,
      epoch: i + 1,
      ...summaryOf(configs.reduce<Moments>((m, c) => (c.epochs[i] ? mergeMoments(m, fromWire(c.epochs[i])) : m), momentsOf([]))),
    }));
    const matrices = configs.map((c) => c.confusion).filter((c) => c !== null);
    let confusion: CompareGroup['confusion'] = null;
    if (matrices.length) {
      const n = matrices.reduce((s, c) => s + c.n, 0);
      const mean = Array.from({ length: 100 }, (_, k) => matrices.reduce((s, c) => s + c.sum[k], 0) / n);
      const perClass = Array.from({ length: 10 }, (_, k) => summaryOf(matrices.reduce<Moments>((m, c) => mergeMoments(m, fromWire(c.perClass[k])), momentsOf([]))));
      confusion = { mean, perClass, n };
    }
    const all = runsOf.get(key) ?? [];
    const runs = all.filter((r) => !r.supersededBy);
    const superseded = all.filter((r) => r.supersededBy);
    return { key, label, config: configs[0].config, fields, included: runs.filter((r) => r.status === 'finished'), excluded: runs.filter((r) => r.status !== 'finished'), superseded, series, confusion };
  });
}

/** A group's final values (at each finished run's last epoch), as numbers (NaN where none). */
export const finals = (g: CompareGroup): number[] => g.included.map((r) => num(r.final));
/** A group's best values of the metric, per finished run. */
export const bests = (g: CompareGroup): number[] => g.included.map((r) => num(r.best));
/** A group's best test accuracies, per finished run. */
export const bestAccuracies = (g: CompareGroup): number[] => g.included.map((r) => num(r.bestTestAccuracy));

/** The metric's summary at epoch k (1-based) over the group's finished runs. */
export function atEpoch(g: CompareGroup, k: number): Summary {
  return g.series[k - 1] ?? summaryOf(momentsOf([]));
}

/**
 * The same aggregation in memory, from runs already loaded with their epochs (the reproduction
 * script, tests): what the store's SQL computes, run for run.
 */
export function compareDataFromRuns(runs: readonly RunWithEpochs[], metric: Metric): CompareData {
  const sorted = [...runs].sort((a, b) => a.id - b.id);
  const best = higherIsBetter(metric) ? Math.max : Math.min;
  const finiteOf = (r: RunWithEpochs, m: Metric): number[] => r.epochs.map((e) => e[m]).filter(Number.isFinite);
  const extreme = (values: number[], f: (...v: number[]) => number): number | null => (values.length ? f(...values) : null);
  const byHash = new Map<string, RunWithEpochs[]>();
  for (const r of sorted) byHash.set(r.configHash, [...(byHash.get(r.configHash) ?? []), r]);
  const supersededBy = new Map<number, number>();
  for (const r of sorted) if (r.requeuedFrom !== null) supersededBy.set(r.requeuedFrom, r.id);
  const configs = [...byHash.entries()].map(([configHash, group]): CompareConfig => {
    const done = group.filter((r) => r.status === 'finished' && !supersededBy.has(r.id));
    const length = Math.max(0, ...done.map((r) => r.epochs.length));
    const epochs = Array.from({ length }, (_, i) => toWire(momentsOf(done.flatMap((r) => (r.epochs[i] ? [r.epochs[i][metric]] : [])))));
    const matrices = done.map((r) => r.confusion?.matrix).filter((m): m is number[] => Array.isArray(m) && m.length === 100);
    const confusion = matrices.length
      ? {
          n: matrices.length,
          sum: Array.from({ length: 100 }, (_, k) => matrices.reduce((s, m) => s + m[k], 0)),
          perClass: Array.from({ length: 10 }, (_, c) => toWire(momentsOf(matrices.map((m) => classAccuracy(m, c))))),
        }
      : null;
    return { configHash, config: group[0].config, epochs, confusion };
  });
  return {
    metric,
    configs,
    runs: sorted.map((r) => ({
      id: r.id, experimentId: r.experimentId, status: r.status, configHash: r.configHash,
      final: wire(r.epochs.at(-1)?.[metric] ?? NaN), best: extreme(finiteOf(r, metric), best), bestTestAccuracy: extreme(finiteOf(r, 'testAccuracy'), Math.max),
      supersededBy: supersededBy.get(r.id) ?? null,
    })),
  };
}

/** Class c's accuracy in a 10 × 10 confusion matrix (rows: true class): NaN when the class has no images. */
export function classAccuracy(matrix: readonly number[], c: number): number {
  let row = 0;
  for (let k = c * 10; k < c * 10 + 10; k++) row += matrix[k];
  return row ? matrix[c * 11] / row : NaN;
}
