import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TrainConfig } from '../../../src-shared/config';
import { AppError, fromWireError } from '../../../src-shared/errors';
import { APP_VERSION } from '../../appVersion';
import { cacheSha256 } from '../../data/datasetIdentity';
import { DatasetManager } from '../../data/datasetManager';
import { kernelReport } from '../../engine/index';
import { writeFileAtomic } from '../../store/files/atomicFile';
import { RunFiles } from '../../store/files/runFiles';
import type { FromWorker } from '../messages';
import { WorkerPool, type WorkerLoss } from '../workerPool';
import { bullConnection, connect, QUEUE_NAME, shownUrl, type RedisTarget } from './redisConnection';
import { redisProblems } from './redisHealth';
import { RemoteState, type RemoteOutcome } from './remoteState';

/** The bytes of the first of these files that can be read, or null. */
function readFirst(paths: string[]): Buffer | null {
  for (const p of paths) {
    try {
      return readFileSync(p);
    } catch {
      // missing (being renamed) or unreadable: try the next
    }
  }
  return null;
}

/** The folder under a worker's home where runs it trains keep their files until Redis has them. */
export const STAGING = 'worker-staging';

/** What a queued run's job carries (see RemotePool.enqueue). */
export interface RunJob {
  runId: number;
  config: TrainConfig;
  committedEpochs: number;
  datasetSha256: string;
  /** The coordinator's attempt this job is (RemoteState.open); absent in jobs of earlier versions. */
  attempt?: string;
}

export interface RemoteWorkerOptions {
  target: RedisTarget;
  home: string;
  concurrency: number;
  /** How long a job's lock lasts without renewal: a killed worker's run moves on after about this (ms). */
  lockMs?: number;
  /**
   * How often a run's checkpoint goes to Redis (ms; default 10 s, 0 = after every epoch). Each epoch's
   * metrics always go; the checkpoint (1.4 MB for the report's network) with the first epoch that ends
   * this long after the run started here or after the last one sent, so a run moved to another worker
   * redoes at most about this much (a run shorter than this sends none).
   */
  checkpointEveryMs?: number;
  log?: (line: string) => void;
}

interface Active {
  job: Job<RunJob>;
  outcome: Promise<RemoteOutcome>;
  /** Reports to Redis of this run, in order. */
  chain: Promise<void>;
  lastProgress: number;
  /** When its checkpoint last went to Redis (or the run started here). */
  checkpointSentAt: number;
  settle: (outcome: RemoteOutcome) => void;
}

/**
 * `workbench worker`: a headless process that takes runs from the Redis queue and trains them in
 * worker threads of its own (so its event loop stays free to renew the jobs' locks), with this
 * machine's dataset cache. Each epoch's metrics and the checkpoint after it go to Redis in one MULTI;
 * a run that another worker started continues from its checkpoint there.
 */
export class RemoteWorker {
  readonly id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly redis: Redis;
  private readonly state: RemoteState;
  private readonly files: RunFiles;
  private pool: WorkerPool | null = null;
  private worker: Worker<RunJob> | null = null;
  private readonly active = new Map<number, Active>();
  /** Why this worker stopped a run's thread itself. */
  private readonly stopReasons = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private sha = '';
  private runsDone = 0;
  private readonly log: (line: string) => void;

  constructor(private readonly options: RemoteWorkerOptions) {
    this.redis = connect(options.target);
    this.redis.on('error', () => undefined); // ioredis reconnects; the heartbeat says when it cannot
    this.state = new RemoteState(this.redis, this.id);
    // its own staging folder: a worker started on the coordinator's machine with the same home must
    // never clear the checkpoints and models the coordinator keeps there
    this.files = new RunFiles(join(options.home, STAGING));
    this.log = options.log ?? (() => undefined);
  }

  async start(): Promise<void> {
    const dataset = new DatasetManager(this.options.home);
    const status = await dataset.status();
    if (status.state !== 'ready') throw new AppError('DATASET_MISSING', `This worker has no CIFAR-10 cache in ${this.options.home} (${status.state}). Import the same archive the coordinator uses: workbench data import <file> --home ${this.options.home}`);
    this.sha = cacheSha256(status);
    await this.redis.ping().catch((e: Error) => {
      throw new AppError('NETWORK', `Cannot reach Redis at ${shownUrl(this.options.target.url)}: ${e.message}. Start it (redis-server) or check the URL and password.`);
    });
    for (const p of await redisProblems(this.redis)) this.log(`warning: ${p}`);
    const queueSha = await this.state.datasetOfQueue();
    if (queueSha && queueSha !== this.sha) {
      throw new AppError('DATASET_INVALID', `This worker's dataset (sha256 ${this.sha.slice(0, 12)}…) differs from the one the queue's runs use (${queueSha.slice(0, 12)}…). Import the same CIFAR-10 archive into ${this.options.home}.`);
    }
    const data = await dataset.load();
    this.pool = new WorkerPool(data, this.options.concurrency, { message: (m) => this.onMessage(m), lost: (runId, loss) => this.onLost(runId, loss) });
    await this.pool.whenReady();
    const lockDuration = this.options.lockMs ?? 30_000;
    this.worker = new Worker<RunJob>(QUEUE_NAME, (job) => this.process(job), {
      connection: bullConnection(this.options.target), concurrency: this.options.concurrency,
      lockDuration, stalledInterval: lockDuration, maxStalledCount: 1000,
    });
    this.worker.on('error', () => undefined);
    this.timer = setInterval(() => void this.heartbeat(), 1000);
    await this.heartbeat();
    this.log(`Worker ${this.id} takes runs from ${shownUrl(this.options.target.url)} with ${this.options.concurrency} thread(s) (${kernelReport().auto}).`);
  }

