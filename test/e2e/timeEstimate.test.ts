import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('estimate');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(20, 20)) });
  // a history to learn from: 2 runs × 2 epochs of the shape the form will ask about
  await mode.wb.api.call('experiments/create', { spec: { name: 'history', base: { hidden: [8], epochs: 2 }, repeats: 2 } });
  await mode.wb.runner.whenIdle();
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('time estimate in Chromium (issues 14 and 15)', () => {
  it('shows the estimate in the form and asks to confirm a sweep over the threshold', async () => {
    const spec = { name: 'estimated', description: '', base: { hidden: [8], epochs: 3, seed: 0 }, axes: [], repeats: 4 };
    const expected = await mode.wb.api.call('experiments/estimate', { spec });
    expect(expected.basis).toMatch(/^from 4 epochs of similar runs on (native|wasm)/);
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Name').fill('estimated');
    await page.getByLabel('Hidden layers', { exact: true }).fill('8');
    await page.getByLabel('Epochs', { exact: true }).fill('3');
    await page.getByLabel('Repeats (seeds)').fill('4');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('4 runs');
    await expect.poll(() => page.getByTestId('estimate').textContent()).toContain(`${expected.text} · ${expected.basis}`);
    expect(expected.text).toMatch(/ on 1 worker$/);

    // a threshold below this sweep's estimate: queueing asks first, with the estimate
    const hours = expected.seconds / 3600 / 2;
    await page.getByLabel('Ask before queueing sweeps longer than').fill(String(hours));
    await page.getByLabel('Ask before queueing sweeps longer than').press('Tab');
    await expect.poll(() => page.getByTestId('estimate-over').isVisible()).toBe(true);
    expect((await mode.wb.api.call('settings/get', {})).confirmAboveHours).toBeCloseTo(hours);
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain(`This experiment queues 4 runs: ${expected.text} (${expected.basis}), more than the`);
    await page.screenshot({ path: join(SHOTS, 'estimate-confirm.png') });
    await dialog.getByRole('button', { name: 'Back to the form' }).click();
    expect((await mode.wb.api.call('experiments/list', {})).map((e) => e.name)).toEqual(['history']);

    // the same sweep under a higher threshold is queued at once
    await page.getByLabel('Ask before queueing sweeps longer than').fill('2');
    await page.getByLabel('Ask before queueing sweeps longer than').press('Tab');
    await expect.poll(() => page.getByTestId('estimate-over').count()).toBe(0);
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 4 runs/);
    expect(await dialog.isVisible()).toBe(false);
    await mode.wb.runner.whenIdle();
  });

  it('shows the queue’s ETA and each experiment’s, and offers browser notifications', async () => {
    await mode.wb.api.call('queue/pause', {});
    const { id } = await mode.wb.api.call('experiments/create', { spec: { name: 'waiting sweep', base: { hidden: [8], epochs: 2 }, repeats: 3 } });
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: /^Queue/ }).click();
    await expect.poll(() => page.getByTestId('queue-eta').textContent()).toMatch(/Queue done in (under a minute|about \d+ min) on 1 worker · from \d+ epochs of similar runs on/);
    await expect.poll(() => page.getByTestId('queue-experiments').textContent()).toContain(`${id} · waiting sweep`);
    expect(await page.getByTestId('queue-experiments').locator('tbody tr').first().locator('td').nth(1).textContent()).toBe('3');
    expect(await page.getByTestId('notify-toggle').isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'queue-eta.png'), fullPage: true });
    await mode.wb.api.call('queue/resume', {});
    await mode.wb.runner.whenIdle();
    await expect.poll(() => page.getByTestId('queue-experiments').count()).toBe(0);
    await expect.poll(() => page.getByTestId('queue-eta').count()).toBe(0);
  });
});
