import type { RunRow } from '../store/runsRepo';
import type { Store } from '../store/store';
import type { AshaPruner } from './ashaPruner';
import type { RunFileOptions } from './messages';
import type { RunnerEvent } from './runnerOptions';
import type { StoreGuard } from './storeGuard';
import type { RunPool } from './workerPool';

/**
 * What the Runner's helpers (PoolMessages, RunCancellation) act on: its store, guard and pruner,
 * and its next steps. One view of the runner's state, so they never reach into the class itself.
 */
export interface RunnerParts {
  readonly store: Store;
  readonly guard: StoreGuard;
  readonly asha: AshaPruner;
  readonly owner: string;
  readonly leaseMs: number;
  /** The pool while started: null before start() and after close(). */
  pool(): RunPool | null;
  emit(...args: RunnerEvent): void;
  /** Fills idle workers with queued runs (Runner.pump). */
  pump(): void;
  /** Wakes whenIdle() waiters if nothing runs and nothing more will start. */
  checkIdle(): void;
  /** What a run's thread needs to keep its files (see runFileOptions). */
  fileOptions(row: RunRow): RunFileOptions | null;
}

/** The experiment a run belongs to, -1 if the run is gone: events carry it for the views. */
export function experimentOf(store: Store, runId: number): number {
  return store.runs.get(runId)?.experiment_id ?? -1;
}
