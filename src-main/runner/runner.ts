import { randomUUID } from 'node:crypto';
import type { TrainConfig } from '../../src-shared/config';
import { fromWireError } from '../../src-shared/errors';
import type { QueueStatus, RemoteQueueStatus, RunStatus, StoreFailureEvent } from '../../src-shared/runs';
import type { RunRow } from '../store/runsRepo';
import type { Store } from '../store/store';
import { AshaPruner } from './ashaPruner';
import type { FromWorker, RunFileOptions, ToWorker } from './messages';
import { runFileOptions, type RunnerEvent, type RunnerOptions } from './runnerOptions';
import { StoreGuard } from './storeGuard';
import { WorkerPool, type PoolEvents, type RunPool, type WorkerLoss } from './workerPool';

const PAUSED = 'queue.paused';

export { AUTO_RESUME, KEEP_BEST_MODEL, type RunnerEvent, type RunnerEvents, type RunnerOptions } from './runnerOptions';
type Listener = (...args: RunnerEvent) => void;

/**
 * Runs queued runs on a worker pool. The queue is the runs table itself, so it survives restarts.
 * A running run holds a lease (owner + expiry) renewed while its process lives; at start-up and
 * periodically, runs whose lease expired are marked interrupted, so none is ever stuck "running".
 * Every write goes through a StoreGuard: a write the database refuses (full disk, I/O error,
 * read-only file) pauses the queue and stops the run concerned instead of crashing the process.
 */
export class Runner {
  readonly owner = randomUUID();
  private readonly store: Store;
  private readonly leaseMs: number;
  private pool: RunPool | null = null;
  private datasetSha = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly idleWaiters: (() => void)[] = [];
  private starting: Promise<void> | null = null;
  private readonly guard: StoreGuard;
  /** Paused by the user, even where the setting could not be written. */
  private pausedHere = false;
  /** Stops runs of ASHA sweeps at rungs (see ashaPruner.ts). */
  private readonly asha: AshaPruner;

