import type { Store } from '../store/store';
import type { StoreGuard } from './storeGuard';
import type { RunPool } from './workerPool';

const PAUSED = 'queue.paused';

/**
 * Whether the Runner's queue takes runs, and who waits for it to go idle. Paused by the user
 * (held in this process even where the setting cannot be written), by the setting, or by a store
 * failure until the queue is resumed.
 */
export class QueueGate {
  /** Paused by the user, even where the setting could not be written. */
  private pausedHere = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly store: Store, private readonly guard: StoreGuard, private readonly pool: () => RunPool | null) {}

  get paused(): boolean {
    return this.guard.failure !== null || this.pausedHere || this.store.settings.get(PAUSED) === 'true';
  }

  /** After a store failure: persisted where the database still takes it; the failure itself keeps the queue paused here. */
  persistFailurePause(): void {
    try {
      this.store.settings.set(PAUSED, 'true');
    } catch {
      /* refused as well */
    }
  }

  /** See Runner.pause. */
  pause(): void {
    this.pausedHere = true;
    this.guard.write(() => this.store.settings.set(PAUSED, 'true'), 'pausing the queue');
    // runs a remote worker has not started yet wait in the queue again
    this.pool()?.recall?.();
    this.checkIdle();
  }

  /** See Runner.resume (which then takes queued runs). */
  resume(): void {
    this.guard.failure = null;
    this.pausedHere = false;
    this.guard.writeOrThrow(() => this.store.settings.set(PAUSED, 'false'), 'resuming the queue');
  }

  /** Wakes the whenIdle() waiters if nothing runs and nothing more will start. */
  checkIdle(): void {
    const pool = this.pool();
    const busy = (pool?.running.length ?? 0) > 0 || (!this.paused && this.store.runs.queuedCount() > 0 && pool !== null);
    if (!busy) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** See Runner.whenIdle. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }
}
