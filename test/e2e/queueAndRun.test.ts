import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelReport } from '../../src-main/engine/index';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('queue');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(200, 50)) });
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('Queue and Run detail views in Chromium', () => {
  it('resumes the queue, shows live progress and curves, cancels a queued and a running run, and opens a finished run', async () => {
    const { api } = mode.wb;
    await api.call('queue/pause', {});
    // a run long enough never to finish on its own (10,000 epochs), so its live card can be watched
    // however fast the kernels are; a short experiment afterwards gives the finished run
    const created = await api.call('experiments/create', { spec: { name: 'live', base: { epochs: 10000, hidden: [32], learningRate: 0.1 }, repeats: 2 } });
    const [first, second] = await api.call('runs/list', { experimentId: created.id });
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
    await expect.poll(() => page.getByTestId('queue-summary').textContent()).toContain('0 running · 2 queued · 1 worker · paused');

    await page.getByRole('button', { name: 'Resume queue' }).click();
    const card = page.getByTestId(`running-${first.id}`);
    await expect.poll(() => card.isVisible()).toBe(true);
    await expect.poll(() => card.locator('canvas').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => Number(await card.getByRole('progressbar').getAttribute('value')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await card.textContent()).toMatch(/epoch \d+ \/ 10000 · ETA/);
    await page.screenshot({ path: join(SHOTS, 'queue-running.png'), fullPage: true });

    await page.getByRole('button', { name: `Cancel run ${second.id}` }).click();
    await expect.poll(() => page.getByText('Nothing queued.').count()).toBe(1);
    expect((await api.call('runs/get', { id: second.id })).status).toBe('cancelled');
    await card.getByRole('button', { name: 'Cancel' }).click();
    await mode.wb.runner.whenIdle();
    expect((await api.call('runs/get', { id: first.id })).status).toBe('cancelled');

    const short = await api.call('experiments/create', { spec: { name: 'short', base: { epochs: 150, hidden: [32], learningRate: 0.1 }, repeats: 1 } });
    const [done] = await api.call('runs/list', { experimentId: short.id });
    await expect.poll(() => page.getByTestId('recent').textContent(), { timeout: 30_000 }).toContain(`Run ${done.id}finished`);
    await page.getByRole('link', { name: `Run ${done.id}`, exact: true }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('finished');
    await expect.poll(() => page.getByTestId('epochs').locator('tbody tr').count()).toBe(150);
    // the accuracy's unit is in its column header, the cells are bare numbers
    expect(await page.getByTestId('epochs').locator('thead th').nth(3).textContent()).toBe('Test acc. (%)');
    expect(await page.getByTestId('epochs').locator('tbody tr').first().locator('td').nth(3).textContent()).toMatch(/^\d+\.\d{2}$/);
    await expect.poll(() => page.getByTestId('confusion').locator('tbody tr').count()).toBe(10);
    expect(await page.getByTestId('config').textContent()).toContain(kernelReport().auto);
    // config fields in the user's words, the key beside as the hint for people who script
    const lrRow = page.getByTestId('config').getByRole('row').filter({ hasText: 'Learning rate γ' });
    expect(await lrRow.getByRole('rowheader').textContent()).toBe('Learning rate γ learningRate');
    expect(await lrRow.getByRole('rowheader').getAttribute('title')).toBe('config key: learningRate');
    expect(await lrRow.getByRole('cell').textContent()).toBe('0.1');
    expect(await page.getByTestId('config').getByRole('rowheader', { name: 'L2 λ l2' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'run-detail.png'), fullPage: true });

    await page.getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Queued as run \d+ in experiment \d+/);
    await page.getByRole('button', { name: 'Clone into a new experiment' }).click();
    await expect.poll(() => page.getByLabel('Name').inputValue()).toBe(`Based on run ${done.id}`);
    expect(await page.getByLabel('Hidden layers', { exact: true }).inputValue()).toBe('32');
    expect(await page.getByLabel('Epochs', { exact: true }).inputValue()).toBe('150');
    await mode.wb.runner.whenIdle();
  });
});
