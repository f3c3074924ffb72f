import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRange } from '../../src-shared/presets';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('history');
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('History view with 10,000 runs in Chromium', () => {
  it('pages, virtualises, sorts, filters, tags and deletes', async () => {
    // no dataset is imported, so the 10,000 runs stay queued (the queue reports why)
    const created = await mode.wb.api.call('experiments/create', {
      spec: { name: 'ten thousand', axes: [{ field: 'learningRate', values: logRange(0.0001, 1, 100) }], repeats: 100 },
    });
    expect(created.count).toBe(10_000);
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const limits: number[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/runs/page')) limits.push(JSON.parse(r.postData() ?? '{}').limit);
    });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('10,000 matching');
    const rows = page.getByTestId('run-row');
    const idOf = (row: ReturnType<typeof rows.first>) => row.locator('span').first().textContent();
    await expect.poll(() => idOf(rows.first())).toBe('10000');
    expect(await rows.count()).toBeLessThanOrEqual(30);
    await page.screenshot({ path: join(SHOTS, 'history.png'), fullPage: true });

    await page.getByTestId('run-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => idOf(rows.last())).toBe('1');
    expect(await rows.count()).toBeLessThanOrEqual(30);
    expect(limits.every((l) => l === 200)).toBe(true);
    expect(limits.length).toBeLessThanOrEqual(6);

    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Run/ }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => idOf(rows.first())).toBe('1');

    await page.getByLabel('Config field').selectOption('learningRate');
    await page.getByLabel('Config value').fill('1');
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('100 matching');

    await rows.first().click();
    await page.getByLabel('Add a tag').fill('keep');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-tags').textContent()).toContain('keep');
    await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Tag').fill('keep');
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('1 matching');

    await page.getByRole('button', { name: 'Delete experiment ten thousand' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect((await mode.wb.api.call('experiments/list', {})).length).toBe(1);
    await page.getByRole('button', { name: 'Delete experiment ten thousand' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('0 matching');
    expect(await mode.wb.api.call('experiments/list', {})).toEqual([]);
  });
});
