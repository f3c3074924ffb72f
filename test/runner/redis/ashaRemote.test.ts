import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openWorkbench } from '../../../src-main/api/openWorkbench';
import { createBackend, train } from '../../../src-main/engine/index';
import { cifarMembers, writeCifarTarGz } from '../../helpers/cifarFixture';
import { redisUnavailable, startRedis, type RedisServer } from '../../helpers/redisServer';
import { homeWith, startWorker, stop } from '../../helpers/redisWorkers';

const missing = redisUnavailable();
if (missing) console.log(`skipped: ASHA over the distributed queue needs a real Redis: ${missing}`);

let redis: RedisServer;
let root: string;
const workers: Awaited<ReturnType<typeof startWorker>>[] = [];

beforeAll(async () => {
  if (missing) return;
  redis = await startRedis();
  root = mkdtempSync(join(tmpdir(), 'redis-asha-'));
  const archive = writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(120, 40));
  for (const h of ['coord', 'w1', 'w2']) await homeWith(join(root, h), archive);
  // checkpoints go to Redis at the default cadence: a run held at a rung brings its newest one home
  workers.push(await startWorker(redis.url, join(root, 'w1')), await startWorker(redis.url, join(root, 'w2')));
}, 300_000);

afterAll(async () => {
  for (const w of workers) await stop(w);
  await redis?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(missing !== null)('ASHA over the Redis queue (a coordinator and 2 worker processes)', () => {
  it('prunes on the seed mean as the local runner does: runs held at a rung leave their worker and go on from their checkpoint, identical to runs never stopped', async () => {
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const states = new Map<number, string[]>();
    wb.api.subscribe((event, p) => {
      if (event === 'run/state') states.set(p.runId, [...(states.get(p.runId) ?? []), p.status]);
    });
    // the local runner's test (test/runner/asha.test.ts): γ 0.3 learns, the tiny rates do not
    const spec = { name: 'asha', base: { epochs: 9, hidden: [16] }, axes: [{ field: 'learningRate', values: [0.00001, 0.3, 0.00002] }], repeats: 2, asha: { minEpochs: 1, reductionFactor: 3 } };
    const { id } = await wb.api.call('experiments/create', { spec });
    await wb.runner.start();
    await wb.runner.whenIdle();
    const runs = await wb.api.call('runs/list', { experimentId: id });
    const show = runs.map((r) => `${r.config.learningRate}: ${r.status} at ${r.epochsDone}`);
    expect(show, runs.map((r) => `run ${r.id}: ${r.error ?? ''}`).join('\n')).toEqual(['0.00001: pruned at 1', '0.00001: pruned at 1', '0.3: finished at 9', '0.3: finished at 9', '0.00002: pruned at 1', '0.00002: pruned at 1']);
    for (const r of runs) {
      const detail = await wb.api.call('runs/get', { id: r.id });
      // every epoch stored once, in order
      expect(detail.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: r.epochsDone }, (_, i) => i + 1));
    }
    // the promoted seeds waited at a rung (off their worker) and went on, on whichever worker, from the checkpoint
    const promoted = runs.filter((r) => r.status === 'finished');
    expect(promoted.some((r) => states.get(r.id)?.includes('waiting'))).toBe(true);
    const data = await wb.dataset.load();
    for (const r of promoted) {
      const cleanRun = await train(r.config, data, { backend: createBackend(r.config.kernel) });
      const got = (await wb.api.call('runs/get', { id: r.id })).epochs.map((e) => [e.epoch, e.trainLoss, e.testAccuracy]);
      expect(got).toEqual(cleanRun.epochs.map((e) => [e.epoch, e.trainLoss, e.testAccuracy]));
    }
    // 3 × 2 × 1 + 2 × 8 epochs of the grid's 54
    expect(runs.reduce((s, r) => s + r.epochsDone, 0)).toBe(22);
  }, 300_000);
});
