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
import { printThreadCpu, threadCpu as threadCpuOf } from './threadCpu';

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
const threadCpu = () => threadCpuOf([[process.pid, 'coordinator'], [workers[0].pid!, 'worker1'], [workers[1].pid!, 'worker2'], [redis.pid!, 'redis']]);
const wb = openWorkbench(homes[0], { redis: { url: redis.url } });
try {
  await wb.runner.start();
  // the workers announce themselves within a second; start timing once the pool sees both
  while (((await wb.api.call('queue/status', {})).remote?.workers.filter((w) => !w.lost).length ?? 0) < 2) await new Promise((r) => setTimeout(r, 100));
  // BENCH_PROFILE=file: a CPU profile of the coordinator's main thread while timed
  const profiler = process.env.BENCH_PROFILE ? new (await import('node:inspector')).Session() : null;
  const post = (method: string): Promise<unknown> => new Promise((res, rej) => profiler!.post(method, (e, r) => (e ? rej(e) : res(r))));
  if (profiler) {
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  const cpuBefore = threadCpu();
  const before = await commands();
  const t = performance.now();
  await wb.api.call('experiments/create', { spec: { name: 'bench', base: { epochs }, repeats: runs } });
  await wb.runner.whenIdle();
  const seconds = (performance.now() - t) / 1000;
  if (profiler) (await import('node:fs')).writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(((await post('Profiler.stop')) as { profile: unknown }).profile));
  const used = (await commands()) - before;
  const statuses = (await wb.api.call('runs/list', {})).map((r) => r.status);
  // the epochs' own durations, as the training threads measured them: set against the wall time,
  // they tell the CPU the other processes took from training from the latency between steps
  const rows = wb.store.listRuns({ limit: 100, offset: 0 });
  const epochSeconds = rows.flatMap((r) => wb.store.epochs.list(r.id).map((e) => e.seconds)).sort((a, b) => a - b);
  const medianEpochSeconds = epochSeconds[epochSeconds.length >> 1];
  if (process.env.BENCH_DETAIL) {
    for (const r of rows) console.error(r.id, wb.store.epochs.list(r.id).map((e) => e.seconds.toFixed(3)).join(' '));
    printThreadCpu(cpuBefore, threadCpu());
  }
  console.log(JSON.stringify({ runs, epochs, seconds, epochsPerSecond: (runs * epochs) / seconds, medianEpochSeconds, commandsPerEpoch: used / (runs * epochs), statuses }));
} finally {
  await wb.close();
  client.disconnect();
  for (const w of workers) await stop(w, 'SIGINT');
  await redis.close();
  rmSync(root, { recursive: true, force: true });
}
