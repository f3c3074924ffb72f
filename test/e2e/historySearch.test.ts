// issue 15, item 4: the History search matches what the table shows, not the hidden config JSON
// ("adam" matched every run through adamBeta1, "lr 0.1" matched nothing), and takes field:value terms
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('history-search');
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('History search in Chromium', () => {
  it('finds what the table shows and field:value terms; an unknown field is said at the field', async () => {
    // no dataset is imported: the runs stay queued. 2 optimizers × γ 0.1, 0.15, 0.01 × 2 seeds, and one other experiment
    const grid = await mode.wb.api.call('experiments/create', {
      spec: { name: 'optimizer grid', axes: [{ field: 'optimizer', values: ['sgd', 'adam'] }, { field: 'learningRate', values: [0.1, 0.15, 0.01] }], repeats: 2 },
    });
    await mode.wb.api.call('experiments/create', { spec: { name: 'wide net', base: { hidden: [256, 128] } } });
    const runs = await mode.wb.api.call('runs/list', {});
    expect(runs.every((r) => 'adamBeta1' in r.config)).toBe(true);
    const adamLr01 = runs.filter((r) => r.config.optimizer === 'adam' && r.config.learningRate === 0.1);
    await mode.wb.api.call('runs/annotate', { id: adamLr01[0].id, addTags: ['baseline'] });

    const page = await mode.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
    const totalText = () => page.getByTestId('run-total').textContent();
    await expect.poll(totalText).toBe('13 matching');
    const search = page.getByLabel('Search', { exact: true });
    const ids = async () => (await page.getByTestId('run-row').locator('a').allTextContents()).map(Number).sort((a, b) => a - b);
    const expectIds = async (text: string, expected: number[]) => {
      await search.fill(text);
      await expect.poll(totalText, { message: text }).toBe(`${expected.length} matching`);
      await expect.poll(ids, { message: text }).toEqual([...expected].sort((a, b) => a - b));
    };

    // free text: what the table shows
    await expectIds('adam', runs.filter((r) => r.config.optimizer === 'adam').map((r) => r.id));
    await expectIds('γ 0.1', runs.filter((r) => r.config.learningRate === 0.1).map((r) => r.id));
    await expectIds('"SGD · γ 0.1"', runs.filter((r) => r.config.learningRate === 0.1 && r.config.optimizer === 'sgd').map((r) => r.id));
    // "lr" is γ spelt as it is easy to type (and as the table once showed it)
    await expectIds('lr 0.1', runs.filter((r) => r.config.learningRate === 0.1).map((r) => r.id));
    await expectIds('wide', runs.filter((r) => r.config.hidden[0] === 256).map((r) => r.id));
    await expectIds('baseline', [adamLr01[0].id]);
    // field:value terms in the user's words, with each other and with text
    await expectIds('lr:0.1 optimizer:adam', adamLr01.map((r) => r.id));
    await expectIds(`γ:0.15 status:queued exp:${grid.id}`, runs.filter((r) => r.config.learningRate === 0.15).map((r) => r.id));
    await expectIds('tag:baseline optimizer:adam', [adamLr01[0].id]);
    await expectIds('hidden:256x128', runs.filter((r) => r.config.hidden[0] === 256).map((r) => r.id));
    await expectIds('lr<0.1 -sgd', runs.filter((r) => r.config.learningRate === 0.01 && r.config.optimizer === 'adam').map((r) => r.id));

    // an unknown field: the message at the field (red border), the last results kept, nothing typed lost
    await search.fill('lrr:0.1');
    await expect.poll(() => page.getByTestId('search-error').textContent()).toMatch(/^unknown field 'lrr' — did you mean lr\? Try lr, optimizer, λ/);
    expect(await search.getAttribute('aria-invalid')).toBe('true');
    expect(await totalText()).toBe('2 matching');
    await page.screenshot({ path: join(SHOTS, 'history-search-error.png') });
    await search.fill('optimizer:adamw');
    await expect.poll(() => page.getByTestId('search-error').textContent()).toBe("optimizer is sgd or adam, not 'adamw'");
    await page.reload();
    await expect.poll(() => search.inputValue()).toBe('optimizer:adamw');
    await search.fill('opt:adam acc>50');
    await expect.poll(totalText).toBe('0 matching');
    expect(await page.getByTestId('search-error').count()).toBe(0);
    expect(await search.getAttribute('aria-invalid')).toBeNull();

    // the field help puts an example into the box
    await search.fill('');
    await page.getByRole('button', { name: 'Fields…' }).click();
    await page.getByRole('button', { name: 'optimizer:adam', exact: true }).click();
    expect(await search.inputValue()).toBe('optimizer:adam');
    await expect.poll(totalText).toBe('6 matching');
    expect(pageErrors).toEqual([]);
  });
});
