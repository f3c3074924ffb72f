import type { RunnerParts } from './runnerParts';

/**
 * Cancelling runs: a queued or waiting run ends cancelled at once (many of them in one
 * transaction), a running one is asked to stop after its current batch. The Runner's cancel
 * methods are this; the views hear of each cancelled run after it is written.
 */
export class RunCancellation {
  constructor(private readonly p: RunnerParts) {}

  /** See Runner.cancelRun. */
  run(runId: number): boolean {
    const { store, asha, guard } = this.p;
    const row = store.runs.get(runId);
    if (!row) return false;
    if (row.status === 'queued' || row.status === 'waiting') {
      const cancel = row.status === 'queued' ? store.runs.cancelQueued.bind(store.runs) : asha.cancelWaiting.bind(asha);
      const done = guard.writeOrThrow(() => cancel(runId, new Date().toISOString()), `the cancellation of run ${runId}`);
      if (done) this.p.pool()?.dropQueued?.(runId, true);
      if (done) this.p.emit('run/state', { runId, experimentId: row.experiment_id, status: 'cancelled', error: null });
      this.p.checkIdle();
      return done;
    }
    return row.status === 'running' && (this.p.pool()?.cancel(runId) ?? false);
  }

  /** See Runner.cancelPending. */
  pending(runIds: readonly number[], alsoInTransaction?: () => void): number {
    const { store, asha, guard } = this.p;
    const at = new Date().toISOString();
    const done = guard.writeOrThrow(
      () =>
        store.db.transaction(() => {
          const cancelled = runIds.flatMap((runId) => {
            const row = store.runs.get(runId);
            const ok = row?.status === 'queued' ? store.runs.cancelQueued(runId, at) : row?.status === 'waiting' && asha.cancelWaiting(runId, at);
            return ok ? [{ runId, experimentId: row!.experiment_id }] : [];
          });
          alsoInTransaction?.();
          return cancelled;
        }).immediate(),
      `the cancellation of ${runIds.length} run(s)`,
    );
    for (const d of done) {
      this.p.pool()?.dropQueued?.(d.runId, true);
      this.p.emit('run/state', { ...d, status: 'cancelled', error: null });
    }
    this.p.checkIdle();
    return done.length;
  }

  /** See Runner.cancelExperiment. */
  experiment(experimentId: number): number {
    const rows = this.p.store.runs.list({ experimentId, limit: 1_000_000, offset: 0 });
    const running = rows.filter((r) => r.status === 'running' && this.run(r.id)).length;
    return running + this.pending(rows.filter((r) => r.status === 'queued' || r.status === 'waiting').map((r) => r.id));
  }
}
