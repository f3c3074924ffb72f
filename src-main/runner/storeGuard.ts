import { AppError } from '../../src-shared/errors';
import type { RunStateEvent, RunStatus, StoreFailureEvent } from '../../src-shared/runs';
import type { Store } from '../store/store';
import { describeStoreFailure, failureReason, isStoreError } from './storeFailure';

/** A run's terminal state as it is to be written. */
export interface Ending {
  status: RunStatus;
  error: string | null;
  divergedEpoch: number | null;
}

export interface GuardHooks {
  /** Told of every store failure (once per failure, again for each further run stopped). */
  failed(event: StoreFailureEvent): void;
  /** Told of every run end that reached the database. */
  ended(event: RunStateEvent): void;
  /** Stops a run's worker at once (the run was already marked interrupted, or will be). */
  stopWorker(runId: number): void;
}

/**
 * The runner's writes to the store, none of which may throw out of a worker's message handler or a
 * timer. A refused write (full disk, I/O error, read-only file, lock held elsewhere) records a
 * failure, which keeps the queue paused until it is resumed; the run concerned is stopped and
 * marked interrupted with the reason; a run end that could not be written is kept and retried.
 */
export class StoreGuard {
  /** The last failure since the queue was resumed. */
  failure: StoreFailureEvent | null = null;
  /** Runs stopped after a failed write: whatever their workers still send is ignored. */
  readonly stopped = new Set<number>();
  /** Ends of runs that could not be written yet (see retry()). */
  private readonly unsaved = new Map<number, Ending>();

  constructor(private readonly store: Store, private readonly hooks: GuardHooks) {}

  /** Runs a store write; if the database refuses it, records the failure (stopping `runId`'s run) and returns undefined. */
  write<T>(work: () => T, what: string, runId: number | null = null): T | undefined {
    try {
      return work();
    } catch (e) {
      if (!isStoreError(e)) throw e;
      this.failed(e, what, runId);
      return undefined;
    }
  }

  /** As write(), for a request someone waits on: a refused write is also thrown as a clear error. */
  writeOrThrow<T>(work: () => T, what: string): T {
    try {
      return work();
    } catch (e) {
      if (!isStoreError(e)) throw e;
      this.failed(e, what, null);
      throw new AppError('IO', this.failure!.message, { cause: e });
    }
  }

  /** Writes a run's end and tells the hooks; a refused write is kept for retry() and, if `report`, recorded as a failure. */
  settle(runId: number, ending: Ending, report = true): void {
    try {
      const changed = this.store.finishRun(runId, ending.status, ending.error, ending.divergedEpoch);
      this.unsaved.delete(runId);
      if (changed) this.hooks.ended({ runId, experimentId: this.store.runs.get(runId)?.experiment_id ?? -1, status: ending.status, error: ending.error });
    } catch (e) {
      if (!isStoreError(e)) throw e;
      this.unsaved.set(runId, ending);
      if (report) this.failed(e, `the end of run ${runId} (${ending.status})`, null);
    }
  }

  /** Tries again to write the ends that were refused (called on every heartbeat). */
  retry(): void {
    for (const [runId, ending] of this.unsaved) this.settle(runId, ending, false);
  }

  /** Runs whose end is still to be written: their leases are no longer renewed. */
  isUnsaved(runId: number): boolean {
    return this.unsaved.has(runId);
  }

  private failed(error: Error & { code: string }, what: string, runId: number | null): void {
    const dbPath = this.store.db.name;
    const row = runId === null || this.stopped.has(runId) ? undefined : this.store.runs.get(runId);
    if (row) {
      this.stopped.add(row.id);
      this.settle(row.id, { status: 'interrupted', error: failureReason(error, { dbPath, what }), divergedEpoch: null }, false);
      this.hooks.stopWorker(row.id);
    }
    // a failure repeated by every heartbeat is told once; each run it stops is told
    const repeated = this.failure !== null && !row;
    const run = row ? { id: row.id, experimentId: row.experiment_id, epochsSaved: row.epochs_done, marked: !this.unsaved.has(row.id) } : null;
    this.failure = describeStoreFailure(error, { dbPath, what, run });
    if (!repeated) this.hooks.failed(this.failure);
  }
}
