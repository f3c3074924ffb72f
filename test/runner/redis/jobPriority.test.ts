import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openWorkbench } from '../../../src-main/api/openWorkbench';
import { bullConnection, QUEUE_NAME } from '../../../src-main/runner/redis/redisConnection';
import { cifarMembers, writeCifarTarGz } from '../../helpers/cifarFixture';
import { redisUnavailable, startRedis } from '../../helpers/redisServer';
import { homeWith, startWorker, stop } from '../../helpers/redisWorkers';

const missing = redisUnavailable();
if (missing) console.log(`skipped: the job-priority test needs a real Redis: ${missing}`);

describe.skipIf(missing !== null)("a sweep's priority on the Redis queue", () => {
  it('the higher-priority sweep is taken first, and its jobs carry the priority (BullMQ: lower first)', async () => {
    const redis = await startRedis();
    const root = mkdtempSync(join(tmpdir(), 'redis-priority-'));
    onTestFinished(async () => {
      await redis.close();
      rmSync(root, { recursive: true, force: true });
    });
    const archive = writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(60, 20));
    for (const h of ['coord', 'w']) await homeWith(join(root, h), archive);
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const low = (await wb.api.call('experiments/create', { spec: { name: 'low', base: { epochs: 500, hidden: [8] }, repeats: 2 } })).id;
    const high = (await wb.api.call('experiments/create', { spec: { name: 'high', base: { epochs: 500, hidden: [8] }, repeats: 2, priority: 7 } })).id;
    const worker = await startWorker(redis.url, join(root, 'w'));
    onTestFinished(() => stop(worker));
    await wb.runner.start();
    const runs = async (experimentId: number) => wb.api.call('runs/list', { experimentId });
    // one worker: one run trains and one waits in BullMQ for it — both of the high-priority sweep
    await expect.poll(async () => (await runs(high)).map((r) => r.status), { timeout: 60_000 }).toEqual(['running', 'running']);
    expect((await runs(low)).map((r) => r.status)).toEqual(['queued', 'queued']);
    const queue = new Queue(QUEUE_NAME, { connection: bullConnection({ url: redis.url }) });
    onTestFinished(() => queue.close());
    for (const r of await runs(high)) expect((await queue.getJob(`run-${r.id}`))?.opts.priority).toBe(101 - 7);
    await wb.api.call('experiments/cancel', { id: high });
    await wb.api.call('experiments/cancel', { id: low });
    await wb.runner.whenIdle();
  }, 300_000);
});
