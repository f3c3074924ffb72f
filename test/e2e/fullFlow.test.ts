import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('flow');
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('the whole workflow in Chromium, through the UI only', () => {
  it('import → 2 × 2-repeat sweep from the form → progress to 100 % → history → run detail', async () => {
    const archive = writeCifarTarGz(join(mode.root, 'cifar.tar.gz'), cifarMembers(200, 100));
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.goto(mode.server.url);

    await page.getByRole('navigation').getByRole('link', { name: 'Dataset' }).click();
    await page.getByLabel('Import a local file or folder').fill(archive);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('dataset-state').textContent(), { timeout: 20_000 }).toBe('ready');

    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Name').fill('flow sweep');
    await page.getByLabel('Hidden layers', { exact: true }).fill('16');
    await page.getByLabel('Epochs', { exact: true }).fill('40');
    await page.getByLabel('Repeats (seeds)').fill('2');
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 field').selectOption('optimizer');
    await page.getByLabel('Axis 1 values').fill('sgd, adam');
    await page.getByLabel('Learning rate γ', { exact: true }).fill('0.01');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('4 runs');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/queued with 4 runs/);

    await page.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
    const highest: number[] = [];
    for (let i = 0; i < 600; i++) {
      const values = await page.locator('progress').evaluateAll((els) => els.map((e) => Number((e as unknown as { value: number }).value)));
      highest.push(...values);
      if ((await page.getByTestId('queue-summary').textContent())?.startsWith('0 running · 0 queued')) break;
      await page.waitForTimeout(50);
    }
    expect(Math.max(...highest)).toBeGreaterThan(0.5);
    await expect.poll(() => page.getByTestId('recent').textContent()).toMatch(/finished.*finished.*finished.*finished/s);
    const runs = await mode.wb.api.call('runs/list', {});
    expect(runs.map((r) => [r.config.optimizer, r.seed, r.status, r.epochsDone])).toEqual([
      ['sgd', 0, 'finished', 40], ['sgd', 1, 'finished', 40], ['adam', 0, 'finished', 40], ['adam', 1, 'finished', 40],
    ]);

    await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
    await page.getByRole('button', { name: 'flow sweep', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('4 matching');
    await page.getByRole('button', { name: /^Final acc/ }).click();
    // a click shows the run beside the table; a double click opens its page
    await page.getByTestId('run-row').first().dblclick();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('finished');
    await expect.poll(() => page.getByTestId('epochs').locator('tbody tr').count()).toBe(40);
    await expect.poll(() => page.locator('canvas').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'flow-run-detail.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
