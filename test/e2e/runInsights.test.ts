import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { ensureRunModel } from '../helpers/runModel';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('insights');
  // few training images and a short run: a model that still confuses many test images
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(20, 400)) });
});
afterAll(async () => {
  await mode?.wb.api.close();
  await mode?.close();
});

describe.skipIf(E2E_SKIP !== null)('Looking inside a run in Chromium', () => {
  it('shows per-class scores and top-k, opens a confusion cell\'s images page by page, draws the first layer and downloads the model', async () => {
    const { api } = mode.wb;
    const e = await api.call('experiments/create', { spec: { name: 'inside', base: { epochs: 2, hidden: [8], learningRate: 0.05, batchSize: 20 }, repeats: 1 } });
    const [r] = await api.call('runs/list', { experimentId: e.id });
    await mode.wb.runner.whenIdle();
    expect((await api.call('runs/get', { id: r.id })).status).toBe('finished');
    const modelPath = await ensureRunModel(mode.wb, r.id);
    const insights = await api.call('runs/insights', { id: r.id });

    const page = await mode.browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await page.goto(mode.server.url);
    await page.evaluate(`location.hash = "#/run/${r.id}"`);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('finished');

    // per-class precision, recall and F1 beside the matrix, and top-k
    const rows = page.getByTestId('confusion').locator('tbody tr');
    await expect.poll(() => rows.first().locator('td.score').count()).toBe(4);
    const pct = (v: number | null) => (v === null ? '–' : (v * 100).toFixed(1));
    const firstRow = (await rows.first().locator('td.score').allTextContents()).map((t) => t.trim());
    expect(firstRow).toEqual([pct(insights.perClass[0].precision), pct(insights.perClass[0].recall), pct(insights.perClass[0].f1), String(insights.perClass[0].support)]);
    expect(await page.getByTestId('macro-precision').textContent()).toBe(pct(insights.macro.precision));
    expect((await page.getByTestId('topk').locator('tbody td').allTextContents()).map((t) => t.trim())).toEqual(insights.topK.map((t) => (t.accuracy * 100).toFixed(2)));

    // the largest misclassification: every image of the cell, a page of 24 at a time
    let cell = 1;
    for (let c = 0; c < 100; c++) if (Math.floor(c / 10) !== c % 10 && insights.confusion[c] > insights.confusion[cell]) cell = c;
    const [t, p] = [Math.floor(cell / 10), cell % 10];
    const count = insights.confusion[cell];
    expect(count).toBeGreaterThan(24);
    const button = page.getByTestId(`cell-${t}-${p}`);
    expect((await button.textContent())?.trim()).toBe(String(count));
    // keyboard: focus the cell and press Enter
    await button.focus();
    await page.keyboard.press('Enter');
    const gallery = page.getByTestId('misclassified');
    await expect.poll(() => gallery.getByTestId('misclassified-item').count()).toBe(24);
    expect(await page.getByTestId('misclassified-total').textContent()).toContain(`${count} test images`);
    expect(await gallery.locator('h3').textContent()).toContain(`True ${insights.classNames[t]}, predicted ${insights.classNames[p]}`);
    expect(await page.getByTestId('misclassified-range').textContent()).toBe(`1–24 of ${count}`);
    expect(await gallery.getByTestId('misclassified-item').first().textContent()).toMatch(new RegExp(`${insights.classNames[p]} \\d+\\.\\d %`));
    await page.screenshot({ path: join(SHOTS, 'run-insights.png'), fullPage: true });
    let shown = 24;
    while (shown < count) {
      await gallery.getByRole('button', { name: 'Next' }).click();
      const expected = Math.min(24, count - shown);
      await expect.poll(() => page.getByTestId('misclassified-range').textContent()).toBe(`${shown + 1}–${shown + expected} of ${count}`);
      expect(await gallery.getByTestId('misclassified-item').count()).toBe(expected);
      shown += expected;
    }
    await gallery.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => page.getByTestId('misclassified-range').textContent()).toMatch(/^\d+–\d+ of /);

    // another cell by mouse: its own count
    const small = [...Array(100).keys()].find((c) => Math.floor(c / 10) !== c % 10 && insights.confusion[c] > 0 && insights.confusion[c] <= 24)!;
    await page.getByTestId(`cell-${Math.floor(small / 10)}-${small % 10}`).click();
    await expect.poll(() => page.getByTestId('misclassified-total').textContent()).toContain(`${insights.confusion[small]} test images`);
    await expect.poll(() => gallery.getByTestId('misclassified-item').count()).toBe(insights.confusion[small]);

    // the first layer: one picture per hidden unit
    await expect.poll(() => page.getByTestId('first-layer-unit').count()).toBe(8);
    expect(await page.getByTestId('first-layer').locator('img').first().getAttribute('src')).toMatch(/^data:image\/png;base64,/);

    // the model downloads from the run page
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export model' }).click()]);
    expect(download.suggestedFilename()).toBe(`run-${r.id}.safetensors`);
    const saved = join(mode.root, 'downloaded.safetensors');
    await download.saveAs(saved);
    expect(readFileSync(saved)).toEqual(readFileSync(modelPath));
  });

  it('says why a run has no model, with what to do', async () => {
    const { api } = mode.wb;
    await api.call('queue/pause', {});
    const e = await api.call('experiments/create', { spec: { name: 'waiting', base: { epochs: 1, hidden: [4] }, repeats: 1 } });
    const [r] = await api.call('runs/list', { experimentId: e.id });
    await api.call('experiments/cancel', { id: e.id });
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    await page.evaluate(`location.hash = "#/run/${r.id}"`);
    await expect.poll(() => page.getByTestId('insights-problem').textContent()).toMatch(/has no model: it was cancelled after 0 epochs\. To finish training, resume it \(Resume on its page, or workbench runs resume \d+\)/);
    expect(await page.getByTestId('model-export').count()).toBe(0);
    expect(await page.getByTestId('first-layer-unit').count()).toBe(0);
  });
});
