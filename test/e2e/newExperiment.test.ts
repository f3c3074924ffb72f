import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('new');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(20, 20)) });
});
afterAll(() => mode?.close());

describe('New experiment form in Chromium', () => {
  it('shows messages for invalid values and submits nothing', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('10 runs');
    await page.getByLabel('learningRate', { exact: true }).fill('-1');
    await page.getByLabel('epochs', { exact: true }).fill('2.5');
    await page.getByLabel('Repeats (seeds)').fill('0');
    await page.getByLabel('hidden', { exact: true }).fill('100,abc');
    await expect.poll(() => page.locator('#e-learningRate').textContent()).toMatch(/Too small.*allowed: a number > 0/);
    expect(await page.locator('#e-hidden').textContent()).toContain("'100,abc' is not a comma-separated list of numbers");
    await page.getByLabel('hidden', { exact: true }).fill('100');
    await expect.poll(() => page.locator('#e-epochs').textContent()).toMatch(/expected int/);
    expect(await page.locator('#e-repeats').textContent()).toMatch(/Too small/);
    expect(await page.getByLabel('learningRate', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('run-count').textContent()).toContain('Fix the marked fields');
    expect(await page.getByRole('button', { name: 'Queue experiment' }).isDisabled()).toBe(true);
    await page.getByLabel('learningRate', { exact: true }).fill('0.1');
    await page.getByLabel('epochs', { exact: true }).fill('2');
    await page.getByLabel('Repeats (seeds)').fill('1');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('1 run');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.locator('#e-name').textContent()).toBe('Give the experiment a name');
    await page.screenshot({ path: join(SHOTS, 'new-experiment-invalid.png'), fullPage: true });
    expect(await mode.wb.api.call('experiments/list', {})).toEqual([]);
  });

  it('queues a 2 × 2-repeat sweep from the form, which then runs to completion', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Name').fill('form sweep');
    await page.getByLabel('hidden', { exact: true }).fill('8');
    await page.getByLabel('epochs', { exact: true }).fill('2');
    await page.getByLabel('Repeats (seeds)').fill('2');
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 field').selectOption('learningRate');
    await page.getByLabel('Axis 1 range from').fill('0.01');
    await page.getByLabel('Axis 1 range to').fill('0.1');
    await page.getByLabel('Axis 1 range count').fill('2');
    await page.getByRole('button', { name: 'Fill' }).click();
    await expect.poll(() => page.getByLabel('Axis 1 values').inputValue()).toBe('0.01, 0.1');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('4 runs');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 4 runs/);
    await page.screenshot({ path: join(SHOTS, 'new-experiment-queued.png'), fullPage: true });
    await mode.wb.runner.whenIdle();
    const runs = await mode.wb.api.call('runs/list', {});
    expect(runs.map((r) => [r.config.learningRate, r.seed, r.status])).toEqual([
      [0.01, 0, 'finished'], [0.01, 1, 'finished'], [0.1, 0, 'finished'], [0.1, 1, 'finished'],
    ]);
    await page.getByRole('link', { name: 'See the queue' }).click();
    await expect.poll(() => page.getByTestId('experiments').textContent()).toContain('form sweep — 4 runs');
  });

  it('loads the report presets', async () => {
    const page = await mode.browser.newPage();
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Preset').selectOption('fig2');
    await page.getByRole('button', { name: 'Load preset' }).click();
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('120 runs');
    expect(await page.getByLabel('Axis 2 values').inputValue()).toBe('0.001, 0.01, 0.1, 0.2, 0.3, 0.5');
  });
});
