import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EpochMetrics } from '../../../src-shared/metrics';
import { bullConnection, connect, QUEUE_NAME } from '../../../src-main/runner/redis/redisConnection';
import { RemotePool } from '../../../src-main/runner/redis/remotePool';
import type { RunJob } from '../../../src-main/runner/redis/remoteWorker';
import { RemoteState } from '../../../src-main/runner/redis/remoteState';
import type { FromWorker, ToWorker } from '../../../src-main/runner/messages';
import { redisUnavailable, startRedis } from '../../helpers/redisServer';

const missing = redisUnavailable();
if (missing) console.log(`skipped: the Redis pool tests need a real Redis: ${missing}`);

const metrics = (epoch: number): EpochMetrics => ({
  epoch, trainLoss: 1, trainAccuracy: 0.5, objective: 1, testLoss: 1, testAccuracy: 0.4, learningRate: 0.3, seconds: 0.5, confusion: new Array(100).fill(0),
});
const run = (runId: number, config: object, committedEpochs = 0): ToWorker => ({
  type: 'run', runId, config: config as never, files: { home: '', resume: committedEpochs > 0, committedEpochs, keepBest: false, appVersion: '', datasetSha256: 'x', syncFiles: false },
});
type Ended = Exclude<FromWorker, { type: 'ready' }>;

