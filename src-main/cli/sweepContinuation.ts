import type { WorkbenchApi } from '../api/workbenchApi';
import { experimentRuns, latestAttempts, pairsText, requeueRuns } from './attempts';

type Pairs = { from: number; to: number }[];

/** How often to look again at runs another process holds (a dead one's lease lapses within 15 s). */
const POLL_MS = 1000;

/**
 * Continuing a sweep that was stopped (a crash, a kill, a closed app): running it again re-queues
 * its interrupted runs as new attempts, runs what is queued, and waits for runs another process
 * still holds until that process finishes them or, if it died, their lease lapses and they are
 * re-queued too. Everything goes through the API. A run that this process re-queued and that was
 * interrupted again is left interrupted (and reported), so this never loops.
 */
export class SweepContinuation {
  private readonly attemptsHere = new Set<number>();

  constructor(
    private readonly api: WorkbenchApi,
    private readonly experimentId: number,
    private readonly log: (line: string) => void,
    /** Told which runs were replaced by which attempts (to move their share of the progress bar). */
    private readonly onRequeued: (pairs: Pairs) => void = () => undefined,
  ) {}

  /** Re-queues the interrupted runs (latest attempts only); returns how many. */
  async requeueInterrupted(): Promise<number> {
    const latest = latestAttempts(await experimentRuns(this.api, this.experimentId));
    const interrupted = latest.filter((r) => r.status === 'interrupted' && !this.attemptsHere.has(r.id));
    if (interrupted.length === 0) return 0;
    const pairs = await requeueRuns(this.api, interrupted);
    for (const p of pairs) this.attemptsHere.add(p.to);
    const one = pairs.length === 1;
    this.log(`Re-queued ${pairs.length} interrupted ${one ? 'run as a new attempt' : 'runs as new attempts'} (old → new): ${pairsText(pairs)}`);
    this.onRequeued(pairs);
    return pairs.length;
  }

  /**
   * Waits until nothing of the sweep is left to do here: the local queue is idle and no run of the
   * experiment is held by another process. Stops early on Ctrl-C (`cancelled`) or a paused queue.
   */
  async untilSettled(whenIdle: () => Promise<void>, cancelled: () => boolean): Promise<void> {
    let told = false;
    for (;;) {
      await whenIdle();
      if (cancelled()) return;
      const queue = await this.api.call('queue/status', {});
      if (queue.paused) return;
      if ((await this.requeueInterrupted()) > 0) continue;
      const here = new Set(queue.running);
      const elsewhere = latestAttempts(await experimentRuns(this.api, this.experimentId)).filter((r) => r.status === 'running' && !here.has(r.id));
      if (elsewhere.length === 0) return;
      if (!told) {
        const ids = elsewhere.map((r) => r.id).join(', ');
        const one = elsewhere.length === 1;
        this.log(`${one ? 'Run' : 'Runs'} ${ids} ${one ? 'is' : 'are'} held by another process: waiting until that process finishes ${one ? 'it' : 'them'} or, if it has stopped, until ${one ? 'its lease lapses' : 'their leases lapse'} (within 15 s) to re-queue ${one ? 'it' : 'them'}…`);
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
