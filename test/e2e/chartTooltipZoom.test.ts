import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCompare } from '../../src-shared/compareData';
import { E2E_SKIP, SHOTS, startBrowserMode, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('chartTooltipZoom');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(60, 60)) });
  await mode.wb.api.call('experiments/create', { spec: { name: 'zoom sweep', base: { epochs: 4, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.02, 0.2] }], repeats: 2 } });
  await mode.wb.runner.whenIdle();
});
afterAll(() => mode?.close());

/** The page position of an epoch on the Compare chart's x axis (1 to 4, or the zoomed range), halfway up the plot. */
async function epochPoint(page: Page, epoch: number, [first, last]: [number, number]): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('compare-chart').locator('rect.plot').boundingBox())!;
  return { x: box.x + ((epoch - first) / (last - first)) * box.width, y: box.y + box.height / 2 };
}
/** How many points the group's mean curve has (one M, then an L per further point). */
const curvePoints = async (page: Page): Promise<number> => ((await page.getByTestId('compare-chart').locator('path.curve').first().getAttribute('d')) ?? '').split(/[ML]/).length - 1;

describe.skipIf(E2E_SKIP !== null)('Compare chart tooltips and epoch zoom in Chromium', () => {
  it('hovering shows each group’s exact mean, the epoch and n; dragging zooms to epochs, Reset and the epoch fields too; the export says the range', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    const [experiment] = await mode.wb.api.call('experiments/list', {});
    const groups = groupCompare(await mode.wb.api.call('experiments/compare', { ids: [experiment.id], metric: 'testAccuracy' }));
    const meanAt = (label: string, epoch: number): string => `${(groups.find((g) => g.label === label)!.series.find((p) => p.epoch === epoch)!.mean * 100).toFixed(2)} %`;

    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Compare' }).click();
    const chart = page.getByTestId('compare-chart');
    await expect.poll(() => chart.locator('path.curve').count()).toBe(2);
    expect(await curvePoints(page)).toBe(4);

    // hover near epoch 2 (a little off it): a tooltip with the epoch, every group's mean and n
    const tip = page.getByTestId('chart-tooltip');
    expect(await tip.count()).toBe(0);
    const near2 = await epochPoint(page, 2.2, [1, 4]);
    await page.mouse.move(near2.x, near2.y);
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.locator('.tip-head').textContent()).toBe('epoch 2');
    for (const label of ['γ 0.02', 'γ 0.2']) {
      const row = tip.locator('.tip-row').filter({ hasText: label });
      expect(await row.locator('b').textContent()).toBe(meanAt(label, 2));
      expect(await row.textContent()).toContain('n=2');
    }
    await page.screenshot({ path: join(SHOTS, 'compare-tooltip.png') });
    // the tooltip is an overlay: it is not in the chart's SVG (nor in its export)
    expect(await chart.locator('[role="tooltip"]').count()).toBe(0);
    const near4 = await epochPoint(page, 3.9, [1, 4]);
    await page.mouse.move(near4.x, near4.y);
    await expect.poll(() => tip.locator('.tip-head').textContent()).toBe('epoch 4');
    expect(await tip.locator('.tip-row').filter({ hasText: 'γ 0.2' }).locator('b').textContent()).toBe(meanAt('γ 0.2', 4));
    await page.mouse.move(5, 5);
    await expect.poll(() => tip.count()).toBe(0);

    // drag from epoch 2 to epoch 3: only those epochs are drawn, the title and the fields say so
    const [from, to] = [await epochPoint(page, 2, [1, 4]), await epochPoint(page, 3, [1, 4])];
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 3 });
    await page.mouse.move(to.x, to.y, { steps: 3 });
    await page.mouse.up();
    await page.screenshot({ path: join(SHOTS, 'compare-zoomed.png') });
    await expect.poll(() => chart.locator('text.title').allTextContents()).toContainEqual(expect.stringContaining('epochs 2–3'));
    expect(await curvePoints(page)).toBe(2);
    expect(await page.getByLabel('Epochs from').inputValue()).toBe('2');
    expect(await page.getByLabel('Epochs to').inputValue()).toBe('3');
    // the hover follows the zoomed axis: the right edge is now epoch 3
    const right = await epochPoint(page, 3, [2, 3]);
    await page.mouse.move(right.x - 2, right.y);
    await expect.poll(() => tip.locator('.tip-head').textContent()).toBe('epoch 3');
    await page.mouse.move(5, 5);

    // the exported SVG is the zoomed chart, and says which epochs it shows
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG', exact: true }).click()]);
    const svgPath = join(mode.root, 'zoomed.svg');
    await svgDownload.saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toContain('epochs 2–3');
    expect(svg).not.toContain('chart-tooltip');

    // Reset: the whole run again
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => curvePoints(page)).toBe(4);
    expect((await chart.locator('text.title').allTextContents()).join(' ')).not.toContain('epochs');

    // by keyboard: type the range, Enter applies it; an impossible one is said at the fields and changes nothing
    await page.getByLabel('Epochs from').fill('1');
    await page.getByLabel('Epochs to').fill('2');
    await page.getByLabel('Epochs to').press('Enter');
    await expect.poll(() => curvePoints(page)).toBe(2);
    expect((await chart.locator('text.title').allTextContents()).join(' ')).toContain('epochs 1–2');
    await page.getByLabel('Epochs from').fill('3');
    await page.getByLabel('Epochs from').press('Enter');
    await expect.poll(() => page.getByRole('group', { name: 'Zoom to epochs' }).getByRole('alert').textContent()).toContain('must be below');
    expect(await curvePoints(page)).toBe(2);
    await page.getByRole('button', { name: 'Reset zoom' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => curvePoints(page)).toBe(4);
    expect(await page.getByLabel('Epochs from').inputValue()).toBe('1');
    expect(await page.getByRole('group', { name: 'Zoom to epochs' }).getByRole('alert').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('a run’s curves: the accuracy chart’s epoch fields zoom it, Reset shows every epoch again', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const [experiment] = await mode.wb.api.call('experiments/list', {});
    const [run] = await mode.wb.api.call('runs/list', { experimentId: experiment.id, limit: 1 });
    await page.goto(mode.server.url);
    await page.evaluate(`location.hash = '#/run/${run.id}'`);
    const accuracy = page.getByRole('img', { name: 'Accuracy chart' });
    await expect.poll(() => accuracy.isVisible()).toBe(true);
    const zoom = page.getByRole('group', { name: 'Zoom to epochs' }).nth(1);
    await zoom.getByLabel('Epochs from').fill('2');
    await zoom.getByLabel('Epochs to').fill('4');
    await zoom.getByLabel('Epochs to').press('Enter');
    await expect.poll(() => zoom.textContent()).toContain('showing epochs 2–4 of 1–4');
    const box = (await accuracy.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.screenshot({ path: join(SHOTS, 'run-curve-tooltip.png') });
    await zoom.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => zoom.textContent()).toContain('or drag across the plot');
    expect(pageErrors).toEqual([]);
  });
});
