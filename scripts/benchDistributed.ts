// Child of npm run bench: 4 runs × 4 epochs of the report defaults on 1 coordinator + 2 worker
// processes (1 thread each) behind a real redis-server on this machine, and prints one JSON line:
// wall seconds from queueing to the last run stored, epochs per second, and the Redis commands
// executed per epoch (from INFO commandstats, all clients: coordinator polling, workers' heartbeats,
// BullMQ's locks and each epoch's MULTI), for comparison with the local runner's 2 worker threads.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench } from '../src-main/api/openWorkbench';
import { connect } from '../src-main/runner/redis/redisConnection';
import { startRedis } from '../test/helpers/redisServer';
import { startWorker, stop } from '../test/helpers/redisWorkers';

const [benchHome, runsText, epochsText] = process.argv.slice(2);
const runs = Number(runsText);
const epochs = Number(epochsText);
const root = mkdtempSync(join(tmpdir(), 'bench-dist-'));
const redis = await startRedis();
// each process gets its own home with a copy of the dataset cache (the database stays the coordinator's)
const homes = ['coord', 'w1', 'w2'].map((h) => join(root, h));
for (const home of homes) for (const entry of readdirSync(benchHome)) if (!entry.startsWith('workbench.sqlite')) cpSync(join(benchHome, entry), join(home, entry), { recursive: true });
const workers = await Promise.all([startWorker(redis.url, homes[1], 30_000), startWorker(redis.url, homes[2], 30_000)]);
const client = connect({ url: redis.url });
const commands = async (): Promise<number> => {
  const info = await client.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
};
const wb = openWorkbench(homes[0], { redis: { url: redis.url } });
try {
  await wb.runner.start();
  // the workers announce themselves within a second; start timing once the pool sees both
  while (((await wb.api.call('queue/status', {})).remote?.workers.filter((w) => !w.lost).length ?? 0) < 2) await new Promise((r) => setTimeout(r, 100));
  const before = await commands();
  const t = performance.now();
  await wb.api.call('experiments/create', { spec: { name: 'bench', base: { epochs }, repeats: runs } });
  await wb.runner.whenIdle();
  const seconds = (performance.now() - t) / 1000;
  const used = (await commands()) - before;
  const statuses = (await wb.api.call('runs/list', {})).map((r) => r.status);
  console.log(JSON.stringify({ runs, epochs, seconds, epochsPerSecond: (runs * epochs) / seconds, commandsPerEpoch: used / (runs * epochs), statuses }));
} finally {
  await wb.close();
  client.disconnect();
  for (const w of workers) await stop(w, 'SIGINT');
  await redis.close();
  rmSync(root, { recursive: true, force: true });
}
