import type { Metric } from './aggregate';
import type { TrainConfig } from './config';
import { FIELD_LABELS } from './fieldLabels';
import { METRIC_LABELS, type Band, type SummaryStat } from './groupChart';

type Field = keyof TrainConfig;

/** A brushed range on one axis of the parallel coordinates: a config field, or 'metric' (the chosen metric's value). */
export interface Brush {
  axis: Field | 'metric';
  lo: number;
  hi: number;
}

/**
 * Everything a Compare view shows that the user chose, as it travels in the URL's hash
 * (#/compare/7?with=8&metric=testLoss…), so a view can be bookmarked, reopened from History, reloaded
 * and opened in the app or a browser alike. Defaults are left out of the address.
 */
export interface CompareUrlState {
  /** #/compare/7?with=8,9: the experiment, then experiments whose runs are added to it (exp=7,8,9 is read too). */
  experimentIds: number[];
  /** runs=3,5,9: hand-picked runs (History's "Compare selected"); when given, experiments are not used. */
  runIds: number[];
  metric: Metric;
  band: Band;
  logY: boolean;
  /** group=learningRate,optimizer; absent: every field that differs; `group=` (empty): all runs in one group. */
  groupBy: Field[] | null;
  /** pick=<json array>: the two groups (keys) compared by Welch's test. */
  picked: string[];
  /** brush=learningRate:0.001..0.1,metric:0.3..0.5 */
  brushes: Brush[];
  /** pc=configs: the parallel coordinates draw one line per configuration (seed mean), else per run. */
  pcUnit: 'runs' | 'configs';
  /** The scatter: sx its x field, sc the field that colours its points, sy final or best. */
  scatterX: Field | null;
  scatterColor: Field | null;
  scatterY: SummaryStat;
}

export const DEFAULT_COMPARE_STATE: CompareUrlState = {
  experimentIds: [], runIds: [], metric: 'testAccuracy', band: 'std', logY: false, groupBy: null, picked: [], brushes: [], pcUnit: 'runs',
  scatterX: null, scatterColor: null, scatterY: 'final',
};

/** At most this many runs are compared by hand (the address stays a few kilobytes). */
export const MAX_COMPARE_RUNS = 1000;
const BANDS: readonly Band[] = ['std', 'se', 'ci95', 'minmax'];
const isField = (f: string): f is Field => Object.hasOwn(FIELD_LABELS, f);

function ids(text: string, max: number): number[] | null {
  const parts = text.split(',').filter((p) => p !== '');
  if (!parts.length || parts.length > max || !parts.every((p) => /^[1-9]\d{0,14}$/.test(p))) return null;
  return [...new Set(parts.map(Number))];
}

function brushes(text: string): Brush[] | null {
  const out: Brush[] = [];
  for (const part of text.split(',')) {
    const m = /^([A-Za-z0-9]+):(-?[\d.eE+-]+)\.\.(-?[\d.eE+-]+)$/.exec(part);
    if (!m || !(m[1] === 'metric' || isField(m[1]))) return null;
    const [lo, hi] = [Number(m[2]), Number(m[3])];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) return null;
    out.push({ axis: m[1] as Brush['axis'], lo, hi });
  }
  return out;
}

/**
 * The state in a hash's query, with what could not be read named (`ignored`: "metric=foo"), so
 * the view can say what of the address it did not use instead of dropping it silently.
 */
export function parseCompareQuery(query: Readonly<Record<string, string>>, param: number | null = null): { state: CompareUrlState; ignored: string[] } {
  const state: CompareUrlState = { ...DEFAULT_COMPARE_STATE };
  const ignored: string[] = [];
  const take = <T>(key: string, read: (v: string) => T | null | undefined, set: (v: T) => void): void => {
    const v = query[key];
    if (v === undefined) return;
    const value = read(v);
    if (value === null || value === undefined) ignored.push(`${key}=${v}`);
    else set(value);
  };
  if (param !== null) state.experimentIds = [param];
  take('with', (v) => ids(v, 99), (v) => (state.experimentIds = [...state.experimentIds.slice(0, 1), ...v.filter((id) => id !== state.experimentIds[0])]));
  take('exp', (v) => ids(v, 100), (v) => (state.experimentIds = v));
  take('runs', (v) => ids(v, MAX_COMPARE_RUNS), (v) => (state.runIds = v));
  take('metric', (v) => (Object.hasOwn(METRIC_LABELS, v) ? (v as Metric) : null), (v) => (state.metric = v));
  take('band', (v) => BANDS.find((b) => b === v), (v) => (state.band = v));
  take('logy', (v) => (v === '1' ? true : v === '0' ? false : null), (v) => (state.logY = v));
  take('group', (v) => (v === '' ? [] : v.split(',').every(isField) ? (v.split(',') as Field[]) : null), (v) => (state.groupBy = v));
  take('pick', (v) => {
    try {
      const list = JSON.parse(v) as unknown;
      return Array.isArray(list) && list.length <= 2 && list.every((k) => typeof k === 'string') ? (list as string[]) : null;
    } catch {
      return null;
    }
  }, (v) => (state.picked = v));
  take('brush', brushes, (v) => (state.brushes = v));
  take('pc', (v) => (v === 'configs' || v === 'runs' ? v : null), (v) => (state.pcUnit = v));
  take('sx', (v) => (isField(v) ? v : null), (v) => (state.scatterX = v));
  take('sc', (v) => (isField(v) ? v : null), (v) => (state.scatterColor = v));
  take('sy', (v) => (v === 'final' || v === 'best' ? v : null), (v) => (state.scatterY = v));
  return { state, ignored };
}

/**
 * The address of a state: the experiment as the path's parameter (#/compare/7, as Overview and History
 * link to it), and in the query only what differs from the defaults, in a fixed order.
 */
export function compareAddress(state: CompareUrlState): { param: number | null; query: Record<string, string> } {
  const q: Record<string, string> = {};
  const d = DEFAULT_COMPARE_STATE;
  const param = state.runIds.length ? null : (state.experimentIds[0] ?? null);
  if (state.runIds.length) q.runs = state.runIds.join(',');
  else if (state.experimentIds.length > 1) q.with = state.experimentIds.slice(1).join(',');
  if (state.metric !== d.metric) q.metric = state.metric;
  if (state.band !== d.band) q.band = state.band;
  if (state.logY) q.logy = '1';
  if (state.groupBy !== null) q.group = state.groupBy.join(',');
  if (state.picked.length) q.pick = JSON.stringify(state.picked);
  if (state.brushes.length) q.brush = state.brushes.map((b) => `${b.axis}:${b.lo}..${b.hi}`).join(',');
  if (state.pcUnit !== d.pcUnit) q.pc = state.pcUnit;
  if (state.scatterX) q.sx = state.scatterX;
  if (state.scatterColor) q.sc = state.scatterColor;
  if (state.scatterY !== d.scatterY) q.sy = state.scatterY;
  return { param, query: q };
}

/** The address that compares hand-picked runs (History's "Compare selected"): #/compare?runs=3,5,9. */
export function compareRunsHash(runIds: readonly number[]): string {
  return `#/compare?runs=${[...new Set(runIds)].join(',')}`;
}
