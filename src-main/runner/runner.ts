import { randomUUID } from 'node:crypto';
import type { TrainConfig } from '../../src-shared/config';
import type { QueueStatus, RemoteQueueStatus, StoreFailureEvent } from '../../src-shared/runs';
import type { RunRow } from '../store/runsRepo';
import type { Store } from '../store/store';
import { AshaPruner } from './ashaPruner';
import type { RunFileOptions } from './messages';
import { PoolMessages, removeCheckpoints } from './poolMessages';
import { QueueGate } from './queueGate';
import { RunCancellation } from './runCancellation';
import { runFileOptions, type RunnerEvent, type RunnerOptions } from './runnerOptions';
import { experimentOf, type RunnerParts } from './runnerParts';
import { StoreGuard } from './storeGuard';
import { WorkerPool, type RunPool } from './workerPool';

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
  private starting: Promise<void> | null = null;
  private readonly guard: StoreGuard;
  /** Whether the queue takes runs, and the whenIdle() waiters (see queueGate.ts). */
  private readonly gate: QueueGate;
  /** Stops runs of ASHA sweeps at rungs (see ashaPruner.ts). */
  private readonly asha: AshaPruner;
  /** What happens when the pool reports (see poolMessages.ts). */
  private readonly messages: PoolMessages;
  /** Cancelling runs (see runCancellation.ts). */
  private readonly cancels: RunCancellation;

  constructor(private readonly options: RunnerOptions) {
    this.store = options.store;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.guard = new StoreGuard(this.store, {
      failed: (event) => {
        this.gate.persistFailurePause();
        this.emit('store/failure', event);
        this.gate.checkIdle();
      },
      ended: (event) => {
        // a run that cannot continue any more needs no checkpoint (a finished one has its model)
        if (event.status === 'finished' || event.status === 'diverged' || event.status === 'pruned') removeCheckpoints(this.options.files, event.runId);
        this.emit('run/state', event);
      },
      stopWorker: (runId) => void this.pool?.terminate(runId),
    });
    this.gate = new QueueGate(this.store, this.guard, () => this.pool);
    this.asha = new AshaPruner(this.store, {
      write: (work, what) => this.guard.write(work, what),
      stop: (runId) => void this.pool?.cancel(runId),
      state: (event) => {
        // a run given back by a lost worker that is pruned or parked at a rung instead of dispatched
        if (event.status === 'pruned' || event.status === 'waiting') this.pool?.dropQueued?.(event.runId, event.status === 'waiting');
        if (event.status === 'pruned') removeCheckpoints(this.options.files, event.runId);
        this.emit('run/state', event);
      },
    });
    const parts: RunnerParts = {
      store: this.store, guard: this.guard, asha: this.asha, owner: this.owner, leaseMs: this.leaseMs, pool: () => this.pool,
      emit: (...args) => this.emit(...args), pump: () => this.pump(), checkIdle: () => this.gate.checkIdle(), fileOptions: (row) => this.fileOptions(row),
    };
    this.messages = new PoolMessages(parts);
    this.cancels = new RunCancellation(parts);
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
    return this.gate.paused;
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
      const events = this.messages.events();
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
      if (asha) pool.dropQueued?.(row.id, asha === 'handled');
      if (asha === 'handled') continue;
      if (asha) {
        this.guard.settle(row.id, asha);
        continue;
      }
      this.emit('run/state', { runId: row.id, experimentId: row.experiment_id, status: 'running', error: null });
      pool.dispatch({ type: 'run', runId: row.id, config: JSON.parse(row.config_json) as TrainConfig, files: this.fileOptions(row) });
    }
    this.gate.checkIdle();
  }

  private fileOptions(row: RunRow): RunFileOptions | null {
    return runFileOptions(this.options, this.store, row, this.datasetSha);
  }

  /** Pauses the queue; it stays paused in this process even if the setting cannot be written. */
  pause(): void {
    this.gate.pause();
  }

  /** Resumes the queue and clears a store failure; throws a clear error if the database still refuses writes. */
  resume(): void {
    this.gate.resume();
    this.pump();
  }

  /** Cancels a queued (or waiting) run at once, or asks a running one to stop after its current batch. */
  cancelRun(runId: number): boolean {
    return this.cancels.run(runId);
  }

  /**
   * Cancels queued and waiting runs in one transaction (deleting an experiment of 10,000 queued runs
   * is one commit, not one per run), then tells the views; other runs are left as they are.
   * `alsoInTransaction` runs in the same transaction: if it throws, nothing was cancelled.
   */
  cancelPending(runIds: readonly number[], alsoInTransaction?: () => void): number {
    return this.cancels.pending(runIds, alsoInTransaction);
  }

  /** Cancels every queued and running run of an experiment; returns how many were affected. */
  cancelExperiment(experimentId: number): number {
    return this.cancels.experiment(experimentId);
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
    for (const id of ids) this.emit('run/state', { runId: id, experimentId: experimentOf(this.store, id), status: 'queued', error: null });
    this.pump();
    return ids;
  }

  /** Resolves when nothing runs and nothing more will start (queue empty or paused). */
  whenIdle(): Promise<void> {
    return this.gate.whenIdle();
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
