import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EpochMetrics } from '../../../src-shared/metrics';
import { bullConnection, connect, QUEUE_NAME } from '../../../src-main/runner/redis/redisConnection';
import { RemotePool } from '../../../src-main/runner/redis/remotePool';
import type { RunJob } from '../../../src-main/runner/redis/remoteWorker';
import { RemoteState } from '../../../src-main/runner/redis/remoteState';
import type { FromWorker } from '../../../src-main/runner/messages';
import { redisUnavailable, startRedis } from '../../helpers/redisServer';

const missing = redisUnavailable();
if (missing) console.log(`skipped: the Redis pool tests need a real Redis: ${missing}`);

const metrics = (epoch: number): EpochMetrics => ({
  epoch, trainLoss: 1, trainAccuracy: 0.5, objective: 1, testLoss: 1, testAccuracy: 0.4, learningRate: 0.3, seconds: 0.5, confusion: new Array(100).fill(0),
});

describe.skipIf(missing !== null)('the coordinator side of the Redis queue (RemotePool)', () => {
  it('queues a run again only when its job is gone without an end (a run that ends just as its job is checked runs once), and a failed job does not stand in for the next attempt', async () => {
    const redis = await startRedis();
    const client = connect({ url: redis.url });
    const state = new RemoteState(client);
    // a worker that ends each run at once (as one held at an ASHA rung does), the way RemoteWorker
    // reports: the outcome first, then the job completes
    const taken: { round: number; inflight: boolean }[] = [];
    const worker = new Worker<RunJob>(QUEUE_NAME, async (job) => {
      const inflight = (await client.sismember('wb:inflight', String(job.data.runId))) === 1;
      const { round, fail } = job.data.config as unknown as { round: number; fail?: boolean };
      taken.push({ round, inflight });
      // fails without a report (as a job that stalled too often does): the coordinator learns it from BullMQ
      if (fail) throw new UnrecoverableError('stalled more than allowable limit');
      await state.setInfo(job.data.runId, { kernel: 'wasm-simd' });
      await state.recordEpoch(job.data.runId, metrics(job.data.committedEpochs + 1), null, null);
      // trains a little: the coordinator's polls (every 2 ms) overlap the end at varying points
      await new Promise((r) => setTimeout(r, job.data.committedEpochs % 3));
      await state.finish(job.data.runId, { status: 'cancelled', divergedEpoch: null, error: null, kernel: 'wasm-simd' }, null);
    }, { connection: bullConnection({ url: redis.url }), concurrency: 4 });
    const ended: number[] = [];
    const errors: string[] = [];
    let onEnd = (): void => undefined;
    const pool = new RemotePool({ target: { url: redis.url }, files: undefined, datasetSha256: 'x', pollMs: 2, jobCheckMs: 0 }, {
      message: (m: Exclude<FromWorker, { type: 'ready' }>) => {
        if (m.type === 'error') errors.push(m.error.message);
        if (m.type === 'done' || m.type === 'error') {
          ended.push(m.runId);
          onEnd();
        }
      },
      lost: () => undefined,
    });
    onTestFinished(async () => {
      await pool.close();
      await worker.close();
      client.disconnect();
      await redis.close();
    });
    await pool.whenReady();
    // the same run, dispatched again each time it ends (as a promoted run is), 40 times
    const rounds = 300;
    for (let i = 0; i < rounds; i++) {
      const done = new Promise<void>((resolve) => (onEnd = resolve));
      pool.dispatch({ type: 'run', runId: 1, config: { round: i } as never, files: { home: '', resume: i > 0, committedEpochs: i, keepBest: false, appVersion: '', datasetSha256: 'x', syncFiles: false } });
      await done;
    }
    // every job has been taken (a phantom one too, had there been one)
    const q = new Queue(QUEUE_NAME, { connection: bullConnection({ url: redis.url }) });
    onTestFinished(() => q.close());
    for (;;) {
      const counts = await q.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      if (Object.values(counts).every((n) => n === 0)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(ended).toEqual(new Array(rounds).fill(1));
    // each dispatch's own job, once, while its run is in flight
    expect(taken.map((t) => t.round)).toEqual(Array.from({ length: rounds }, (_, i) => i));
    expect(taken.filter((t) => !t.inflight)).toEqual([]);
    expect(errors).toEqual([]);

    // a job that failed is kept (for its reason); the run queued again gets a job of its own, not that verdict
    const failed = new Promise<void>((resolve) => (onEnd = resolve));
    pool.dispatch({ type: 'run', runId: 2, config: { round: -1, fail: true } as never, files: null });
    await failed;
    expect(errors).toEqual(['stalled more than allowable limit']);
    const again = new Promise<void>((resolve) => (onEnd = resolve));
    pool.dispatch({ type: 'run', runId: 2, config: { round: -2 } as never, files: null });
    await again;
    expect(errors).toHaveLength(1);
    expect(taken.slice(-2).map((t) => t.round)).toEqual([-1, -2]);
  }, 120_000);
});
