import type { RunSummary } from './runs';

/**
 * A run's status in words where it needs its epoch: "pruned at epoch 2" (ASHA stopped its
 * configuration there), "waiting at epoch 2" (its configuration not decided yet); else the status.
 */
export function runStatusText(run: Pick<RunSummary, 'status' | 'epochsDone' | 'prunedEpoch'>): string {
  if (run.status === 'pruned') return `pruned at epoch ${run.prunedEpoch ?? run.epochsDone}`;
  if (run.status === 'waiting') return `waiting at epoch ${run.epochsDone}`;
  return run.status;
}
