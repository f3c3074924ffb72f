import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { writeFinishedRuns } from '../helpers/finishedRuns';
import { svgGeometry } from '../helpers/svgGeometry';

let mode: BrowserMode;
const ids: Record<number, number> = {};
/** The plot must keep at least this height on screen (px) whatever the number of groups. */
const MIN_SCREEN_PLOT = 250;

beforeAll(async () => {
  mode = await startBrowserMode('compare-many');
  for (const groups of [60, 200]) {
    // group g's final mean rises with g: the top 10 are the last ten groups
    ids[groups] = writeFinishedRuns(mode.wb.store, {
      name: `${groups} groups`, learningRates: Array.from({ length: groups }, (_, g) => (g + 1) / 1000), repeats: 2, epochs: 4,
      accuracy: (run, g, epoch) => 0.15 + (0.3 * g) / groups + 0.02 * epoch + 0.001 * (run % 2),
    });
  }
});
afterAll(() => mode?.close());

async function openCompare(page: Page, experiment: number): Promise<void> {
  await page.goto(mode.server.url);
  await page.evaluate(`location.hash = "#/compare/${experiment}"`);
}

describe.skipIf(E2E_SKIP !== null)('Compare with many groups in Chromium', () => {
  it('keeps the plot at 60 groups: legend beside it, scrolling; hover highlights a series, click hides it; exports grow instead', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await openCompare(page, ids[60]);
    const chart = page.getByTestId('compare-chart');
    const legend = page.getByTestId('compare-legend');
    await expect.poll(() => chart.locator('g.series').count()).toBe(60);
    await expect.poll(() => legend.locator('li').count()).toBe(60);

    // the plot area keeps its height; the title sits above it
    const plot = (await chart.locator('rect.plot').boundingBox())!;
    expect(plot.height).toBeGreaterThanOrEqual(MIN_SCREEN_PLOT);
    const title = (await chart.locator('text.title').first().boundingBox())!;
    expect(title.y + title.height).toBeLessThanOrEqual(plot.y);
    // the legend sits beside the plot, not over it, and scrolls instead of growing past the window
    const box = (await legend.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(plot.x + plot.width);
    expect(box.height).toBeLessThan(900);
    expect(await legend.evaluate((ul) => ul.scrollHeight > ul.clientHeight)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'compare-60-groups.png') });

    // beyond 30 groups the top 10 by final mean keep colours, the rest are grey; the legend lists the top 10 first, best first
    expect(await chart.locator('g.series.muted').count()).toBe(50);
    const keys = await legend.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-key')!));
    const topKeys = await chart.locator('g.series:not(.muted)').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-key')));
    expect(new Set(topKeys)).toEqual(new Set(keys.slice(0, 10)));
    expect(await legend.locator('li .name').first().textContent()).toBe('γ 0.06');
    expect(await legend.locator('li .name').nth(10).textContent()).toBe('γ 0.001');

    // pointing at a grey group's entry brings its curve forward in colour and fades the others
    const grey = keys[17];
    await legend.locator(`li[data-key="${grey}"] button`).hover();
    const focused = chart.locator(`g.series[data-key="${grey}"]`);
    await expect.poll(() => focused.getAttribute('class')).toBe('series focus');
    expect(await focused.locator('path.curve').getAttribute('stroke')).not.toBe('#b4b4b4');
    expect(await chart.locator(`g.series[data-key="${keys[0]}"]`).getAttribute('opacity')).toBe('0.25');
    expect(await chart.locator('g.series').last().getAttribute('data-key')).toBe(grey);
    await page.mouse.move(5, 5);
    await expect.poll(() => chart.locator('g.series.focus').count()).toBe(0);

    // clicking an entry hides its series, clicking again shows it
    const entry = legend.locator(`li[data-key="${keys[55]}"] button`);
    await entry.click();
    await expect.poll(() => chart.locator(`g.series[data-key="${keys[55]}"]`).count()).toBe(0);
    expect(await chart.locator('g.series').count()).toBe(59);
    expect(await entry.getAttribute('aria-pressed')).toBe('false');
    await entry.click();
    await expect.poll(() => chart.locator(`g.series[data-key="${keys[55]}"]`).count()).toBe(1);
    await entry.click();

    // the exported SVG is that chart (one group hidden) with its legend under the plot, the figure taller
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG', exact: true }).click()]);
    const path = join(mode.root, 'many.svg');
    await download.saveAs(path);
    const svg = readFileSync(path, 'utf8');
    expect(svg.match(/<g class="series/g)).toHaveLength(59);
    const g = svgGeometry(svg);
    expect(g.plot.height).toBeGreaterThanOrEqual(280);
    expect(g.titleBottom).toBeLessThan(g.plot.y);
    expect(g.legendTop).toBeGreaterThan(g.plot.y + g.plot.height + 40);
    expect(g.legendBottom).toBeLessThanOrEqual(g.height);
    expect(svg).toContain('49 other groups (grey)'); // the top 10 and the 49 grey groups still shown

    // "all in colour": colours and line styles for every group, none grey
    await page.getByLabel('Highlight groups').selectOption({ label: 'all in colour' });
    await expect.poll(() => chart.locator('g.series.muted').count()).toBe(0);
    expect(await chart.locator('path.curve[stroke-dasharray]').count()).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the plot and the title clear at 200 groups', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1024, height: 768 } });
    await openCompare(page, ids[200]);
    const chart = page.getByTestId('compare-chart');
    await expect.poll(() => chart.locator('g.series').count()).toBe(200);
    const plot = (await chart.locator('rect.plot').boundingBox())!;
    expect(plot.height).toBeGreaterThanOrEqual(MIN_SCREEN_PLOT);
    const title = (await chart.locator('text.title').first().boundingBox())!;
    expect(title.y + title.height).toBeLessThanOrEqual(plot.y);
    expect(await page.getByTestId('compare-legend').locator('li').count()).toBe(200);
    await page.screenshot({ path: join(SHOTS, 'compare-200-groups.png') });
  });
});
