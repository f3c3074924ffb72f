import { Worker } from 'node:worker_threads';
import type { Dataset } from '../engine/dataset';
import type { FromWorker, ToWorker, WorkerData } from './messages';

/** Why a worker went away while it had a run. */
export type WorkerLoss = { kind: 'terminated' } | { kind: 'crashed'; message: string };

export interface PoolEvents {
  message(msg: Exclude<FromWorker, { type: 'ready' }>): void;
  lost(runId: number, loss: WorkerLoss): void;
  /** A remote pool has room for more runs (a worker joined): take queued ones. */
  capacity?(): void;
  /**
   * A remote pool found a run of an earlier coordinator still in flight; the run as it would be
   * dispatched when it may be taken over (it is running or interrupted here), null to let it go.
   */
  adopt?(runId: number): ToWorker | null;
  /**
   * A remote pool gives a run back to the queue without an end: its worker was lost and it waits for
   * another, or the queue was paused before a worker took it. It is dispatched again when its turn comes.
   */
  returned?(runId: number, why: string | null): void;
}

/**
 * What the runner needs of a pool: the worker threads of this process (WorkerPool), or worker
 * processes anywhere behind a Redis queue (RemotePool).
 */
export interface RunPool {
  readonly idle: number;
  readonly running: number[];
  dispatch(msg: ToWorker): boolean;
  cancel(runId: number): boolean;
  terminate(runId: number): Promise<boolean>;
  /** The history now holds `epoch` epochs of the run (a remote pool has nothing to tell). */
  acknowledge?(runId: number, epoch: number): void;
  /** The queue was paused: give back the runs no worker has started yet (see PoolEvents.returned). */
  recall?(): void;
  /**
   * A queued run left the queue without being dispatched (cancelled, archived, pruned, waiting at a
   * rung): one the pool gave back lets go of what it kept (see RemotePool.dropQueued).
   */
  dropQueued?(runId: number, resumable: boolean): void;
  whenReady(): Promise<void>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  cancel: Int32Array;
  runId: number | null;
  terminating: boolean;
  /** The worker has loaded its engine (see FromWorker 'ready'). */
  ready: boolean;
}

/**
 * Starts a worker: the bundled JavaScript in the built app, the TypeScript source through tsx when
 * running from source (tests, CLI).
 */
function spawnWorker(data: WorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './trainWorkerSource.mjs' : './trainWorker.js', import.meta.url);
  return new Worker(url, {
    workerData: data,
    // the JS heap of a worker stays small (tensors live in WASM memory); a runaway is stopped here
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
}

/**
 * A fixed number of training workers sharing one dataset. A worker that dies (error, out of
 * memory, terminated) loses only its own run: the pool reports it and starts a replacement.
 */
export class WorkerPool implements RunPool {
  private readonly slots: Slot[] = [];
  private closed = false;
  private readyWaiters: (() => void)[] = [];

  constructor(
    private readonly dataset: Pick<Dataset, 'train' | 'test' | 'classNames'>,
    readonly size: number,
    private readonly events: PoolEvents,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.startSlot());
  }

  private startSlot(): Slot {
    const cancel = new Int32Array(new SharedArrayBuffer(8));
    const slot: Slot = { worker: spawnWorker({ dataset: this.dataset, cancel }), cancel, runId: null, terminating: false, ready: false };
    slot.worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        slot.ready = true;
        this.checkReady();
        return;
      }
      if (msg.type === 'done' || msg.type === 'error') slot.runId = null;
      this.events.message(msg);
    });
    let lastError: Error | null = null;
    slot.worker.on('error', (e) => (lastError = e));
    slot.worker.on('exit', () => {
      const runId = slot.runId;
      slot.runId = null;
      const index = this.slots.indexOf(slot);
      if (this.closed || index < 0) return;
      this.slots[index] = this.startSlot();
      if (runId !== null) {
        const e = lastError as (Error & { code?: string }) | null;
        const message = e?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the worker ran out of memory' : `the worker stopped: ${e?.message ?? 'exited unexpectedly'}`;
        this.events.lost(runId, slot.terminating ? { kind: 'terminated' } : { kind: 'crashed', message });
      }
    });
    return slot;
  }

  /**
   * Resolves once every worker has started its engine (or the pool is closed). Runs can be
   * dispatched before that; this lets a caller tell start-up time from training time.
   */
  whenReady(): Promise<void> {
    return new Promise((resolve) => {
      this.readyWaiters.push(resolve);
      this.checkReady();
    });
  }

  private checkReady(): void {
    if (this.closed || this.slots.every((s) => s.ready)) this.readyWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** How many workers have loaded their engine. */
  get readyCount(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  get idle(): number {
    return this.slots.filter((s) => s.runId === null).length;
  }

  get running(): number[] {
    return this.slots.flatMap((s) => (s.runId === null ? [] : [s.runId]));
  }

  /** Hands a run to an idle worker; false when all are busy. */
  dispatch(msg: ToWorker): boolean {
    const slot = this.slots.find((s) => s.runId === null);
    if (!slot) return false;
    slot.runId = msg.runId;
    slot.worker.postMessage(msg);
    return true;
  }

  /** Tells a run's thread that `epoch` epochs of it are in the history (it checkpoints at most one ahead). */
  acknowledge(runId: number, epoch: number): void {
    const slot = this.slots.find((s) => s.runId === runId);
    if (!slot) return;
    Atomics.store(slot.cancel, 1, epoch);
    Atomics.notify(slot.cancel, 1);
  }

  /** Asks a run to stop after its current batch (it ends as cancelled). */
  cancel(runId: number): boolean {
    const slot = this.slots.find((s) => s.runId === runId);
    if (slot) Atomics.store(slot.cancel, 0, 1);
    return slot !== undefined;
  }

  /** Stops a run's worker at once (the run ends as interrupted; its committed epochs stay). */
  async terminate(runId: number): Promise<boolean> {
    const slot = this.slots.find((s) => s.runId === runId);
    if (!slot) return false;
    slot.terminating = true;
    await slot.worker.terminate();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.checkReady();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
