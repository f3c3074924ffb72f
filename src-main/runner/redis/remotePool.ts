import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RemoteQueueStatus } from '../../../src-shared/runs';
import type { ToWorker } from '../messages';
import type { PoolEvents, RunPool } from '../workerPool';
import { bullConnection, connect, QUEUE_NAME, shownUrl } from './redisConnection';
import { redisProblems } from './redisHealth';
import { LOST_AFTER_MS, type InFlight, type RemotePoolOptions } from './remotePoolOptions';
import { EVENTS_CHANNEL, RemoteState, type RemoteRunInfo, type RemoteWorker } from './remoteState';
import { RunJobs } from './runJobs';
import { checkpointHome, deliverReports } from './runReports';

export { LOST_AFTER_MS, type RemotePoolOptions } from './remotePoolOptions';

/**
 * The runner's pool when runs train on worker processes behind Redis (BullMQ): a dispatched run
 * becomes a job whose id is `run-<id>` (so submitting it twice queues it once); what the workers
 * report in Redis (RemoteState) is read back on a timer and handed to the runner as the same
 * messages local worker threads send, so the runner, the store and the API work as they do locally.
 * Redis going away only pauses this reading; runs in flight survive a restart of this process, which
 * takes them over (adopt) when it starts.
 */
export class RemotePool implements RunPool {
  private readonly redis: Redis;
  private readonly state: RemoteState;
  private readonly queue: Queue;
  private readonly inflight = new Map<number, InFlight>();
  /**
   * Runs given back to the runner because their worker was lost, by that worker's id: their jobs stay
   * in BullMQ (another worker takes each once its lock lapses), so they hold a slot until dispatched again.
   */
  private readonly orphans = new Map<number, { worker: string; attempt: string }>();
  /** Orphans being let go (dropQueued): a new dispatch of one enqueues once that is done. */
  private readonly dropping = new Map<number, Promise<void>>();
  private readonly jobs: RunJobs;
  private liveWorkers: RemoteWorker[] = [];
  private allWorkers: RemoteWorker[] = [];
  private problems: string[] = [];
  private connected = false;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  /** A poll was asked for while one ran: run another after it. */
  private again = false;
  private readonly events$: Redis;
  private closed = false;

  constructor(
    private readonly options: RemotePoolOptions,
    private readonly events: PoolEvents,
  ) {
    this.redis = connect(options.target);
    this.redis.on('error', (e: Error) => (this.lastError = e.message));
    this.redis.on('ready', () => {
      this.connected = true;
      this.lastError = null;
    });
    this.redis.on('close', () => (this.connected = false));
    this.state = new RemoteState(this.redis);
    // told by the workers when they stored something: read at once instead of at the next tick
    this.events$ = this.redis.duplicate();
    this.events$.on('error', () => undefined);
    void this.events$.subscribe(EVENTS_CHANNEL).catch(() => undefined);
    this.events$.on('message', () => void this.poll());
    this.queue = new Queue(QUEUE_NAME, { connection: bullConnection(options.target) });
    this.queue.on('error', (e: Error) => (this.lastError = e.message));
    this.jobs = new RunJobs(this.queue, this.state, options);
    this.ready = this.begin();
  }

  /** Settles once runs left in flight by an earlier coordinator have been taken over (or Redis refused). */
  private readonly ready: Promise<void>;

