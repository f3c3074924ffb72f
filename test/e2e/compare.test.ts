import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('compare');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(60, 60)) });
  await mode.wb.api.call('experiments/create', { spec: { name: 'lr sweep', base: { epochs: 3, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.02, 0.2] }], repeats: 3 } });
  await mode.wb.runner.whenIdle();
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('Compare view in Chromium', () => {
  it('shows one band per group, compares two groups, and exports CSV and SVG that read back to the numbers shown', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Compare' }).click();
    const chart = page.getByTestId('compare-chart');
    await expect.poll(() => chart.locator('path.band').count()).toBe(2);
    expect(await chart.locator('path.curve').count()).toBe(2);
    expect(await chart.textContent()).toContain('γ 0.02 (n=3)');

    await page.getByLabel('Compare γ 0.02').check();
    await page.getByLabel('Compare γ 0.2').check();
    await expect.poll(() => page.getByTestId('welch').textContent()).toMatch(/difference -?\d+\.\d{2} pp, 95 % CI .* pp, Welch t = .* p = /);
    await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });

    const shown = new Map<string, string>();
    for (const row of await page.getByTestId('group-stats').locator('tbody tr').all()) {
      const cells = await row.locator('td').allTextContents();
      shown.set(cells[1], cells[3]);
    }
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export series CSV' }).click()]);
    const csvPath = join(mode.root, 'series.csv');
    await csvDownload.saveAs(csvPath);
    const rows = JSON.parse(execFileSync('python3', ['-c', 'import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))', csvPath], { encoding: 'utf8' })) as Record<string, string>[];
    const lastEpoch = rows.filter((r) => r.epoch === '3');
    expect(lastEpoch).toHaveLength(2);
    for (const r of lastEpoch) {
      expect(r.n).toBe('3');
      // the table shows accuracy in percent, the CSV the fraction; groups by the same readable label
      expect((Number(r.mean) * 100).toFixed(2)).toBe(shown.get(r.group));
    }

    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG', exact: true }).click()]);
    const svgPath = join(mode.root, 'chart.svg');
    await svgDownload.saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.match(/<path class="band"/g)).toHaveLength(2);
    expect(svg).not.toContain('<image');

    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG (2×)', exact: true }).click()]);
    const pngPath = join(mode.root, 'chart.png');
    await png.saveAs(pngPath);
    const header = readFileSync(pngPath);
    expect([...header.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(header.readUInt32BE(16)).toBe(1600);

    const summary = page.getByTestId('summary-chart');
    await expect.poll(() => summary.locator('path.error-bar').count()).toBe(2);
    expect(await summary.textContent()).toContain('final test accuracy vs Learning rate γ');

    await expect.poll(() => page.getByTestId('avg-confusion').locator('tbody tr').count()).toBe(10);
    expect(await page.getByTestId('avg-confusion').textContent()).toMatch(/\d+\.\d ± \d+\.\d/);
    await page.getByLabel('Epoch k').fill('2');
    await expect.poll(() => page.getByTestId('at-k').first().textContent()).toMatch(/\(3\)$/);

    await page.getByRole('group', { name: 'Group by' }).getByLabel('Learning rate γ').uncheck();
    await expect.poll(() => chart.locator('path.band').count()).toBe(1);
    expect(await chart.textContent()).toContain('all runs (n=6)');
    expect(pageErrors).toEqual([]);
  });
});