describe.skipIf(missing !== null)('the coordinator side of the Redis queue (RemotePool)', () => {
  it('hands each attempt of a run to exactly one job: a run dispatched again the moment it ends (an ASHA promotion), or ending just as its job is checked, is trained once per attempt, and a failed job does not stand in for the next attempt', async () => {
    const redis = await startRedis();
    const client = connect({ url: redis.url });
    const state = new RemoteState(client, 'test-worker');
    // a worker that ends each run at once (as one held at an ASHA rung does), the way RemoteWorker
    // does: it claims the run, reports, writes the outcome, then the job completes
    const taken: { round: number; claimed: boolean }[] = [];
    const worker = new Worker<RunJob>(QUEUE_NAME, async (job) => {
      const { round, fail } = job.data.config as unknown as { round: number; fail?: boolean };
      const claimed = await state.claim(job.data.runId, job.data.attempt);
      taken.push({ round, claimed });
      if (!claimed) return;
      // fails without a report (as a job that stalled too often does): the coordinator learns it from BullMQ
      if (fail) throw new UnrecoverableError('stalled more than allowable limit');
      await state.setInfo(job.data.runId, { kernel: 'wasm-simd' });
      await state.recordEpoch(job.data.runId, metrics(job.data.committedEpochs + 1), null, null);
      // trains a little: the coordinator's polls (every 2 ms) overlap the end at varying points
      await new Promise((r) => setTimeout(r, job.data.committedEpochs % 3));
      await state.finish(job.data.runId, { status: 'cancelled', divergedEpoch: null, error: null, kernel: 'wasm-simd' }, null);
    }, { connection: bullConnection({ url: redis.url }), concurrency: 4 });
    // it beats as a worker process does (a run held by a worker that does not is given back)
    const beat = () => state.heartbeat({ id: 'test-worker', host: 'here', pid: process.pid, concurrency: 4, kernel: 'wasm-simd', runsDone: 0, running: [], heartbeat: Date.now() });
    await beat();
    const beating = setInterval(() => void beat(), 1000);
    onTestFinished(() => clearInterval(beating));
    const errors: string[] = [];
    let onEnd = (_m: Ended): void => undefined;
    const pool = new RemotePool({ target: { url: redis.url }, files: undefined, datasetSha256: 'x', pollMs: 2, jobCheckMs: 0 }, {
      message: (m) => {
        if (m.type === 'error') errors.push(m.error.message);
        if (m.type === 'done' || m.type === 'error') onEnd(m);
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
    // the same run, dispatched again inside the handler that hears of its end, as the runner does
    const rounds = 150;
    const ends: number[] = [];
    await new Promise<void>((resolve) => {
      onEnd = (m) => {
        ends.push(m.runId);
        if (ends.length === rounds) resolve();
        else pool.dispatch(run(1, { round: ends.length }, ends.length));
      };
      pool.dispatch(run(1, { round: 0 }));
    });
    // every job has been taken (a leftover one too, had there been one)
    const q = new Queue(QUEUE_NAME, { connection: bullConnection({ url: redis.url }) });
    onTestFinished(() => q.close());
    for (;;) {
      const counts = await q.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      if (Object.values(counts).every((n) => n === 0)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // each dispatch's own job, once, claimed
    expect(taken.map((t) => t.round)).toEqual(Array.from({ length: rounds }, (_, i) => i));
    expect(taken.filter((t) => !t.claimed)).toEqual([]);
    expect(errors).toEqual([]);

    // a job that failed is kept (for its reason); the run queued again gets a job of its own, not that verdict
    const failed = new Promise<void>((resolve) => (onEnd = () => resolve()));
    pool.dispatch(run(2, { round: -1, fail: true }));
    await failed;
    expect(errors).toEqual(['stalled more than allowable limit']);
    const again = new Promise<void>((resolve) => (onEnd = () => resolve()));
    pool.dispatch(run(2, { round: -2 }));
    await again;
    expect(errors).toHaveLength(1);
    expect(taken.slice(-2)).toEqual([{ round: -1, claimed: true }, { round: -2, claimed: true }]);
  }, 120_000);

  it('keeps a run given back by a lost worker the same attempt when it dispatches it again (the worker that took its job over goes on), and lets go of it once it leaves the queue: its job and keys go, and a worker given the job does not train it', async () => {
    const redis = await startRedis();
    const client = connect({ url: redis.url });
    const returned: number[] = [];
    const pool = new RemotePool({ target: { url: redis.url }, files: undefined, datasetSha256: 'x', pollMs: 5 }, {
      message: () => undefined,
      lost: () => undefined,
      returned: (runId) => returned.push(runId),
    });
    const q = new Queue(QUEUE_NAME, { connection: bullConnection({ url: redis.url }) });
    onTestFinished(async () => {
      await pool.close();
      await q.close();
      client.disconnect();
      await redis.close();
    });
    await pool.whenReady();
    pool.dispatch(run(3, { round: 0 }));
    while ((await q.getJobState('run-3')) === 'unknown') await new Promise((r) => setTimeout(r, 5));
    // a worker that is not (or no longer) beating claimed it: the pool gives the run back to the queue
    const lost = new RemoteState(client, 'lost-worker');
    const attempt = (await lost.read([3])).get(3)!.attempt;
    expect(await lost.claim(3, attempt)).toBe(true);
    while (!returned.includes(3)) await new Promise((r) => setTimeout(r, 5));
    // BullMQ hands its job to a live worker, which claims it (the same attempt) and trains; then the
    // runner dispatches the run again: that worker goes on holding it, its reports still count
    const live = new RemoteState(client, 'live-worker');
    const beat = (at: number) => live.heartbeat({ id: 'live-worker', host: 'here', pid: process.pid, concurrency: 1, kernel: 'wasm-simd', runsDone: 0, running: [3], heartbeat: at });
    await beat(Date.now() + 60_000);
    expect(await live.claim(3, attempt)).toBe(true);
    expect(await live.recordEpoch(3, metrics(1), null, null)).toBe(true);
    pool.dispatch(run(3, { round: 0 }));
    while ((pool as unknown as { inflight: Map<number, { pending: boolean }> }).inflight.get(3)?.pending !== false) await new Promise((r) => setTimeout(r, 5));
    expect(await live.recordEpoch(3, metrics(2), null, null)).toBe(true);
    expect((await live.read([3])).get(3)).toMatchObject({ worker: 'live-worker', attempt });
    // that worker is lost too, and the run is given back again
    returned.length = 0;
    await beat(0);
    while (!returned.includes(3)) await new Promise((r) => setTimeout(r, 5));
    // the user cancels it while it waits in the queue
    pool.dropQueued(3, true);
    while ((await client.sismember('wb:inflight', '3')) === 1) await new Promise((r) => setTimeout(r, 5));
    while ((await q.getJobState('run-3')) !== 'unknown') await new Promise((r) => setTimeout(r, 5));
    expect(await client.keys('wb:*:3')).toEqual([]);
    expect(await new RemoteState(client, 'another-worker').claim(3, attempt)).toBe(false);
    expect(pool.running).toEqual([]);
  }, 60_000);
});
