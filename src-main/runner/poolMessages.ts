import type { TrainConfig } from '../../src-shared/config';
import { fromWireError } from '../../src-shared/errors';
import type { RunStatus } from '../../src-shared/runs';
import type { RunFiles } from '../store/files/runFiles';
import type { FromWorker, ToWorker } from './messages';
import { experimentOf, type RunnerParts } from './runnerParts';
import type { PoolEvents, WorkerLoss } from './workerPool';

/** Removes a run's checkpoints; one that cannot be removed now is left for the start-up sweep. */
export function removeCheckpoints(files: RunFiles | undefined, runId: number): void {
  try {
    files?.removeCheckpoints(runId);
  } catch {
    // left for the start-up sweep (RunFiles.sweep)
  }
}

/**
 * What the Runner does when its pool reports: a worker started, resumed, made progress, finished
 * an epoch, ended or failed, or was lost; a remote pool took over or gave back a run. Each report
 * is written (through the StoreGuard) before it is told, so what the views show is what is saved.
 */
export class PoolMessages {
  constructor(private readonly p: RunnerParts) {}

  /** The handlers the pool is created with. */
  events(): PoolEvents {
    return {
      message: (m) => this.onMessage(m),
      lost: (runId, loss) => this.onLost(runId, loss),
      capacity: () => this.p.pump(),
      adopt: (runId) => this.adopt(runId),
      returned: (runId, why) => this.returned(runId, why),
    };
  }

  /** Takes over a run an earlier coordinator left in flight on remote workers (see RemotePool). */
  private adopt(runId: number): ToWorker | null {
    const { store, guard, owner, leaseMs } = this.p;
    const taken = guard.write(() => store.runs.adopt(runId, owner, Date.now() + leaseMs), `taking over run ${runId}`);
    const row = taken ? store.runs.get(runId) : undefined;
    if (!row) return null;
    this.p.emit('run/state', { runId, experimentId: row.experiment_id, status: 'running', error: null });
    return { type: 'run', runId, config: JSON.parse(row.config_json) as TrainConfig, files: this.p.fileOptions(row) };
  }

  /** A run the pool gave back waits in the queue again (see PoolEvents.returned). */
  private returned(runId: number, why: string | null): void {
    const back = this.p.guard.write(() => this.p.store.runs.unclaim(runId, this.p.owner), `putting run ${runId} back in the queue`);
    if (back) this.p.emit('run/state', { runId, experimentId: experimentOf(this.p.store, runId), status: 'queued', error: why });
    this.p.checkIdle();
  }

  private finish(runId: number, status: RunStatus, error: string | null, divergedEpoch: number | null = null): void {
    const { guard } = this.p;
    // a run stopped at an ASHA rung waits there or ends pruned
    const asha = this.p.asha.ended(runId, status);
    // a run stopped after a failed write already has its end (interrupted, with the reason)
    if (!guard.stopped.delete(runId) && asha !== 'handled') guard.settle(runId, asha ?? { status, error, divergedEpoch });
    this.p.pump();
  }

  private onMessage(m: Exclude<FromWorker, { type: 'ready' }>): void {
    const { store, guard, asha } = this.p;
    if (guard.stopped.has(m.runId) && m.type !== 'done' && m.type !== 'error') return;
    // asked to stop at a rung: what it trains meanwhile is not kept (its thread stops without it)
    if (asha.isStopping(m.runId) && (m.type === 'epoch' || m.type === 'progress')) return;
    switch (m.type) {
      case 'progress':
        this.p.emit('run/progress', { runId: m.runId, experimentId: experimentOf(store, m.runId), epoch: m.epoch, fraction: m.fraction });
        break;
      case 'epoch': {
        // committed before anyone hears of it: what was shown is what is saved
        const commit = () => store.recordEpoch(m.runId, m.metrics, m.best, Date.now() + this.p.leaseMs);
        const stored = guard.write(commit, `epoch ${m.metrics.epoch} of run ${m.runId}`, m.runId);
        if (stored) {
          this.p.pool()?.acknowledge?.(m.runId, m.metrics.epoch);
          this.p.emit('run/epoch', { runId: m.runId, experimentId: experimentOf(store, m.runId), metrics: m.metrics });
          asha.afterEpoch(m.runId, m.metrics.epoch);
        } else if (stored === false) {
          // no longer running here (its lease lapsed and it was marked interrupted): its thread,
          // waiting for this commit before the next checkpoint, stops instead
          this.p.pool()?.cancel(m.runId);
        }
        break;
      }
      case 'resumed':
        guard.write(() => store.runs.setResumed(m.runId, m.fromEpoch, m.refused.length ? m.refused.join(' ') : null), `the resume point of run ${m.runId}`, m.runId);
        break;
      case 'started':
        guard.write(() => store.runs.setKernel(m.runId, m.kernel), `the kernel of run ${m.runId}`, m.runId);
        break;
      case 'done':
        this.finish(m.runId, m.status, null, m.divergedEpoch);
        break;
      case 'error':
        this.finish(m.runId, 'failed', fromWireError(m.error).message);
        break;
    }
  }

  private onLost(runId: number, loss: WorkerLoss): void {
    if (loss.kind === 'terminated') this.finish(runId, 'interrupted', 'the run was stopped (worker terminated)');
    else this.finish(runId, 'failed', loss.message);
  }
}