  private async heartbeat(): Promise<void> {
    try {
      const running = [...this.active.keys()];
      await this.state.heartbeat({ id: this.id, host: hostname(), pid: process.pid, concurrency: this.options.concurrency, kernel: kernelReport().auto, runsDone: this.runsDone, running, heartbeat: Date.now() });
      for (const runId of await this.state.cancelRequested(running)) this.pool?.cancel(runId);
    } catch {
      // Redis is away: ioredis reconnects, and the next beat is sent then
    }
  }

  private async process(job: Job<RunJob>): Promise<RemoteOutcome> {
    const { runId, config, datasetSha256 } = job.data;
    // given back to this worker while it still trains it (its lock lapsed while Redis was away): the
    // attempt in progress stands for this delivery too
    const current = this.active.get(runId);
    if (current && current.job.data.attempt === job.data.attempt) return current.outcome;
    // a new attempt of a run this worker still trains as an earlier one (whose reports are now refused):
    // that one ends first
    if (current) await current.outcome.catch(() => undefined);
    // held here from now on. A job that is not the coordinator's current attempt of the run (one it
    // has ended or queued again), or whose run has its outcome already, is a leftover: trained, it
    // would start afresh beside the real attempt, and its reports would be refused
    if (!(await this.state.claim(runId, job.data.attempt))) {
      this.log(`run ${runId}: its job is a leftover (not the coordinator's current attempt of the run); dropped`);
      return { status: 'cancelled', divergedEpoch: null, error: null, kernel: '' };
    }
    if (datasetSha256 !== this.sha) {
      const error = `Worker ${this.id} refused run ${runId}: its dataset (sha256 ${this.sha.slice(0, 12)}…) differs from the one the run was queued with (${datasetSha256.slice(0, 12)}…).`;
      await this.state.finish(runId, { status: 'failed', divergedEpoch: null, error, kernel: '' }, null);
      throw new UnrecoverableError(error);
    }
    // the run's checkpoint travels in Redis: put it where this machine's training thread looks
    const checkpoint = await this.state.checkpoint(runId);
    const committed = Math.max(job.data.committedEpochs, await this.state.epochCount(runId));
    this.files.removeRun(runId);
    if (checkpoint) {
      mkdirSync(this.files.checkpoints, { recursive: true });
      writeFileAtomic(this.files.checkpointPath(runId), checkpoint);
    }
    let settle!: (o: RemoteOutcome) => void;
    const outcome = new Promise<RemoteOutcome>((resolve, reject) => {
      settle = (o) => (o.status === 'failed' ? reject(new UnrecoverableError(o.error ?? 'failed')) : resolve(o));
    });
    this.active.set(runId, { job, outcome, chain: Promise.resolve(), lastProgress: 0, checkpointSentAt: Date.now(), settle });
    {
      this.pool!.dispatch({
        type: 'run', runId, config,
        // Redis holds the run's durable checkpoint and model: the local files are staging copies, not fsynced
        files: { home: this.files.home, resume: checkpoint !== null, committedEpochs: committed, keepBest: false, appVersion: APP_VERSION, datasetSha256: this.sha, syncFiles: false },
      });
    }
    return outcome;
  }

  /** Queues a report of this run to Redis after the ones before it. */
  private report(runId: number, work: (a: Active) => Promise<void>): void {
    const a = this.active.get(runId);
    if (!a) return;
    a.chain = a.chain.then(() => work(a)).catch((e: Error) => this.log(`run ${runId}: could not report to Redis: ${e.message}`));
  }

