import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('search');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(20, 20)) });
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('random search and ASHA in the New experiment form (Chromium)', () => {
  it('builds a random + ASHA sweep with messages at the fields and a preview; its pruned runs show as such in the Queue and on their page', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Name').fill('random asha');
    await page.getByLabel('Hidden layers', { exact: true }).fill('8');
    await page.getByLabel('Epochs', { exact: true }).fill('3');
    await page.getByLabel('Repeats (seeds)').fill('2');
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 field').selectOption('learningRate');
    await page.getByLabel('Axis 1 values').fill('0.05, 0.2, 0.00001');

    const search = page.getByTestId('search-strategy');
    await search.getByLabel('Random search').check();
    await search.getByLabel('Configurations to draw').fill('0');
    await expect.poll(() => page.locator('#e-trials').textContent()).toMatch(/^0 is too small \(allowed: an integer 1–10,000/);
    await search.getByLabel('Configurations to draw').fill('3');
    await search.getByRole('button', { name: 'Add a distribution' }).click();
    // a field of words is drawn from a list only: its kind follows the field
    expect(await search.getByLabel('Distribution 1 kind').inputValue()).toBe('logUniform');
    await search.getByLabel('Distribution 1 field').selectOption('activation');
    await expect.poll(() => search.getByLabel('Distribution 1 kind').inputValue()).toBe('choice');
    await search.getByLabel('Distribution 1 field').selectOption('momentum');
    await search.getByLabel('Distribution 1 kind').selectOption('uniform');
    await search.getByLabel('Distribution 1 from').fill('0');
    await search.getByLabel('Distribution 1 to').fill('1.5');
    await expect.poll(() => page.getByTestId('distribution-error-0').textContent()).toMatch(/^Momentum μ: 1\.5 is too large \(allowed: a number ≥ 0 and < 1/);
    expect(await search.getByLabel('Distribution 1 to').getAttribute('aria-invalid')).toBe('true');
    await search.getByLabel('Distribution 1 to').fill('0.5');

    await search.getByTestId('asha-on').check();
    await search.getByLabel('First rung (epochs)').fill('3');
    await expect.poll(() => page.locator('#e-min-epochs').textContent()).toMatch(/must be below the runs’ epochs \(3\)/);
    await search.getByLabel('First rung (epochs)').fill('1');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toBe('6 runs');
    expect(await page.getByTestId('preview').textContent()).toBe('6 runs (3 configurations × 2 seeds) · at most 10 epochs with ASHA (η 3 from epoch 1), 56 % of the 18 they take in full');
    await page.screenshot({ path: join(SHOTS, 'new-experiment-random-asha.png'), fullPage: true });
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'queued with 6 runs' }).count()).toBe(1);

    // the spec as stored, and the sweep run to its end: 1 configuration in 3 trains on
    const [experiment] = await mode.wb.api.call('experiments/list', {});
    const { spec } = await mode.wb.api.call('experiments/get', { id: experiment.id });
    expect(spec).toMatchObject({ strategy: 'random', random: { trials: 3, seed: 0, fields: [{ field: 'momentum', distribution: 'uniform', min: 0, max: 0.5 }] }, asha: { minEpochs: 1, reductionFactor: 3, metric: 'testAccuracy' } });
    const ended = async () => (await mode.wb.api.call('runs/list', { experimentId: experiment.id })).map((r) => r.status).sort();
    await expect.poll(ended, { timeout: 120_000 }).toEqual(['finished', 'finished', 'pruned', 'pruned', 'pruned', 'pruned']);

    await page.getByRole('navigation').getByRole('link', { name: /Queue/ }).click();
    const pruned = page.getByTestId('recent').locator('[data-status="pruned"]');
    await expect.poll(() => pruned.count()).toBe(4);
    expect(await pruned.first().textContent()).toBe('pruned at epoch 1');
    await page.screenshot({ path: join(SHOTS, 'queue-pruned.png'), fullPage: true });
    const runs = await mode.wb.api.call('runs/list', { experimentId: experiment.id, status: 'pruned' });
    await page.evaluate(`location.hash = "#/run/${runs[0].id}"`);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('pruned at epoch 1');
    expect(await page.locator('.card').first().textContent()).toMatch(/Pruned by ASHA at epoch 1: its seeds' mean testAccuracy [\d.]+ % ranked [23] of the 3 configurations/);

    // History shows the pruned runs; three ticked runs open in Compare, and a reload keeps the view
    await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
    const rows = page.getByTestId('run-row');
    await page.getByLabel('Search', { exact: true }).fill('status:pruned');
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('4 matching');
    await page.getByLabel('Search', { exact: true }).fill('');
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('6 matching');
    for (const i of [0, 1, 2]) await rows.nth(i).getByRole('checkbox').click();
    await expect.poll(() => page.getByTestId('bulk-bar').getByText(/ticked$/).textContent()).toBe('3 runs ticked');
    await page.getByTestId('bulk-compare').click();
    await expect.poll(() => page.getByTestId('picked-runs').textContent()).toContain('3 hand-picked runs');
    const address = await page.evaluate('location.hash');
    expect(address).toMatch(/^#\/compare\?runs=\d+,\d+,\d+$/);
    const view = async () => ({ picked: await page.getByTestId('picked-runs').textContent(), chart: await page.getByTestId('compare-chart').textContent() });
    await expect.poll(async () => (await view()).chart).toContain('n=');
    const before = await view();
    await page.reload();
    await expect.poll(async () => (await view()).chart).toContain('n=');
    expect(await view()).toEqual(before);
    expect(await page.evaluate('location.hash')).toBe(address);
  }, 180_000);
});
