import type { RunRow } from './runsRepo';

/**
 * Why a pruned run is neither resumed nor re-queued: ASHA's decision about its configuration stands
 * (an attempt would be pruned again as soon as it is taken from the queue), so training it further is
 * a sweep of its own.
 */
export function prunedRefusal(row: Pick<RunRow, 'id' | 'pruned_epoch'>, what: 'resumed' | 're-queued'): string {
  return `Run ${row.id} was pruned by ASHA at epoch ${row.pruned_epoch ?? '?'}: its configuration's seeds were not among the best there, and that decision stands, so it is not ${what}. To train this configuration fully, queue it as a sweep of its own (a grid without asha).`;
}
