import type { RunFiles } from '../../store/files/runFiles';
import type { PoolEvents } from '../workerPool';
import type { InFlight } from './remotePoolOptions';
import type { RemoteRunInfo, RemoteState } from './remoteState';

type PoolMessage = Parameters<PoolEvents['message']>[0];

/** Copies a run's checkpoint in Redis into this machine's home (before Redis forgets the run). */
export async function checkpointHome(state: RemoteState, files: RunFiles | undefined, runId: number): Promise<void> {
  const checkpoint = await state.checkpoint(runId);
  if (checkpoint && files) files.writeCheckpointBytes(runId, checkpoint);
}

/**
 * Hands what workers reported of a run in Redis to the runner as the messages local worker threads
 * send (started, resumed, each epoch not delivered yet, progress), keeping track in `f`. Once the run
 * has its outcome, its model (finished) or checkpoint (cancelled, failed: it can be resumed) comes
 * home and the message that ends it is returned, for the pool to send after forgetting the run.
 */
export async function deliverReports(state: RemoteState, files: RunFiles | undefined, runId: number, f: InFlight, r: RemoteRunInfo, message: (m: PoolMessage) => void): Promise<PoolMessage | null> {
  if (r.kernel && !f.started) {
    f.started = true;
    message({ type: 'started', runId, kernel: r.kernel as never });
  }
  const resumed = r.resumed ? JSON.stringify(r.resumed) : null;
  if (r.resumed && resumed !== f.resumed) {
    f.resumed = resumed;
    message({ type: 'resumed', runId, fromEpoch: r.resumed.fromEpoch, refused: r.resumed.refused });
  }
  if (r.latestEpoch > f.delivered || (r.outcome && r.latestEpoch > 0)) {
    // the epochs after those delivered (all of them once the run ended: its last report is complete)
    for (const e of await state.epochs(runId, r.outcome ? undefined : { first: f.delivered + 1, last: r.latestEpoch })) {
      if (e.metrics.epoch <= f.delivered) continue;
      message({ type: 'epoch', runId, metrics: e.metrics, best: e.best });
      f.delivered = e.metrics.epoch;
    }
  } else if (r.progress && !r.outcome) message({ type: 'progress', runId, epoch: r.progress.epoch, fraction: r.progress.fraction });
  const o = r.outcome;
  if (!o) return null;
  if (o.status === 'finished') {
    const model = await state.model(runId);
    if (model && files) files.writeModelBytes(runId, model);
  } else if (o.status === 'cancelled' || o.status === 'failed') await checkpointHome(state, files, runId);
  return o.status === 'failed'
    ? { type: 'error', runId, error: { name: 'AppError', code: 'INTERNAL', message: o.error ?? 'the worker reported a failure' } }
    : { type: 'done', runId, status: o.status, divergedEpoch: o.divergedEpoch, kernel: o.kernel };
}
