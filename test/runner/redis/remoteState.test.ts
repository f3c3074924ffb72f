import { describe, expect, it, onTestFinished } from 'vitest';
import type { EpochMetrics } from '../../../src-shared/metrics';
import { connect } from '../../../src-main/runner/redis/redisConnection';
import { RemoteState } from '../../../src-main/runner/redis/remoteState';
import { redisUnavailable, startRedis } from '../../helpers/redisServer';

const missing = redisUnavailable();
if (missing) console.log(`skipped: the Redis state tests need a real Redis: ${missing}`);

const metrics = (epoch: number): EpochMetrics => ({
  epoch, trainLoss: 1, trainAccuracy: 0.5, objective: 1, testLoss: Number.NaN, testAccuracy: 0.4, learningRate: 0.3, seconds: 0.5, confusion: new Array(100).fill(0),
});

describe.skipIf(missing !== null)('what workers write about a run in Redis', () => {
  it('is stored only while the run is in flight: a worker reporting late, after the coordinator forgot the run, recreates no keys', async () => {
    const redis = await startRedis();
    const client = connect({ url: redis.url });
    onTestFinished(async () => {
      client.disconnect();
      await redis.close();
    });
    const state = new RemoteState(client);
    await state.open(7, 'attempt-1');
    expect(await state.setInfo(7, { kernel: 'native-avx2' })).toBe(true);
    expect(await state.recordEpoch(7, metrics(1), null, Buffer.from('checkpoint bytes'))).toBe(true);
    expect(await state.recordEpoch(7, metrics(2), { epoch: 1, testAccuracy: 0.4 }, null)).toBe(true);
    expect((await state.epochs(7)).map((e) => e.metrics.epoch)).toEqual([1, 2]);
    expect(Number.isNaN((await state.epochs(7))[0].metrics.testLoss)).toBe(true);
    // only the epochs the coordinator has not copied yet
    expect((await state.epochs(7, { first: 2, last: 2 })).map((e) => e.metrics.epoch)).toEqual([2]);
    expect((await state.epochs(7, { first: 2, last: 5 })).map((e) => e.metrics.epoch)).toEqual([2]);
    expect(await state.epochs(7, { first: 3, last: 2 })).toEqual([]);
    expect((await state.checkpoint(7))?.toString()).toBe('checkpoint bytes');
    expect((await state.read([7])).get(7)).toMatchObject({ latestEpoch: 2, kernel: 'native-avx2' });
    expect(await state.finish(7, { status: 'finished', divergedEpoch: null, error: null, kernel: 'native-avx2' }, Buffer.from('model'))).toBe(true);
    expect((await state.model(7))?.toString()).toBe('model');

    await state.forget(7);
    const keys = async () => (await client.keys('wb:*')).filter((key) => key !== 'wb:inflight').sort();
    expect(await keys()).toEqual([]);
    // the late copy of the run on a worker that was cut off
    expect(await state.recordEpoch(7, metrics(3), null, Buffer.from('late checkpoint'))).toBe(false);
    expect(await state.setInfo(7, { progress: { epoch: 4, fraction: 0.1 } })).toBe(false);
    expect(await state.finish(7, { status: 'cancelled', divergedEpoch: null, error: null, kernel: '' }, null, Buffer.from('late'))).toBe(false);
    expect(await state.storeCheckpoint(7, Buffer.from('leaving'))).toBe(false);
    expect(await keys()).toEqual([]);
  }, 60_000);

  it("is a worker's only while it holds the run: only a job of the coordinator's current attempt is taken, and once another worker took the job over, the first one's late reports are refused", async () => {
    const redis = await startRedis();
    const client = connect({ url: redis.url });
    onTestFinished(async () => {
      client.disconnect();
      await redis.close();
    });
    const coordinator = new RemoteState(client);
    const a = new RemoteState(client, 'worker-a');
    const b = new RemoteState(client, 'worker-b');
    // a job whose run the coordinator does not have in flight is a leftover: not taken
    expect(await a.claim(9, 'attempt-1')).toBe(false);
    expect(await client.keys('wb:run:*')).toEqual([]);
    await coordinator.open(9, 'attempt-2');
    // nor is a job of an earlier attempt, or one without an attempt
    expect(await a.claim(9, 'attempt-1')).toBe(false);
    expect(await a.claim(9, undefined)).toBe(false);
    // before a worker claims it, no worker's report counts (one of an earlier attempt, come back late)
    expect(await a.recordEpoch(9, metrics(1), null, Buffer.from('stale'))).toBe(false);
    expect(await a.claim(9, 'attempt-2')).toBe(true);
    expect(await a.recordEpoch(9, metrics(1), null, Buffer.from('a1'))).toBe(true);
    // worker a is cut off; its job's lock lapses and worker b takes it
    expect(await b.claim(9, 'attempt-2')).toBe(true);
    expect((await a.read([9])).get(9)).toMatchObject({ worker: 'worker-b', attempt: 'attempt-2' });
    expect(await a.recordEpoch(9, metrics(2), null, Buffer.from('a2'))).toBe(false);
    expect(await a.setInfo(9, { progress: { epoch: 3, fraction: 0.5 } })).toBe(false);
    expect(await a.storeCheckpoint(9, Buffer.from('a leaving'))).toBe(false);
    expect(await a.finish(9, { status: 'failed', divergedEpoch: null, error: 'cut off', kernel: '' }, null)).toBe(false);
    expect((await a.checkpoint(9))?.toString()).toBe('a1');
    expect(await b.recordEpoch(9, metrics(2), null, Buffer.from('b2'))).toBe(true);
    expect(await b.finish(9, { status: 'finished', divergedEpoch: null, error: null, kernel: 'wasm-simd' }, Buffer.from('model'))).toBe(true);
    expect((await a.read([9])).get(9)).toMatchObject({ latestEpoch: 2, outcome: { status: 'finished' }, progress: null });
    expect((await a.checkpoint(9))?.toString()).toBe('b2');
    // b lost the job's lock before BullMQ completed it: a worker given the job again does not train the run twice
    expect(await a.claim(9, 'attempt-2')).toBe(false);
    // the coordinator queues the run again (a new attempt): the hash's holder is cleared with it
    await coordinator.forget(9);
    await coordinator.open(9, 'attempt-3');
    expect(await b.recordEpoch(9, metrics(3), null, null)).toBe(false);
    expect(await b.claim(9, 'attempt-3')).toBe(true);
  }, 60_000);
});