  private async begin(): Promise<void> {
    try {
      this.problems = await redisProblems(this.redis);
      await this.state.setDataset(this.options.datasetSha256);
      for (const runId of await this.state.inflight()) {
        if (this.inflight.has(runId)) continue;
        const original = this.events.adopt?.(runId) ?? null;
        if (!original) await this.state.forget(runId);
        // its job goes on as the attempt it is (a worker holding it keeps reporting)
        else this.inflight.set(runId, { delivered: original.files?.committedEpochs ?? 0, started: false, resumed: null, original, pending: false, checkedJobAt: 0, attempt: (await this.state.read([runId])).get(runId)?.attempt ?? '', enqueuing: false });
      }
    } catch (e) {
      this.lastError = (e as Error).message;
    }
    if (!this.closed) this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 500);
  }

  get idle(): number {
    if (!this.connected) return 0;
    // one run more per worker than it has threads: a job waits in Redis, taken the moment a thread frees
    // live as of now, as queue/status shows them: a worker whose heartbeat lapsed since the last poll
    // (killed a moment ago) offers no slot
    const now = Date.now();
    const slots = this.liveWorkers.filter((w) => now - w.heartbeat < LOST_AFTER_MS).reduce((n, w) => n + w.concurrency + 1, 0);
    return Math.max(0, slots - this.inflight.size - this.orphans.size);
  }

  get running(): number[] {
    return [...this.inflight.keys()];
  }

  dispatch(msg: ToWorker): boolean {
    // a run given back when its worker was lost is the same attempt: its job, still in BullMQ, goes on
    const orphan = this.orphans.get(msg.runId);
    this.orphans.delete(msg.runId);
    this.inflight.set(msg.runId, {
      lostWith: orphan?.worker, attempt: orphan?.attempt ?? randomUUID(), enqueuing: false,
      delivered: msg.files?.committedEpochs ?? 0, started: false, resumed: null, original: msg, pending: true, checkedJobAt: Date.now() });
    void this.enqueue(msg.runId);
    return true;
  }

  /** Adds the job of the run's attempt (see RunJobs.add): one enqueue at a time, after a drop under way. */
  private async enqueue(runId: number): Promise<void> {
    const f = this.inflight.get(runId);
    if (!f?.pending || f.enqueuing) return;
    f.enqueuing = true;
    try {
      await this.dropping.get(runId);
      if (await this.jobs.add(runId, f, () => this.inflight.get(runId) === f)) f.pending = false;
    } catch (e) {
      this.lastError = (e as Error).message; // tried again at the next poll
    } finally {
      f.enqueuing = false;
    }
  }

  cancel(runId: number): boolean {
    if (!this.inflight.has(runId)) return false;
    void (async () => {
      try {
        await this.state.requestCancel(runId);
        // still waiting for a worker: it never started, so it ends here
        const removed = await this.jobs.remove(runId);
        if (removed === 1) {
          // waiting for a worker after its own was lost: the checkpoint it left comes home for a resume
          await this.checkpointHome(runId);
          this.end(runId, { type: 'done', runId, status: 'cancelled', divergedEpoch: null, kernel: '' });
        }
      } catch (e) {
        this.lastError = (e as Error).message;
      }
    })();
    return true;
  }

  /**
   * A run given back when its worker was lost left the queue without being dispatched again (cancelled,
   * archived, pruned, waiting at an ASHA rung): its checkpoint comes home when it can be resumed, and
   * its job and keys go. A worker that takes the job meanwhile is refused at its claim (the run is not
   * in flight any more).
   */
  dropQueued(runId: number, resumable: boolean): void {
    if (!this.orphans.delete(runId)) return;
    // a dispatch of the run meanwhile enqueues after this (see enqueue)
    const drop = (async () => {
      try {
        if (resumable) await this.checkpointHome(runId);
        await this.state.forget(runId);
        await this.jobs.remove(runId);
      } catch (e) {
        this.lastError = (e as Error).message;
      } finally {
        this.dropping.delete(runId);
      }
    })();
    this.dropping.set(runId, drop);
  }

  /** A remote run cannot be killed from here: it is asked to stop after its batch, like cancel. */
  async terminate(runId: number): Promise<boolean> {
    return this.cancel(runId);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** The queue was paused: jobs no worker has taken leave BullMQ and their runs wait in the queue again. */
  recall(): void {
    const waiting = [...this.inflight].filter(([, f]) => !f.started).map(([runId]) => runId);
    void (async () => {
      for (const runId of waiting) {
        try {
          if ((await this.jobs.remove(runId)) !== 1) continue; // taken meanwhile (or locked)
          if (!this.inflight.delete(runId)) continue;
          // a run that was on a lost worker may have its only checkpoint there: it comes home first
          await this.checkpointHome(runId);
          await this.state.forget(runId);
          this.events.returned?.(runId, null);
        } catch (e) {
          this.lastError = (e as Error).message;
        }
      }
    })();
  }

  private checkpointHome(runId: number): Promise<void> {
    return checkpointHome(this.state, this.options.files, runId);
  }

  private end(runId: number, msg: Parameters<PoolEvents['message']>[0]): void {
    if (!this.inflight.delete(runId)) return;
    // sent before the runner hears of the end: it may dispatch the run again at once (an ASHA promotion),
    // and that attempt's commands must reach Redis after this one (ioredis keeps their order)
    void this.state.forget(runId).catch((e: Error) => (this.lastError = e.message));
    this.events.message(msg);
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = true;
    this.again = false;
    try {
      const before = this.idle;
      const now = Date.now();
      this.allWorkers = await this.state.workers();
      this.liveWorkers = this.allWorkers.filter((w) => now - w.heartbeat < LOST_AFTER_MS);
      for (const [runId, f] of this.inflight) if (f.pending) await this.enqueue(runId);
      const info = await this.state.read([...this.inflight.keys()]);
      for (const [runId, r] of info) await this.deliver(runId, r, now);
      this.giveBackLost(info);
      if (this.idle > before) this.events.capacity?.();
    } catch (e) {
      this.lastError = (e as Error).message;
    } finally {
      this.polling = false;
      if (this.again) void this.poll();
    }
  }

  /**
   * Runs whose worker stopped beating (killed, or cut off) are not shown as running while they wait for
   * BullMQ to hand their jobs to another worker: they go back to the queue until a worker takes them.
   */
  private giveBackLost(info: Map<number, RemoteRunInfo>): void {
    for (const [runId, r] of info) {
      const f = this.inflight.get(runId);
      if (!f || !r.worker || r.outcome || f.lostWith === r.worker || this.liveWorkers.some((w) => w.id === r.worker)) continue;
      const worker = this.allWorkers.find((w) => w.id === r.worker);
      this.inflight.delete(runId);
      this.orphans.set(runId, { worker: r.worker, attempt: f.attempt });
      this.events.returned?.(runId, `its worker ${worker ? `on ${worker.host} (pid ${worker.pid})` : r.worker} was lost; it continues from its checkpoint when another worker takes it`);
    }
  }

  private async deliver(runId: number, r: RemoteRunInfo, now: number): Promise<void> {
    const f = this.inflight.get(runId);
    if (!f) return;
    const ending = await deliverReports(this.state, this.options.files, runId, f, r, (m) => this.events.message(m));
    if (ending) {
      this.end(runId, ending);
      return;
    }
    // a job that failed without a word from a worker (stalled too often), or vanished (Redis lost it),
    // looked at only once this attempt's job was added
    if (now - f.checkedJobAt < (this.options.jobCheckMs ?? 5000) || f.pending || f.enqueuing) return;
    f.checkedJobAt = now;
    const attempt = f.attempt;
    const verdict = await this.jobs.check(runId, attempt);
    // the run ended, or was queued again, meanwhile
    if (!verdict || this.inflight.get(runId) !== f || f.attempt !== attempt || f.pending) return;
    if (verdict === 'replace') f.pending = true;
    else if (verdict === 'lost') {
      // not in Redis any more (it was restarted without its data): queue it again as a new attempt (a
      // worker still training the old one is fenced off); a checkpoint that survived, or this
      // machine's, lets it continue
      f.original = { ...f.original, files: f.original.files && { ...f.original.files, resume: true, committedEpochs: f.delivered } };
      f.attempt = randomUUID();
      f.pending = true;
    } else this.end(runId, { type: 'error', runId, error: { name: 'AppError', code: 'INTERNAL', message: verdict.failed } });
  }

  /** For the Queue view. */
  describe(): RemoteQueueStatus {
    const now = Date.now();
    return {
      url: shownUrl(this.options.target.url), connected: this.connected, error: this.connected ? null : this.lastError, problems: this.problems,
      workers: this.allWorkers.map((w) => ({ ...w, lost: now - w.heartbeat >= LOST_AFTER_MS })),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue.close().catch(() => undefined);
    this.events$.disconnect();
    this.redis.disconnect();
  }
}