  private onMessage(m: Exclude<FromWorker, { type: 'ready' }>): void {
    const { runId } = m;
    switch (m.type) {
      case 'started':
        this.report(runId, async () => void (await this.state.setInfo(runId, { kernel: m.kernel })));
        break;
      case 'resumed':
        this.report(runId, async () => void (await this.state.setInfo(runId, { resumed: { fromEpoch: m.fromEpoch, refused: m.refused } })));
        break;
      case 'progress': {
        const a = this.active.get(runId);
        if (!a || Date.now() - a.lastProgress < 1000) break;
        a.lastProgress = Date.now();
        this.report(runId, async () => void (await this.state.setInfo(runId, { progress: { epoch: m.epoch, fraction: m.fraction } })));
        break;
      }
      case 'epoch': {
        // read now: the thread reports an epoch once its checkpoint is durable (a diverged epoch has
        // none). The next epoch's write may be renaming it: then the previous generation is this one
        // (or a newer checkpoint, which carries its own epoch's metrics: resuming from it is as good)
        const a = this.active.get(runId);
        const due = a !== undefined && Date.now() - a.checkpointSentAt >= (this.options.checkpointEveryMs ?? 10_000);
        const bytes = due && Number.isFinite(m.metrics.trainLoss) ? this.latestCheckpoint(runId) : null;
        if (bytes) a!.checkpointSentAt = Date.now();
        this.report(runId, async () => {
          try {
            if (!(await this.state.recordEpoch(runId, m.metrics, m.best, bytes))) {
              // the coordinator has this run from elsewhere (this worker was cut off and another took
              // its job, or the run ended): nothing more of it is stored here; its thread stops
              this.stopHere(runId, a, `run ${runId} was taken over elsewhere (or ended) when its epoch ${m.metrics.epoch} arrived here`);
              return;
            }
          } catch (e) {
            // Redis refused it (ioredis waits through disconnections): the run cannot go on here
            // without a gap in its history; its thread, waiting for this epoch, is stopped
            this.stopHere(runId, a, `epoch ${m.metrics.epoch} could not be stored in Redis (${(e as Error).message})`);
            throw e;
          }
          // stored in Redis: the thread may checkpoint the next epoch
          this.pool?.acknowledge(runId, m.metrics.epoch);
        });
        break;
      }
      case 'done': {
        const model = m.status === 'finished' ? readFirst([this.files.modelPath(runId)]) : null;
        this.end(runId, { status: m.status, divergedEpoch: m.divergedEpoch, error: null, kernel: m.kernel }, model, m.status === 'cancelled');
        break;
      }
      case 'error':
        this.end(runId, { status: 'failed', divergedEpoch: null, error: fromWireError(m.error).message, kernel: '' }, null, true);
        break;
    }
  }

  /** Stops the training thread of this attempt of a run (not a later attempt of the same run). */
  private stopHere(runId: number, attempt: Active | undefined, reason: string): void {
    if (!attempt || this.active.get(runId) !== attempt) return;
    this.stopReasons.set(runId, reason);
    void this.pool?.terminate(runId);
  }

  private onLost(runId: number, loss: WorkerLoss): void {
    const reason = this.stopReasons.get(runId) ?? 'the worker thread was stopped';
    this.stopReasons.delete(runId);
    this.end(runId, { status: 'failed', divergedEpoch: null, error: loss.kind === 'crashed' ? loss.message : reason, kernel: '' }, null, true);
  }

  /** This machine's newest checkpoint of a run (the bytes to send to Redis), or null. */
  private latestCheckpoint(runId: number): Buffer | null {
    return readFirst([this.files.checkpointPath(runId), this.files.previousCheckpointPath(runId)]);
  }

  /**
   * Reports a run's end. A run that can be resumed (cancelled, failed) sends its newest checkpoint
   * with it, read once the reports before it are sent: the one in Redis may be older (see
   * checkpointEveryMs) and the coordinator takes it home.
   */
  private end(runId: number, outcome: RemoteOutcome, model: Buffer | null, withCheckpoint = false): void {
    this.report(runId, async (a) => {
      try {
        await this.state.finish(runId, outcome, model, withCheckpoint ? this.latestCheckpoint(runId) : null);
      } finally {
        // the attempt ends here even when Redis refused its end (an error reply): its job settles, and
        // the coordinator, finding the job gone without an end, queues the run again
        this.active.delete(runId);
        // a stop asked after the thread had ended already is not this run's next attempt's reason
        this.stopReasons.delete(runId);
        this.files.removeRun(runId);
        this.runsDone += 1;
        a.settle(outcome);
      }
    });
  }

  /** Leaves the queue: runs in progress stop here and continue on another worker from their checkpoints. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.worker?.close(true).catch(() => undefined);
    await this.pool?.close();
    // the checkpoints in Redis may be older than this machine's (see checkpointEveryMs): send the newest
    for (const [runId, a] of this.active) {
      await a.chain;
      const bytes = this.latestCheckpoint(runId);
      if (bytes) await this.state.storeCheckpoint(runId, bytes).catch(() => undefined);
    }
    await this.state.leave(this.id).catch(() => undefined);
    this.redis.disconnect();
  }
}