  constructor(private readonly options: RunnerOptions) {
    this.store = options.store;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.guard = new StoreGuard(this.store, {
      failed: (event) => {
        // persisted where the database still takes it; the failure itself keeps the queue paused here
        try {
          this.store.settings.set(PAUSED, 'true');
        } catch {
          /* refused as well */
        }
        this.emit('store/failure', event);
        this.checkIdle();
      },
      ended: (event) => {
        // a run that cannot continue any more needs no checkpoint (a finished one has its model)
        if (event.status === 'finished' || event.status === 'diverged' || event.status === 'pruned') this.removeCheckpoints(event.runId);
        this.emit('run/state', event);
      },
      stopWorker: (runId) => void this.pool?.terminate(runId),
    });
    this.asha = new AshaPruner(this.store, {
      write: (work, what) => this.guard.write(work, what),
      stop: (runId) => void this.pool?.cancel(runId),
      state: (event) => {
        if (event.status === 'pruned') this.removeCheckpoints(event.runId);
        this.emit('run/state', event);
      },
    });
    this.guard.write(() => this.store.runs.expireLeases(Date.now(), new Date().toISOString()), 'marking the runs of stopped processes interrupted');
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(...args: RunnerEvent): void {
    for (const l of this.listeners) l(...args);
  }

  get paused(): boolean {
    return this.guard.failure !== null || this.pausedHere || this.store.settings.get(PAUSED) === 'true';
  }

  /** The store failure that paused the queue, until the queue is resumed. */
  get storeFailure(): StoreFailureEvent | null {
    return this.guard.failure;
  }

  status(): QueueStatus {
    // a run stopped after a failed write is no longer running, even while its worker is being stopped
    const running = (this.pool?.running ?? []).filter((id) => !this.guard.stopped.has(id));
    const remote = this.pool && 'describe' in this.pool ? (this.pool as { describe(): RemoteQueueStatus }).describe() : undefined;
    const workers = remote ? remote.workers.filter((w) => !w.lost).reduce((n, w) => n + w.concurrency, 0) : this.options.workers;
    return { paused: this.paused, workers, running, queued: this.store.runs.queuedCount(), blocked: null, storeFailure: this.guard.failure, ...(remote ? { remote } : {}) };
  }

  /** Starts the workers (loading the dataset once) and begins taking queued runs. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const { data, sha256 } = await this.options.loadDataset();
      this.datasetSha = sha256;
      const events: PoolEvents = {
        message: (m) => this.onMessage(m),
        lost: (runId, loss) => this.onLost(runId, loss),
        capacity: () => this.pump(),
        adopt: (runId) => this.adopt(runId),
        returned: (runId, why) => this.returned(runId, why),
      };
      this.pool = this.options.pool ? this.options.pool(data, events, sha256) : new WorkerPool(data, this.options.workers, events);
      this.timer = setInterval(() => this.heartbeat(), Math.max(50, this.leaseMs / 3));
      // a remote pool first takes over what an earlier coordinator left in flight
      if (this.options.pool) await this.pool.whenReady();
      this.pump();
    })();
    return this.starting;
  }

  /** Resolves once the pool has started (after start()) and every worker has loaded its engine. */
  async whenWorkersReady(): Promise<void> {
    await this.start();
    await this.pool?.whenReady();
  }

  private heartbeat(): void {
    // only runs still training here keep their lease: one whose end could not be written lets it lapse
    const training = (this.pool?.running ?? []).filter((id) => !this.guard.stopped.has(id) && !this.guard.isUnsaved(id));
    this.guard.write(() => {
      this.store.runs.renewLeases(this.owner, Date.now() + this.leaseMs, training);
      this.store.runs.expireLeases(Date.now(), new Date().toISOString());
    }, 'renewing the leases of the running runs');
    this.guard.retry();
  }

  /** Fills idle workers with queued runs, oldest first. */
  pump(): void {
    const pool = this.pool;
    if (!pool) return;
    // a run that ended may complete a rung that runs wait at: decide before taking the next
    this.asha.decideWaiting();
    while (!this.paused && pool.idle > 0) {
      const claim = () => this.store.runs.claimNext(this.owner, Date.now() + this.leaseMs, null, this.datasetSha, new Date().toISOString());
      const row = this.guard.write(claim, 'starting the next queued run');
      if (!row) break;
      // a run of a configuration ASHA already pruned ends pruned without training; one at a rung its
      // configuration has not passed (resumed there, given back by a lost worker) waits there
      const asha = this.guard.write(() => this.asha.atClaim(row), `the ASHA decisions for run ${row.id}`);
      if (asha === 'handled') continue;
      if (asha) {
        this.guard.settle(row.id, asha);
        continue;
      }
      this.emit('run/state', { runId: row.id, experimentId: row.experiment_id, status: 'running', error: null });
      pool.dispatch({ type: 'run', runId: row.id, config: JSON.parse(row.config_json) as TrainConfig, files: this.fileOptions(row) });
    }
    this.checkIdle();
  }

  /** Takes over a run an earlier coordinator left in flight on remote workers (see RemotePool). */
  private adopt(runId: number): ToWorker | null {
    const taken = this.guard.write(() => this.store.runs.adopt(runId, this.owner, Date.now() + this.leaseMs), `taking over run ${runId}`);
    const row = taken ? this.store.runs.get(runId) : undefined;
    if (!row) return null;
    this.emit('run/state', { runId, experimentId: row.experiment_id, status: 'running', error: null });
    return { type: 'run', runId, config: JSON.parse(row.config_json) as TrainConfig, files: this.fileOptions(row) };
  }

  /** A run the pool gave back waits in the queue again (see PoolEvents.returned). */
  private returned(runId: number, why: string | null): void {
    const back = this.guard.write(() => this.store.runs.unclaim(runId, this.owner), `putting run ${runId} back in the queue`);
    if (back) this.emit('run/state', { runId, experimentId: this.experimentOf(runId), status: 'queued', error: why });
    this.checkIdle();
  }

  private fileOptions(row: RunRow): RunFileOptions | null {
    return runFileOptions(this.options, this.store, row, this.datasetSha);
  }

  private removeCheckpoints(runId: number): void {
    try {
      this.options.files?.removeCheckpoints(runId);
    } catch {
      // left for the start-up sweep (RunFiles.sweep)
    }
  }

  private experimentOf(runId: number): number {
    return this.store.runs.get(runId)?.experiment_id ?? -1;
  }

  private finish(runId: number, status: RunStatus, error: string | null, divergedEpoch: number | null = null): void {
    // a run stopped at an ASHA rung waits there or ends pruned
    const asha = this.asha.ended(runId, status);
    // a run stopped after a failed write already has its end (interrupted, with the reason)
    if (!this.guard.stopped.delete(runId) && asha !== 'handled') this.guard.settle(runId, asha ?? { status, error, divergedEpoch });
    this.pump();
  }

  private onMessage(m: Exclude<FromWorker, { type: 'ready' }>): void {
    if (this.guard.stopped.has(m.runId) && m.type !== 'done' && m.type !== 'error') return;
    // asked to stop at a rung: what it trains meanwhile is not kept (its thread stops without it)
    if (this.asha.isStopping(m.runId) && (m.type === 'epoch' || m.type === 'progress')) return;
    switch (m.type) {
      case 'progress':
        this.emit('run/progress', { runId: m.runId, experimentId: this.experimentOf(m.runId), epoch: m.epoch, fraction: m.fraction });
        break;
      case 'epoch': {
        // committed before anyone hears of it: what was shown is what is saved
        const commit = () => this.store.recordEpoch(m.runId, m.metrics, m.best, Date.now() + this.leaseMs);
        const stored = this.guard.write(commit, `epoch ${m.metrics.epoch} of run ${m.runId}`, m.runId);
        if (stored) {
          this.pool?.acknowledge?.(m.runId, m.metrics.epoch);
          this.emit('run/epoch', { runId: m.runId, experimentId: this.experimentOf(m.runId), metrics: m.metrics });
          this.asha.afterEpoch(m.runId, m.metrics.epoch);
        } else if (stored === false) {
          // no longer running here (its lease lapsed and it was marked interrupted): its thread,
          // waiting for this commit before the next checkpoint, stops instead
          this.pool?.cancel(m.runId);
        }
        break;
      }
      case 'resumed':
        this.guard.write(() => this.store.runs.setResumed(m.runId, m.fromEpoch, m.refused.length ? m.refused.join(' ') : null), `the resume point of run ${m.runId}`, m.runId);
        break;
      case 'started':
        this.guard.write(() => this.store.runs.setKernel(m.runId, m.kernel), `the kernel of run ${m.runId}`, m.runId);
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

  /** Pauses the queue; it stays paused in this process even if the setting cannot be written. */
  pause(): void {
    this.pausedHere = true;
    this.guard.write(() => this.store.settings.set(PAUSED, 'true'), 'pausing the queue');
    // runs a remote worker has not started yet wait in the queue again
    this.pool?.recall?.();
    this.checkIdle();
  }

  /** Resumes the queue and clears a store failure; throws a clear error if the database still refuses writes. */
  resume(): void {
    this.guard.failure = null;
    this.pausedHere = false;
    this.guard.writeOrThrow(() => this.store.settings.set(PAUSED, 'false'), 'resuming the queue');
    this.pump();
  }

  /** Cancels a queued (or waiting) run at once, or asks a running one to stop after its current batch. */
  cancelRun(runId: number): boolean {
    const row = this.store.runs.get(runId);
    if (!row) return false;
    if (row.status === 'queued' || row.status === 'waiting') {
      const cancel = row.status === 'queued' ? this.store.runs.cancelQueued.bind(this.store.runs) : this.asha.cancelWaiting.bind(this.asha);
      const done = this.guard.writeOrThrow(() => cancel(runId, new Date().toISOString()), `the cancellation of run ${runId}`);
      if (done) this.emit('run/state', { runId, experimentId: row.experiment_id, status: 'cancelled', error: null });
      this.checkIdle();
      return done;
    }
    return row.status === 'running' && (this.pool?.cancel(runId) ?? false);
  }

  /**
   * Cancels queued and waiting runs in one transaction (deleting an experiment of 10,000 queued runs
   * is one commit, not one per run), then tells the views; other runs are left as they are.
   */
  cancelPending(runIds: readonly number[]): number {
    const at = new Date().toISOString();
    const done = this.guard.writeOrThrow(
      () =>
        this.store.db.transaction(() =>
          runIds.flatMap((runId) => {
            const row = this.store.runs.get(runId);
            const ok = row?.status === 'queued' ? this.store.runs.cancelQueued(runId, at) : row?.status === 'waiting' && this.asha.cancelWaiting(runId, at);
            return ok ? [{ runId, experimentId: row!.experiment_id }] : [];
          }),
        ).immediate(),
      `the cancellation of ${runIds.length} run(s)`,
    );
    for (const d of done) this.emit('run/state', { ...d, status: 'cancelled', error: null });
    this.checkIdle();
    return done.length;
  }

  /** Cancels every queued and running run of an experiment; returns how many were affected. */
  cancelExperiment(experimentId: number): number {
    const rows = this.store.runs.list({ experimentId, limit: 1_000_000, offset: 0 });
    const running = rows.filter((r) => r.status === 'running' && this.cancelRun(r.id)).length;
    return running + this.cancelPending(rows.filter((r) => r.status === 'queued' || r.status === 'waiting').map((r) => r.id));
  }

  /** Stops a running run's worker immediately (the run becomes interrupted). */
  forceStop(runId: number): Promise<boolean> {
    return this.pool?.terminate(runId) ?? Promise.resolve(false);
  }

  requeue(runId: number): number {
    const id = this.guard.writeOrThrow(() => this.store.requeue(runId), `the new attempt of run ${runId}`);
    this.pump();
    return id;
  }

  /**
   * Queues runs to continue from their checkpoints under their own ids (see Store.resume) and
   * starts them when the workers are up; returns the ids queued.
   */
  continueRuns(runIds: number[], onlyInterrupted = false): number[] {
    const ids = this.guard.writeOrThrow(() => this.store.resume(runIds, onlyInterrupted), `resuming run(s) ${runIds.join(', ')}`);
    for (const id of ids) this.emit('run/state', { runId: id, experimentId: this.experimentOf(id), status: 'queued', error: null });
    this.pump();
    return ids;
  }

  private checkIdle(): void {
    const busy = (this.pool?.running.length ?? 0) > 0 || (!this.paused && this.store.runs.queuedCount() > 0 && this.pool !== null);
    if (!busy) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** Resolves when nothing runs and nothing more will start (queue empty or paused). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  /**
   * Shuts down: running runs are stopped and marked interrupted (they can be re-queued); queued
   * runs stay queued for the next start.
   */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const running = this.pool?.running ?? [];
    await this.pool?.close();
    // a refused write leaves the run to its lease, which readers see lapse as interrupted
    for (const runId of running) if (!this.guard.stopped.has(runId)) this.guard.settle(runId, { status: 'interrupted', error: 'the app was closed while it ran', divergedEpoch: null }, false);
    this.pool = null;
  }
}
