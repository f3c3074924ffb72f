import { higherIsBetter, type CompareData, type CompareRun } from './compareData';
import type { TrainConfig } from './config';
import { FIELD_LABELS, fieldValueText } from './fieldLabels';
import type { Brush } from './compareUrl';
import { isAccuracy, METRIC_LABELS } from './groupChart';

type Field = keyof TrainConfig;
export type AxisKey = Field | 'metric';

/** One line of the parallel coordinates / one point of the scatter: a run, or a configuration's seed mean. */
export interface AnalysisRow {
  key: string;
  /** The run's id; null for a configuration. */
  runId: number | null;
  /** The runs of a configuration (its one run for a run row). */
  runIds: number[];
  status: CompareRun['status'] | 'mean';
  config: TrainConfig;
  /** The metric's final value (a configuration: the mean over its finished runs), NaN without one. */
  final: number;
  /** The metric's best value over the epochs (a configuration: the mean), NaN without one. */
  best: number;
  /** Finished runs behind a configuration's mean (1 or 0 for a run). */
  n: number;
}

const num = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);
const mean = (xs: number[]): number => {
  const ok = xs.filter(Number.isFinite);
  return ok.length ? ok.reduce((s, x) => s + x, 0) / ok.length : NaN;
};

/**
 * The rows of the analysis views: every run that no newer attempt supersedes, or per configuration
 * (config hash: the seeds) the mean of its finished runs' final and best values, as groups average them.
 */
export function analysisRows(data: CompareData, unit: 'runs' | 'configs'): AnalysisRow[] {
  const configOf = new Map(data.configs.map((c) => [c.configHash, c.config]));
  const runs = data.runs.filter((r) => !r.supersededBy && configOf.has(r.configHash));
  if (unit === 'runs') {
    return runs.map((r) => ({
      key: `run-${r.id}`, runId: r.id, runIds: [r.id], status: r.status, config: configOf.get(r.configHash)!, final: num(r.final), best: num(r.best), n: r.status === 'finished' ? 1 : 0,
    }));
  }
  return data.configs.map((c) => {
    const mine = runs.filter((r) => r.configHash === c.configHash);
    const done = mine.filter((r) => r.status === 'finished');
    return { key: `config-${c.configHash}`, runId: null, runIds: mine.map((r) => r.id), status: 'mean', config: c.config, final: mean(done.map((r) => num(r.final))), best: mean(done.map((r) => num(r.best))), n: done.length };
  });
}

/** An axis: numbers on a linear or log scale, or categories (optimizer, hidden layers…) evenly spaced. */
export interface Axis {
  key: AxisKey;
  /** In the user's words, with the unit and "log" when it applies: "Learning rate γ (log)", "final test accuracy (%)". */
  label: string;
  kind: 'linear' | 'log' | 'category';
  /** Numbers: [low, high]; categories: [0, count − 1]. */
  domain: [number, number];
  /** Categories in order (their text as fieldValueText gives it). */
  categories: string[];
}

/** A row's value on an axis as a number on the axis's own scale (a category: its index); NaN without one. */
export function axisValue(axis: Axis, row: AnalysisRow, stat: 'final' | 'best' = 'final'): number {
  if (axis.key === 'metric') return stat === 'final' ? row.final : row.best;
  const v = row.config[axis.key];
  if (axis.kind === 'category') return axis.categories.indexOf(fieldValueText(axis.key, v));
  return typeof v === 'number' ? v : NaN;
}

/** A field spread over more than a factor of 20, all positive (γ, λ, ε): drawn on a log axis. */
const wantsLog = (values: number[]): boolean => values.length > 1 && values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) >= 20;

