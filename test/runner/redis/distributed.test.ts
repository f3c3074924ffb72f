import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { TrainConfig } from '../../../src-shared/config';
import { openWorkbench, type Workbench } from '../../../src-main/api/openWorkbench';
import { createBackend, train } from '../../../src-main/engine/index';
import { bullConnection, connect, QUEUE_NAME } from '../../../src-main/runner/redis/redisConnection';
import { cifarMembers, writeCifarTarGz } from '../../helpers/cifarFixture';
import { redisUnavailable, startRedis, type RedisServer } from '../../helpers/redisServer';
import { homeWith, startWorker, stop } from '../../helpers/redisWorkers';

const missing = redisUnavailable();
if (missing) console.log(`skipped: the distributed-queue tests need a real Redis: ${missing}`);

const EVERY_EPOCH = ['--checkpoint-every', '0'];
let redis: RedisServer;
let root: string;
let archive: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (missing) return;
  redis = await startRedis();
  root = mkdtempSync(join(tmpdir(), 'redis-sweep-'));
  archive = writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(120, 40));
  for (const h of ['coord', 'w1', 'w2']) await homeWith(join(root, h), archive);
  // a checkpoint to Redis after every epoch: a moved run resumes at its last epoch (the last test
  // covers the default, a checkpoint every few seconds)
  workers.push(await startWorker(redis.url, join(root, 'w1'), 3000, 1, EVERY_EPOCH), await startWorker(redis.url, join(root, 'w2'), 3000, 1, EVERY_EPOCH));
}, 300_000);

