import { randomUUID } from 'node:crypto';
import type { TrainConfig } from '../../src-shared/config';
import { fromWireError } from '../../src-shared/errors';
import type { QueueStatus, RunEpochEvent, RunProgressEvent, RunStateEvent, RunStatus } from '../../src-shared/runs';
import type { Dataset } from '../engine/dataset';
import type { Store } from '../store/store';
import type { FromWorker } from './messages';
import { WorkerPool, type WorkerLoss } from './workerPool';

export interface RunnerEvents {
  'run/progress': RunProgressEvent;
  'run/epoch': RunEpochEvent;
  'run/state': RunStateEvent;
}
/** (event, payload) pairs as a discriminated tuple, so checking the name narrows the payload. */
export type RunnerEvent = { [E in keyof RunnerEvents]: [event: E, payload: RunnerEvents[E]] }[keyof RunnerEvents];
type Listener = (...args: RunnerEvent) => void;

export interface RunnerOptions {
  store: Store;
  /** The dataset (SharedArrayBuffer-backed) and a fingerprint recorded with every run. */
  loadDataset: () => Promise<{ data: Dataset; sha256: string }>;
  workers: number;
  /** How long a running run's lease lasts without renewal; renewed every third of it. */
  leaseMs?: number;
}

const PAUSED = 'queue.paused';

/**
 * Runs queued runs on a worker pool. The queue is the runs table itself, so it survives restarts.
 * A running run holds a lease (owner + expiry) renewed while its process lives; at start-up and
 * periodically, runs whose lease expired are marked interrupted, so none is ever stuck "running".
 */
export class Runner {
  readonly owner = randomUUID();
  private readonly store: Store;
  private readonly leaseMs: number;
  private pool: WorkerPool | null = null;
  private datasetSha = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly idleWaiters: (() => void)[] = [];
  private starting: Promise<void> | null = null;

  constructor(private readonly options: RunnerOptions) {
    this.store = options.store;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.store.runs.expireLeases(Date.now(), new Date().toISOString());
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(...args: RunnerEvent): void {
    for (const l of this.listeners) l(...args);
  }

  get paused(): boolean {
    return this.store.settings.get(PAUSED) === 'true';
  }

  status(): QueueStatus {
    return { paused: this.paused, workers: this.options.workers, running: this.pool?.running ?? [], queued: this.store.runs.queuedCount(), blocked: null };
  }

  /** Starts the workers (loading the dataset once) and begins taking queued runs. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const { data, sha256 } = await this.options.loadDataset();
      this.datasetSha = sha256;
      this.pool = new WorkerPool(data, this.options.workers, {
        message: (m) => this.onMessage(m),
        lost: (runId, loss) => this.onLost(runId, loss),
      });
      this.timer = setInterval(() => this.heartbeat(), Math.max(50, this.leaseMs / 3));
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
    this.store.runs.renewLeases(this.owner, Date.now() + this.leaseMs);
    this.store.runs.expireLeases(Date.now(), new Date().toISOString());
  }

  /** Fills idle workers with queued runs, oldest first. */
  pump(): void {
    const pool = this.pool;
    if (!pool) return;
    while (!this.paused && pool.idle > 0) {
      const row = this.store.runs.claimNext(this.owner, Date.now() + this.leaseMs, null, this.datasetSha, new Date().toISOString());
      if (!row) break;
      this.emit('run/state', { runId: row.id, experimentId: row.experiment_id, status: 'running', error: null });
      pool.dispatch({ type: 'run', runId: row.id, config: JSON.parse(row.config_json) as TrainConfig });
    }
    this.checkIdle();
  }

  private experimentOf(runId: number): number {
    return this.store.runs.get(runId)?.experiment_id ?? -1;
  }

  private finish(runId: number, status: RunStatus, error: string | null, divergedEpoch: number | null = null): void {
    if (this.store.finishRun(runId, status, error, divergedEpoch)) {
      this.emit('run/state', { runId, experimentId: this.experimentOf(runId), status, error });
    }
    this.pump();
  }

  private onMessage(m: Exclude<FromWorker, { type: 'ready' }>): void {
    switch (m.type) {
      case 'progress':
        this.emit('run/progress', { runId: m.runId, experimentId: this.experimentOf(m.runId), epoch: m.epoch, fraction: m.fraction });
        break;
      case 'epoch':
        // committed before anyone hears of it: what was shown is what is saved
        if (this.store.recordEpoch(m.runId, m.metrics, m.best, Date.now() + this.leaseMs)) {
          this.emit('run/epoch', { runId: m.runId, experimentId: this.experimentOf(m.runId), metrics: m.metrics });
        }
        break;
      case 'started':
        this.store.runs.setKernel(m.runId, m.kernel);
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

  pause(): void {
    this.store.settings.set(PAUSED, 'true');
    this.checkIdle();
  }

  resume(): void {
    this.store.settings.set(PAUSED, 'false');
    this.pump();
  }

  /** Cancels a queued run at once, or asks a running one to stop after its current batch. */
  cancelRun(runId: number): boolean {
    const row = this.store.runs.get(runId);
    if (!row) return false;
    if (row.status === 'queued') {
      const done = this.store.runs.cancelQueued(runId, new Date().toISOString());
      if (done) this.emit('run/state', { runId, experimentId: row.experiment_id, status: 'cancelled', error: null });
      this.checkIdle();
      return done;
    }
    return row.status === 'running' && (this.pool?.cancel(runId) ?? false);
  }

  /** Cancels every queued and running run of an experiment; returns how many were affected. */
  cancelExperiment(experimentId: number): number {
    const rows = this.store.runs.list({ experimentId, limit: 1_000_000, offset: 0 }).filter((r) => r.status === 'queued' || r.status === 'running');
    return rows.filter((r) => this.cancelRun(r.id)).length;
  }

  /** Stops a running run's worker immediately (the run becomes interrupted). */
  forceStop(runId: number): Promise<boolean> {
    return this.pool?.terminate(runId) ?? Promise.resolve(false);
  }

  requeue(runId: number): number {
    const id = this.store.requeue(runId);
    this.pump();
    return id;
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
    for (const runId of running) this.store.finishRun(runId, 'interrupted', 'the app was closed while it ran');
    this.pool = null;
  }
}