/** The axis of a field (or the metric) over the rows, its kind and domain from the values they hold. */
export function makeAxis(key: AxisKey, rows: readonly AnalysisRow[], metric: CompareData['metric'], stat: 'final' | 'best' = 'final'): Axis {
  if (key === 'metric') {
    const values = rows.map((r) => (stat === 'final' ? r.final : r.best)).filter(Number.isFinite);
    const label = `${stat} ${METRIC_LABELS[metric]}${isAccuracy(metric) ? ' (%)' : ''}`;
    return { key, label, kind: 'linear', domain: padded(values), categories: [] };
  }
  const raw = rows.map((r) => r.config[key]);
  if (raw.every((v) => typeof v === 'number')) {
    const values = raw as number[];
    const log = wantsLog(values);
    return { key, label: `${FIELD_LABELS[key]}${log ? ' (log)' : ''}`, kind: log ? 'log' : 'linear', domain: log ? [Math.min(...values), Math.max(...values)] : padded(values), categories: [] };
  }
  const categories = [...new Set(raw.map((v) => fieldValueText(key, v)))].sort();
  return { key, label: FIELD_LABELS[key], kind: 'category', domain: [0, Math.max(0, categories.length - 1)], categories };
}

function padded(values: number[]): [number, number] {
  if (!values.length) return [0, 1];
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return lo === hi ? [lo - (Math.abs(lo) || 1) * 0.05, hi + (Math.abs(hi) || 1) * 0.05] : [lo, hi];
}

/** Where a value sits along the axis, 0 (low end) to 1 (high end). */
export function toUnit(axis: Axis, v: number): number {
  const [lo, hi] = axis.domain;
  if (axis.kind === 'log') return lo === hi ? 0.5 : (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  return lo === hi ? 0.5 : (v - lo) / (hi - lo);
}

/** The value at a position along the axis (the inverse of toUnit). */
export function fromUnit(axis: Axis, t: number): number {
  const [lo, hi] = axis.domain;
  if (t <= 0) return lo;
  if (t >= 1) return hi;
  if (axis.kind === 'log') return Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo)));
  return lo + t * (hi - lo);
}

/** Whether a row lies inside every brush (a row without a value on a brushed axis does not). */
export function passesBrushes(row: AnalysisRow, axes: readonly Axis[], brushes: readonly Brush[], stat: 'final' | 'best' = 'final'): boolean {
  return brushes.every((b) => {
    const axis = axes.find((a) => a.key === b.axis);
    if (!axis) return true;
    const v = axisValue(axis, row, stat);
    return Number.isFinite(v) && v >= b.lo && v <= b.hi;
  });
}

/** A value as an axis shows it: accuracies in percent, numbers to 3 significant digits, categories by name. */
export function axisText(axis: Axis, v: number, metric: CompareData['metric']): string {
  if (!Number.isFinite(v)) return '–';
  if (axis.kind === 'category') return axis.categories[Math.round(v)] ?? '';
  if (axis.key === 'metric' && isAccuracy(metric)) return (v * 100).toFixed(1);
  return Number(v.toPrecision(3)).toString();
}

/** Best rows first (the highest accuracy, the lowest loss), rows without a value last. */
export function byMetric(metric: CompareData['metric']): (a: AnalysisRow, b: AnalysisRow) => number {
  const sign = higherIsBetter(metric) ? -1 : 1;
  return (a, b) => (Number.isFinite(a.final) ? (Number.isFinite(b.final) ? sign * (a.final - b.final) : -1) : Number.isFinite(b.final) ? 1 : 0);
}

/**
 * A brushed range with short numbers for the address (4 significant digits), widened outwards, never
 * narrowed, so a value at its edge stays inside: [0.0562341…, 0.1] → [0.05623, 0.1].
 */
export function roundBrush(lo: number, hi: number): [number, number] {
  const round = (v: number, dir: 'floor' | 'ceil'): number => {
    if (v === 0 || !Number.isFinite(v)) return v;
    const scale = 10 ** (Math.floor(Math.log10(Math.abs(v))) - 3);
    const x = v / scale;
    // 0.1 / 1e-4 is 1000.0000000000001: a value already short stays itself
    return Number(((Math.abs(x - Math.round(x)) < 1e-9 ? Math.round(x) : Math[dir](x)) * scale).toPrecision(4));
  };
  return [round(lo, 'floor'), round(hi, 'ceil')];
}
