// Issue 15, item 8 in Chromium: the form in the user's words with only the fields that apply, group
// labels such as "SGD · γ 0.02", accuracy in percent (chart axes included), "Final mean" best first
// for a loss too, the one date format, plain validation messages with a red border, dark charts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
let sweep: number;
beforeAll(async () => {
  mode = await startBrowserMode('consistency');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(30, 30)) });
  const created = await mode.wb.api.call('experiments/create', {
    spec: { name: 'optimizers', base: { epochs: 2, hidden: [8] }, axes: [{ field: 'optimizer', values: ['sgd', 'adam'] }, { field: 'learningRate', values: [0.02, 0.2] }], repeats: 2 },
  });
  sweep = created.id;
  await mode.wb.runner.whenIdle();
});
afterAll(() => mode?.close());

async function open(hash: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await mode.browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme, acceptDownloads: true });
  await page.goto(mode.server.url);
  await page.evaluate(`location.hash = "${hash}"`);
  return page;
}

describe.skipIf(E2E_SKIP !== null)('consistency in Chromium (issue 15, item 8)', () => {
  it('labels the form in the user words with the config key as a hint, shows fields only where they apply, and loses nothing typed', async () => {
    const page = await open('#/new');
    const lr = page.getByLabel('Learning rate γ', { exact: true });
    await expect.poll(() => lr.isVisible()).toBe(true);
    expect(await page.locator('#k-learningRate').textContent()).toBe('learningRate');
    expect(await page.getByLabel('L2 λ', { exact: true }).isVisible()).toBe(true);
    // SGD with a constant schedule: momentum, no Adam β, no decay k
    const momentum = page.getByLabel('Momentum μ', { exact: true });
    expect(await momentum.isVisible()).toBe(true);
    expect(await page.getByLabel('Adam β1', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Decay k', { exact: true }).count()).toBe(0);

    await momentum.fill('0.9');
    await page.getByLabel('Optimizer', { exact: true }).selectOption('adam');
    await expect.poll(() => page.getByLabel('Adam β1', { exact: true }).isVisible()).toBe(true);
    expect(await momentum.count()).toBe(0);
    expect(await page.getByTestId('unused-fields').textContent()).toContain('Momentum μ 0.9 (SGD only)');
    await page.getByLabel('Schedule', { exact: true }).selectOption('exponential');
    await expect.poll(() => page.getByLabel('Decay k', { exact: true }).isVisible()).toBe(true);
    await page.getByLabel('Schedule', { exact: true }).selectOption('constant');
    await page.screenshot({ path: join(SHOTS, 'consistency-form-adam.png'), fullPage: true });

    // a value the validator refuses: said in plain words at the field, with a red border
    await lr.fill('-1');
    await expect.poll(() => page.locator('#e-learningRate').textContent()).toBe('-1 is too small (allowed: a number > 0 and ≤ 100)');
    expect(await lr.getAttribute('aria-invalid')).toBe('true');
    expect(await lr.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).getPropertyValue('border-top-color'))).toBe('rgb(198, 40, 40)'); // --danger
    await lr.fill('0.01');

    // the hidden momentum is not sent (Adam ignores it; it would only split groups) …
    await page.getByLabel('Name', { exact: true }).fill('adam form');
    await page.getByLabel('Hidden layers', { exact: true }).fill('4');
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Repeats (seeds)').fill('1');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toBe('1 run');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 1 run\./);
    const experiments = await mode.wb.api.call('experiments/list', {});
    const [run] = await mode.wb.api.call('runs/list', { experimentId: experiments.find((e) => e.name === 'adam form')!.id });
    expect(run.config).toMatchObject({ optimizer: 'adam', momentum: 0, learningRate: 0.01 });

    // … and not lost: back on SGD the typed momentum is there again
    await page.getByLabel('Optimizer', { exact: true }).selectOption('sgd');
    await expect.poll(() => momentum.inputValue()).toBe('0.9');
  });

  it('names groups "SGD · γ 0.02" in Compare, shows accuracy in percent on the chart axis and in the table, and sorts a loss best (lowest) first', async () => {
    const page = await open(`#/compare/${sweep}`);
    const legend = page.getByTestId('compare-legend');
    await expect.poll(() => legend.locator('li').count()).toBe(4);
    expect(new Set(await legend.locator('li .name').allTextContents())).toEqual(new Set(['SGD · γ 0.02', 'SGD · γ 0.2', 'Adam · γ 0.02', 'Adam · γ 0.2']));
    const table = page.getByTestId('group-stats');
    expect(await table.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(expect.arrayContaining(['SGD · γ 0.02', 'Adam · γ 0.2']));

    // the y axis of an accuracy chart reads in percent: the unit in its title, ticks 0–100 not 0–1
    const chart = page.getByTestId('compare-chart');
    expect(await chart.locator('text', { hasText: 'test accuracy (%)' }).count()).toBe(1);
    const ticks = (await chart.locator('text[text-anchor="end"]').allTextContents()).map(Number);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...ticks)).toBeGreaterThan(1);
    expect(await table.locator('thead').textContent()).toContain('Final mean (%)');
    const means = async () => (await page.getByTestId('final-mean').allTextContents()).map(Number);
    for (const m of await means()) expect(m).toBeGreaterThan(1); // 23.33, not 0.2333
    const accuracy = await means();
    expect(accuracy).toEqual([...accuracy].sort((a, b) => b - a));
    await page.screenshot({ path: join(SHOTS, 'consistency-compare.png'), fullPage: true });

    await page.getByLabel('Metric').selectOption('testLoss');
    await expect.poll(() => table.locator('thead').textContent()).toContain('Final mean ▲');
    const loss = await means();
    expect(loss).toEqual([...loss].sort((a, b) => a - b));
    expect(await table.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    expect(await chart.locator('text', { hasText: 'test loss' }).count()).toBeGreaterThan(0);
  });

  it('draws the charts dark in the dark theme on screen; the exported SVG stays light', async () => {
    const page = await open(`#/compare/${sweep}`, 'dark');
    const chart = page.getByTestId('compare-chart');
    await expect.poll(() => chart.locator('g.series').count()).toBe(4);
    expect(await chart.locator('svg > rect').first().getAttribute('fill')).toBe('#1e2228');
    expect(await page.getByTestId('summary-chart').locator('svg > rect').first().getAttribute('fill')).toBe('#1e2228');
    await page.screenshot({ path: join(SHOTS, 'consistency-compare-dark.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG', exact: true }).click()]);
    const file = join(mode.root, 'dark.svg');
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8')).toMatch(/<rect width="\d+" height="\d+" fill="#ffffff"\/>/);
  });

  it('dates in one format: relative within a day with the full time in the tooltip', async () => {
    const page = await open('#/overview');
    const when = page.getByTestId(`experiment-${sweep}`).locator('time');
    await expect.poll(() => when.count()).toBe(1);
    expect(await when.textContent()).toMatch(/^(just now|\d+ s ago|\d+ min ago)$/);
    expect(await when.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});
