import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openWorkbench } from '../../../src-main/api/openWorkbench';
import { STAGING } from '../../../src-main/runner/redis/remoteWorker';
import { cifarMembers, writeCifarTarGz } from '../../helpers/cifarFixture';
import { redisUnavailable, startRedis, type RedisServer } from '../../helpers/redisServer';
import { homeWith, startWorker, stop } from '../../helpers/redisWorkers';

const missing = redisUnavailable();
if (missing) console.log(`skipped: a worker sharing the coordinator's home needs a real Redis: ${missing}`);

let redis: RedisServer;
let root: string;
let worker: Awaited<ReturnType<typeof startWorker>> | null = null;

beforeAll(async () => {
  if (missing) return;
  redis = await startRedis();
  root = mkdtempSync(join(tmpdir(), 'redis-shared-home-'));
  await homeWith(join(root, 'home'), writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(120, 40)));
  // `workbench worker` on the coordinator's own machine, with the default (the same) home
  worker = await startWorker(redis.url, join(root, 'home'));
}, 300_000);

afterAll(async () => {
  if (worker) await stop(worker);
  await redis?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(missing !== null)('a Redis worker sharing the coordinator’s home folder', () => {
  it("keeps its files in a staging folder and never clears the coordinator's models", async () => {
    const home = join(root, 'home');
    const wb = openWorkbench(home, { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const { id } = await wb.api.call('experiments/create', { spec: { name: 'shared', base: { epochs: 3, hidden: [8] }, repeats: 4 } });
    await wb.runner.start();
    await wb.runner.whenIdle();
    const runs = await wb.api.call('runs/list', { experimentId: id });
    expect(runs.map((r) => r.status)).toEqual(Array(4).fill('finished'));
    // the worker trained in its staging folder (its checkpoints were written there, not beside the coordinator's)
    expect(existsSync(join(home, STAGING, 'checkpoints'))).toBe(true);
    // every model the coordinator copied home from Redis is still there; the worker cleaned its staging only
    expect(runs.filter((r) => !existsSync(join(home, 'models', `${r.id}.safetensors`))).map((r) => r.id)).toEqual([]);
    await expect.poll(() => (existsSync(join(home, STAGING, 'models')) ? readdirSync(join(home, STAGING, 'models')) : [])).toEqual([]);
  }, 300_000);
});
