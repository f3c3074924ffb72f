import type { TrainConfig } from './config';
import { fieldValueText } from './fieldLabels';
import type { EpochMetrics } from './metrics';
import type { RunSummary } from './runs';
import { summarize, type Summary } from './stats';

export type Metric = 'testAccuracy' | 'testLoss' | 'trainLoss' | 'trainAccuracy' | 'objective';
export type EpochRow = Omit<EpochMetrics, 'confusion'>;
export type RunWithEpochs = RunSummary & { epochs: EpochRow[]; confusion?: { epoch: number; matrix: number[] } | null };

export interface RunGroup {
  /** Stable key: the config hash (config without the seed). */
  key: string;
  /** The values of the fields that differ between groups in the user's words, e.g. "Adam · γ 0.1". */
  label: string;
  config: TrainConfig;
  /** Finished runs: what the statistics are computed from. */
  included: RunWithEpochs[];
  /** Diverged, cancelled, failed, interrupted or unfinished runs: shown, never averaged in. */
  excluded: RunWithEpochs[];
  /** Runs re-queued as a new attempt (in the runs given), which stands for them: neither averaged nor excluded. */
  superseded?: RunWithEpochs[];
}

/** The fields (seed aside) whose values differ between the groups' configs: what their labels name. */
export function labelFields(configs: readonly TrainConfig[], byFields?: readonly (keyof TrainConfig)[]): (keyof TrainConfig)[] {
  return (byFields ?? (Object.keys(configs[0] ?? {}) as (keyof TrainConfig)[])).filter(
    (f) => f !== 'seed' && configs.some((c) => JSON.stringify(c[f]) !== JSON.stringify(configs[0][f])),
  );
}

/**
 * A group's label in the user's words, e.g. "SGD · γ 0.01", or "all runs" when nothing differs. The
 * machine-readable values travel beside it (the series CSV has a column per field).
 */
export function groupLabel(config: TrainConfig, fields: readonly (keyof TrainConfig)[]): string {
  return fields.map((f) => fieldValueText(f, config[f])).join(' · ') || 'all runs';
}

/**
 * Groups runs that differ only in their seed (by default), or only by the chosen fields (runs that
 * differ in other fields then share a group); labels name the fields that vary between groups.
 */
export function groupRuns(runs: readonly RunWithEpochs[], byFields?: readonly (keyof TrainConfig)[]): RunGroup[] {
  const byKey = new Map<string, RunWithEpochs[]>();
  const keyOf = (r: RunWithEpochs): string => (byFields ? JSON.stringify(byFields.map((f) => r.config[f])) : r.configHash);
  for (const r of runs) byKey.set(keyOf(r), [...(byKey.get(keyOf(r)) ?? []), r]);
  const fields = labelFields([...byKey.values()].map((g) => g[0].config), byFields);
  const superseded = new Set(runs.map((r) => r.requeuedFrom).filter((id) => id !== null));
  return [...byKey.entries()].map(([key, group]) => ({
    key,
    label: groupLabel(group[0].config, fields),
    config: group[0].config,
    included: group.filter((r) => r.status === 'finished' && !superseded.has(r.id)),
    excluded: group.filter((r) => r.status !== 'finished' && !superseded.has(r.id)),
    superseded: group.filter((r) => superseded.has(r.id)),
  }));
}

export interface SeriesPoint extends Summary {
  group: string;
  epoch: number;
}

/** Per-epoch statistics of one metric over a group's finished runs: exactly what a chart draws. */
export function groupSeries(group: RunGroup, metric: Metric): SeriesPoint[] {
  const epochs = Math.max(0, ...group.included.map((r) => r.epochs.length));
  return Array.from({ length: epochs }, (_, i) => ({
    group: group.label,
    epoch: i + 1,
    ...summarize(group.included.map((r) => r.epochs[i]?.[metric]).filter((v): v is number => v !== undefined)),
  }));
}

/**
 * The test confusion matrix averaged over a group's finished runs (mean count per cell), and each
 * class's accuracy (diagonal / row total) summarised across those runs.
 */
export function groupConfusion(group: RunGroup): { mean: number[]; perClass: Summary[]; n: number } | null {
  const matrices = group.included.map((r) => r.confusion?.matrix).filter((m): m is number[] => Array.isArray(m) && m.length === 100);
  if (!matrices.length) return null;
  const mean = Array.from({ length: 100 }, (_, i) => matrices.reduce((s, m) => s + m[i], 0) / matrices.length);
  const perClass = Array.from({ length: 10 }, (_, c) =>
    summarize(matrices.map((m) => {
      const row = m.slice(c * 10, c * 10 + 10).reduce((s, v) => s + v, 0);
      return row ? m[c * 11] / row : NaN;
    })),
  );
  return { mean, perClass, n: matrices.length };
}

/** Summary of a metric at epoch k (1-based) over a group's finished runs. */
export function atEpoch(group: RunGroup, metric: Metric, k: number): Summary {
  return summarize(group.included.map((r) => r.epochs[k - 1]?.[metric]).filter((v): v is number => v !== undefined));
}
