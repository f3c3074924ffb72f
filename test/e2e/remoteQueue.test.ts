import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOST_AFTER_MS } from '../../src-main/runner/redis/remotePool';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { redisUnavailable, startRedis, type RedisServer } from '../helpers/redisServer';
import { homeWith, startWorker, stop } from '../helpers/redisWorkers';

const missing = redisUnavailable();
if (missing) console.log(`skipped: the Queue view's Redis workers need a real Redis: ${missing}`);

let redis: RedisServer;
let mode: BrowserMode;
let worker: ChildProcess | null = null;
let workerHome: string;

beforeAll(async () => {
  if (missing) return;
  redis = await startRedis();
  mode = await startBrowserMode('remote-queue', { redis: { url: redis.url } });
  const archive = writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(120, 40));
  await mode.wb.api.call('data/import', { path: archive });
  workerHome = join(mode.root, 'worker');
  await homeWith(workerHome, archive);
  void mode.wb.api.startUp(); // as workbench serve does: connects to the queue before any run is queued
}, 300_000);

afterAll(async () => {
  if (worker) await stop(worker);
  await mode?.close();
  await redis?.close();
});

describe.skipIf(missing !== null || E2E_SKIP !== null)('Queue view with runs on worker processes behind a real Redis, in Chromium', () => {
  it('lists the worker and its run, shows it lost after SIGKILL with the run waiting, and the connection lost and back', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(mode.server.url);
    await page.evaluate('location.hash = "#/queue"');
    const connection = page.getByTestId('redis-connection');
    await expect.poll(() => connection.textContent()).toMatch(new RegExp(`${redis.url.replace(/[.:/]/g, '\\$&')}\\s*·\\s*connected`));
    await expect.poll(() => page.getByTestId('no-workers').textContent()).toContain(`workbench worker --redis ${redis.url}`);

    // the queue backend setting: a refused URL is said at the field and kept as typed; a good one is saved for the next start
    const card = page.getByTestId('queue-backend');
    await card.getByTestId('backend-redis').check();
    const url = card.getByLabel('Redis URL');
    await url.fill('redis://:secret@10.0.0.2:6379');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.getByTestId('redis-url-error').textContent()).toContain('Leave the password out of the URL: it is not saved in the history; set WORKBENCH_REDIS_PASSWORD');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.inputValue()).toBe('redis://:secret@10.0.0.2:6379');
    expect((await mode.wb.api.call('settings/get', {})).queueBackend).toBe('local');
    await url.fill(redis.url);
    expect(await card.getByTestId('redis-url-error').count()).toBe(0);
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toBe('Saved.');
    expect(await mode.wb.api.call('settings/get', {})).toMatchObject({ queueBackend: 'redis', redisUrl: redis.url });
    expect(await card.getByTestId('backend-in-use').textContent()).toMatch(/In use now: worker processes behind Redis at .+ It was named with --redis when this was started/);

    worker = await startWorker(redis.url, workerHome, 3000, 2);
    const row = page.locator(`[data-testid="workers"] tbody tr[data-pid="${worker.pid}"]`);
    await expect.poll(() => row.count()).toBe(1);
    const cells = async () => (await row.locator('td').allTextContents()).map((t) => t.trim());
    const [listed] = (await mode.wb.api.call('queue/status', {})).remote!.workers;
    expect((await cells()).slice(0, 5)).toEqual([hostname(), String(worker.pid), '2', listed.kernel, '0']);
    expect((await cells())[6]).toBe('idle');
    const heartbeat = row.locator('time');
    expect(await heartbeat.textContent()).toMatch(/^(just now|\d+ s ago)$/);
    expect(await heartbeat.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    // a run long enough never to end by itself while it is watched (10,000 epochs)
    const { id } = await mode.wb.api.call('experiments/create', { spec: { name: 'remote', base: { epochs: 10000, hidden: [16] } } });
    const [run] = await mode.wb.api.call('runs/list', { experimentId: id });
    await expect.poll(() => row.locator('td').nth(6).textContent()).toBe(`Run ${run.id}`);
    expect(await row.getByRole('link', { name: `Run ${run.id}` }).getAttribute('href')).toBe(`#/run/${run.id}`);
    await expect.poll(() => page.getByTestId(`running-${run.id}`).isVisible()).toBe(true);
    expect(await page.getByTestId('waiting').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'queue-remote-workers.png'), fullPage: true });

    await stop(worker); // SIGKILL: no goodbye, only the heartbeats stop
    await expect.poll(() => row.getByTestId('worker-lost').count(), { timeout: LOST_AFTER_MS + 10_000, interval: 500 }).toBe(1);
    expect(await row.getByTestId('worker-lost').textContent()).toMatch(new RegExp(`lost\\s+— was on Run ${run.id};\\s+continues on another worker from its checkpoint once one is free`));
    // its run is not left running on a worker that is gone: it waits in the queue for the next one
    await expect.poll(async () => (await mode.wb.api.call('runs/get', { id: run.id })).status).toBe('queued');
    await expect.poll(() => page.getByTestId('queue-summary').textContent()).toContain('1 queued');
    expect(await page.getByTestId(`running-${run.id}`).count()).toBe(0);

    await redis.stop();
    const down = page.getByTestId('redis-disconnected');
    await expect.poll(() => down.count()).toBe(1);
    expect(await down.textContent()).toMatch(/disconnected — .+; your history is unaffected; reconnecting/);
    expect(await page.getByTestId('queue-summary').textContent()).toContain('1 queued');
    await page.screenshot({ path: join(SHOTS, 'queue-remote-disconnected.png'), fullPage: true });

    await redis.restart();
    await expect.poll(() => page.getByTestId('redis-connected').count()).toBe(1);
    expect(await down.count()).toBe(0);
  }, 180_000);
});