afterAll(async () => {
  for (const w of workers) await stop(w);
  await redis?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every metric of every stored epoch but its duration. */
async function stored(wb: Workbench, id: number) {
  return (await wb.api.call('runs/get', { id })).epochs.map(({ seconds: _, ...m }) => m);
}

/** The same run trained here, uninterrupted, on the same data and kernel. */
async function clean(wb: Workbench, config: TrainConfig) {
  const result = await train(config, await wb.dataset.load(), { backend: createBackend(config.kernel) });
  return result.epochs.map(({ seconds: _s, confusion: _c, ...m }) => m);
}

describe.skipIf(missing !== null)('runs on worker processes behind a real Redis (BullMQ)', () => {
  it('a sweep of 8 runs over a coordinator and 2 workers finishes with every epoch stored once; a run submitted twice runs once', async () => {
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const epochEvents = new Map<string, number>();
    wb.api.subscribe((event, p) => {
      if (event === 'run/epoch') epochEvents.set(`${p.runId} ${p.metrics.epoch}`, (epochEvents.get(`${p.runId} ${p.metrics.epoch}`) ?? 0) + 1);
    });
    const { id } = await wb.api.call('experiments/create', { spec: { name: 'eight', base: { epochs: 4, hidden: [16] }, axes: [{ field: 'learningRate', values: [0.1, 0.3] }], repeats: 4 } });
    await wb.runner.start();
    // the same job id added again (a coordinator restarted, a double click): BullMQ keeps one
    const queue = new Queue(QUEUE_NAME, { connection: bullConnection({ url: redis.url }) });
    await expect.poll(() => queue.getJob('run-8').then((j) => j?.id ?? null), { timeout: 60_000 }).toBe('run-8');
    await queue.add('train', (await queue.getJob('run-8'))!.data, { jobId: 'run-8' });
    await wb.runner.whenIdle();
    const runs = await wb.api.call('runs/list', { experimentId: id });
    expect(runs.map((r) => r.status)).toEqual(Array(8).fill('finished'));
    for (const r of runs) {
      expect((await stored(wb, r.id)).map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
      expect(existsSync(join(root, 'coord', 'models', `${r.id}.safetensors`))).toBe(true);
    }
    expect([...epochEvents.values()].every((n) => n === 1)).toBe(true);
    expect(epochEvents.size).toBe(32);
    // heartbeats come every second: the counts settle at the next one
    const done = async () => (await wb.api.call('queue/status', {})).remote!.workers.map((w) => w.runsDone);
    await expect.poll(async () => (await done()).reduce((a, b) => a + b, 0), { timeout: 30_000 }).toBe(8); // run 8 trained once, not twice
    expect((await done()).every((n) => n > 0)).toBe(true); // both workers took runs
    expect(await stored(wb, runs[0].id)).toEqual(await clean(wb, runs[0].config));
    await queue.close();
  }, 300_000);

  it('SIGKILL of a worker mid-run: its run finishes on the other worker, resumed from its checkpoint, identical to an uninterrupted run', async () => {
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const { id } = await wb.api.call('experiments/create', { spec: { name: 'kill a worker', base: { epochs: 300, hidden: [16], optimizer: 'adam', learningRate: 0.003 }, repeats: 2 } });
    const [first] = await wb.api.call('runs/list', { experimentId: id });
    const third = new Promise<void>((resolve) => {
      const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.runId === first.id && p.metrics.epoch === 3 && (off(), resolve()));
    });
    await wb.runner.start();
    await third;
    // the worker holding it, as its heartbeat says (once a second)
    const holderPid = async () => (await wb.api.call('queue/status', {})).remote!.workers.find((w) => w.running.includes(first.id))?.pid;
    await expect.poll(holderPid, { timeout: 30_000 }).toBeDefined();
    const pid = (await holderPid())!;
    const killed = workers.find((w) => w.pid === pid)!;
    await stop(killed);
    await wb.runner.whenIdle();
    const run = await wb.api.call('runs/get', { id: first.id });
    expect(run.status).toBe('finished');
    expect(run.resumedEpoch).toBeGreaterThanOrEqual(3);
    expect(run.resumedEpoch).toBeLessThan(300);
    expect(await stored(wb, first.id)).toEqual(await clean(wb, run.config));
    const home = workers.indexOf(killed) === 0 ? 'w1' : 'w2';
    workers.splice(workers.indexOf(killed), 1);
    workers.push(await startWorker(redis.url, join(root, home), 3000, 1, EVERY_EPOCH));
  }, 300_000);

  it('Redis restarted mid-sweep (append-only file): the sweep completes with every epoch stored once', async () => {
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const { id } = await wb.api.call('experiments/create', { spec: { name: 'redis restart', base: { epochs: 60, hidden: [16] }, repeats: 3 } });
    const second = new Promise<void>((resolve) => {
      const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.metrics.epoch === 2 && (off(), resolve()));
    });
    await wb.runner.start();
    await second;
    await redis.stop('SIGTERM');
    await redis.restart();
    await wb.runner.whenIdle();
    const runs = await wb.api.call('runs/list', { experimentId: id });
    expect(runs.map((r) => r.status)).toEqual(['finished', 'finished', 'finished']);
    for (const r of runs) expect(await stored(wb, r.id)).toEqual(await clean(wb, r.config));
  }, 300_000);

  it('SIGKILL of the coordinator: restarted, it takes over the runs in flight, picks up what arrived meanwhile and loses nothing', async () => {
    const home = join(root, 'coord');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../helpers/coordinatorChild.ts'), home, redis.url, '400'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        seen = out.split('\n').filter((l) => l.startsWith('committed ')).length;
        if (seen >= 6) resolve();
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => reject(new Error(`the coordinator exited (${code}): ${out}`)));
    });
    await stop(child);
    const committed = new Set(out.split('\n').filter((l) => l.startsWith('committed ')).map((l) => l.slice(10)));
    // the workers go on meanwhile: wait until Redis holds epochs the dead coordinator never committed
    const redisClient = connect({ url: redis.url });
    const ids = (await redisClient.smembers('wb:inflight')).map(Number);
    expect(ids.length).toBe(2);
    const reported = async () => (await Promise.all(ids.map((id) => redisClient.hlen(`wb:epochs:${id}`)))).reduce((a, b) => a + b, 0);
    await expect.poll(reported, { timeout: 60_000 }).toBeGreaterThan(committed.size + 10);
    redisClient.disconnect();

    const wb = openWorkbench(home, { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    await wb.runner.start();
    await wb.runner.whenIdle();
    for (const id of ids) {
      const run = await wb.api.call('runs/get', { id });
      expect(run.status).toBe('finished');
      expect(run.epochs.map((e) => e.epoch)).toEqual([...Array(400).keys()].map((i) => i + 1));
      for (const k of committed) if (k.startsWith(`${id} `)) expect(run.epochs.some((e) => e.epoch === Number(k.split(' ')[1]))).toBe(true);
      expect(await stored(wb, id)).toEqual(await clean(wb, run.config));
    }
  }, 300_000);

  it('cancel reaches the worker: the run stops after its batch, keeps its epochs and can be resumed to the same result', async () => {
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const { id } = await wb.api.call('experiments/create', { spec: { name: 'cancel remote', base: { epochs: 300, hidden: [16] } } });
    const [run] = await wb.api.call('runs/list', { experimentId: id });
    const fifth = new Promise<void>((resolve) => {
      const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.runId === run.id && p.metrics.epoch === 5 && (off(), resolve()));
    });
    await wb.runner.start();
    await fifth;
    expect((await wb.api.call('runs/cancel', { id: run.id })).cancelled).toBe(true);
    await wb.runner.whenIdle();
    const cancelled = await wb.api.call('runs/get', { id: run.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.epochsDone).toBeGreaterThanOrEqual(5);
    expect(cancelled.epochsDone).toBeLessThan(300);
    // its checkpoint came home from Redis: resuming continues where it stopped, on any worker
    await wb.api.call('runs/resume', { id: run.id });
    await wb.runner.whenIdle();
    const resumed = await wb.api.call('runs/get', { id: run.id });
    expect(resumed.status).toBe('finished');
    expect(resumed.resumedEpoch).toBeGreaterThanOrEqual(5);
    expect(await stored(wb, run.id)).toEqual(await clean(wb, run.config));
  }, 300_000);
  it('checkpoints sent once an hour: a killed worker\'s run is redone on another worker, every epoch stored once and identical; a cancel brings the newest checkpoint home', async () => {
    // only workers that send a run's checkpoint once an hour (never, in this test)
    for (const w of workers) await stop(w);
    const hourly = ['--checkpoint-every', '3600'];
    const first = await startWorker(redis.url, join(root, 'w1'), 3000, 1, hourly);
    workers.push(first);
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    const events = new Map<string, number>();
    wb.api.subscribe((event, p) => {
      if (event === 'run/epoch') events.set(`${p.runId} ${p.metrics.epoch}`, (events.get(`${p.runId} ${p.metrics.epoch}`) ?? 0) + 1);
    });
    const { id } = await wb.api.call('experiments/create', { spec: { name: 'hourly', base: { epochs: 150, hidden: [16], optimizer: 'adam', learningRate: 0.003 } } });
    const [run] = await wb.api.call('runs/list', { experimentId: id });
    const sixth = new Promise<void>((resolve) => {
      const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.runId === run.id && p.metrics.epoch === 6 && (off(), resolve()));
    });
    await wb.runner.start();
    await sixth;
    workers.push(await startWorker(redis.url, join(root, 'w2'), 3000, 1, hourly));
    await stop(first);
    await wb.runner.whenIdle();
    const moved = await wb.api.call('runs/get', { id: run.id });
    expect(moved.status).toBe('finished');
    // Redis had no checkpoint of it: the other worker redid it from epoch 1 and reported every epoch
    // again, which the history already held
    expect(moved.resumedEpoch ?? 0).toBe(0);
    expect(moved.epochs.map((e) => e.epoch)).toEqual([...Array(150).keys()].map((i) => i + 1));
    expect([...events].filter(([k, n]) => k.startsWith(`${run.id} `) && n !== 1)).toEqual([]);
    expect(await stored(wb, run.id)).toEqual(await clean(wb, moved.config));

    const second = await wb.api.call('experiments/create', { spec: { name: 'hourly cancel', base: { epochs: 300, hidden: [16] } } });
    const [other] = await wb.api.call('runs/list', { experimentId: second.id });
    const fifth = new Promise<void>((resolve) => {
      const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.runId === other.id && p.metrics.epoch === 5 && (off(), resolve()));
    });
    wb.runner.pump();
    await fifth;
    await wb.api.call('runs/cancel', { id: other.id });
    await wb.runner.whenIdle();
    const cancelled = await wb.api.call('runs/get', { id: other.id });
    expect(cancelled.status).toBe('cancelled');
    await wb.api.call('runs/resume', { id: other.id });
    await wb.runner.whenIdle();
    const resumed = await wb.api.call('runs/get', { id: other.id });
    expect(resumed.status).toBe('finished');
    // from the checkpoint the worker had when it stopped (Redis had none)
    expect(resumed.resumedEpoch).toBeGreaterThanOrEqual(cancelled.epochsDone);
    expect(await stored(wb, other.id)).toEqual(await clean(wb, resumed.config));
  }, 300_000);
  it('a lost worker\'s run waits in the queue, not running, and continues from its checkpoint on the next worker; pause gives back the jobs no worker has started', async () => {
    for (const w of workers) await stop(w, 'SIGINT');
    const only = await startWorker(redis.url, join(root, 'w1'), 3000, 1, EVERY_EPOCH);
    workers.push(only);
    const wb = openWorkbench(join(root, 'coord'), { redis: { url: redis.url } });
    onTestFinished(() => wb.close());
    await wb.runner.start();
    // workers killed by earlier tests count until they are seen lost
    const live = async () => (await wb.api.call('queue/status', {})).remote!.workers.filter((w) => !w.lost).map((w) => w.pid);
    await expect.poll(live, { timeout: 60_000 }).toEqual([only.pid]);
    const { id } = await wb.api.call('experiments/create', { spec: { name: 'lost worker', base: { epochs: 300, hidden: [16] }, repeats: 3 } });
    let first = 0;
    const third = new Promise<void>((resolve) => {
      const off = wb.api.subscribe((event, p) => {
        if (event === 'run/epoch' && p.metrics.epoch === 3) {
          first = p.runId;
          off();
          resolve();
        }
      });
    });
    wb.runner.pump();
    await third;
    const status = async () => Object.fromEntries((await wb.api.call('runs/list', { experimentId: id })).map((r) => [r.id, r.status]));
    // one run trains, a second waits in BullMQ for this worker (prefetched), the third in the queue
    expect(Object.values(await status()).sort()).toEqual(['queued', 'running', 'running']);
    await wb.api.call('queue/pause', {});
    await expect.poll(async () => Object.values(await status()).sort(), { timeout: 30_000 }).toEqual(['queued', 'queued', 'running']);
    expect((await status())[first]).toBe('running');

    await stop(only);
    // its heartbeat stops: the worker is shown lost and its run waits in the queue
    await expect.poll(async () => (await status())[first], { timeout: 60_000 }).toBe('queued');
    expect((await wb.api.call('queue/status', {})).remote!.workers.find((w) => w.pid === only.pid)?.lost).toBe(true);
    expect((await wb.api.call('queue/status', {})).running).toEqual([]);

    await wb.api.call('queue/resume', {});
    workers.push(await startWorker(redis.url, join(root, 'w2'), 3000, 1, EVERY_EPOCH));
    await wb.runner.whenIdle();
    expect(Object.values(await status())).toEqual(['finished', 'finished', 'finished']);
    const run = await wb.api.call('runs/get', { id: first });
    expect(run.resumedEpoch).toBeGreaterThanOrEqual(3);
    expect(await stored(wb, first)).toEqual(await clean(wb, run.config));
  }, 300_000);
});
