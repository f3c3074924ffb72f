import { MAX_AXIS_VALUES, type SweepSpecInput } from './sweep';

/** The course report's experiments as ready-made sweeps (10 repeats × 20 epochs each). */
export const PRESETS: { id: string; label: string; spec: SweepSpecInput }[] = [
  { id: 'defaults', label: 'Report defaults', spec: { name: 'Report defaults', base: { epochs: 20 }, axes: [], repeats: 10 } },
  {
    id: 'fig1',
    label: 'Report Fig. 1 — L2 λ ∈ {0.01, 0.001, 0.0001}',
    spec: { name: 'Report Fig. 1 — L2', base: { epochs: 20 }, axes: [{ field: 'l2', values: [0.01, 0.001, 0.0001] }], repeats: 10 },
  },
  {
    id: 'fig2',
    label: 'Report Fig. 2 — SGD and Adam × γ ∈ {0.001, 0.01, 0.1, 0.2, 0.3, 0.5}',
    spec: {
      name: 'Report Fig. 2 — optimizers × learning rate',
      base: { epochs: 20 },
      axes: [
        { field: 'optimizer', values: ['sgd', 'adam'] },
        { field: 'learningRate', values: [0.001, 0.01, 0.1, 0.2, 0.3, 0.5] },
      ],
      repeats: 10,
    },
  },
  {
    id: 'fig3',
    label: 'Report Fig. 3 — decay k ∈ {0.1, 0.01, 0.001, 0.0001}',
    spec: { name: 'Report Fig. 3 — learning-rate decay', base: { epochs: 20, schedule: 'exponential' }, axes: [{ field: 'decay', values: [0.1, 0.01, 0.001, 0.0001] }], repeats: 10 },
  },
];

/**
 * n values from `from` to `to` spaced evenly on a log scale (the axes editor's helper). At most the
 * values an axis may hold: a mistyped count must not build (and freeze a page on) a million of them.
 */
export function logRange(from: number, to: number, n: number): number[] {
  const problem = logRangeProblem(from, to, n);
  if (problem) throw new Error(problem);
  const a = Math.log10(from);
  const b = Math.log10(to);
  return Array.from({ length: n }, (_, i) => Number((10 ** (a + ((b - a) * i) / (n - 1))).toPrecision(6)));
}

/** Why logRange would refuse these ends and count (null when it would not): the form says so as they are typed. */
export function logRangeProblem(from: number, to: number, n: number): string | null {
  if (!(from > 0 && to > 0 && Number.isInteger(n) && n >= 2)) return 'a log range needs two positive ends and at least 2 values';
  if (n > MAX_AXIS_VALUES) return `a log range has at most ${MAX_AXIS_VALUES.toLocaleString('en-US')} values (the most an axis may hold); ${n.toLocaleString('en-US')} asked for`;
  return null;
}
