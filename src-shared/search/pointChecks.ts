import type { TrainConfig } from '../config';
import type { FieldIssue } from '../errors';
import { memoryProblem, type MemoryFields } from '../trainMemory';
import type { AshaSpec, RandomSpec } from './searchSpec';
import { rungsFor } from './asha';

const MEMORY_FIELDS: readonly string[] = ['hidden', 'batchSize', 'optimizer', 'momentum', 'kernel'];

/**
 * Drawn configurations whose runs would not fit in memory, reported once, at the distribution of
 * the field that matters most (hidden before batch size …), or at base.hidden when none is drawn.
 */
export function randomMemoryIssues(base: TrainConfig, points: readonly Record<string, unknown>[], random: RandomSpec, axes: readonly { field: string }[]): FieldIssue[] {
  for (const [t, point] of points.entries()) {
    const problem = memoryProblem({ ...base, ...point } as MemoryFields);
    if (!problem) continue;
    const drawn = MEMORY_FIELDS.find((f) => f in point);
    const axis = axes.findIndex((a) => a.field === drawn);
    const path = drawn === undefined ? 'base.hidden' : axis >= 0 ? `axes.${axis}.values` : `random.fields.${random.fields.findIndex((d) => d.field === drawn)}`;
    return [{ path, message: `trial ${t + 1} draws ${Object.entries(point).map(([k, v]) => `${k} ${String(v)}`).join(', ')}: ${problem}` }];
  }
  return [];
}

/** ASHA needs a rung below the runs' epochs somewhere: otherwise it could never stop a run. */
export function ashaIssues(base: TrainConfig, points: readonly Record<string, unknown>[], asha: AshaSpec): FieldIssue[] {
  const epochs = points.map((p) => (typeof p.epochs === 'number' ? p.epochs : base.epochs));
  const longest = Math.max(...epochs);
  if (rungsFor(longest, asha.minEpochs, asha.reductionFactor).length) return [];
  return [{ path: 'asha.minEpochs', message: `must be below the runs’ epochs (${longest}): ASHA judges configurations at ${asha.minEpochs} epochs, ${asha.minEpochs}·η, … before they end` }];
}
