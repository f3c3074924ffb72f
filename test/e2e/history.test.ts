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
  it('pages, virtualises, sorts, searches, chooses columns, ticks, acts in bulk, shows a run beside the table, archives, restores and deletes', async () => {
    // no dataset is imported, so the 10,000 runs stay queued (the queue reports why)
    const created = await mode.wb.api.call('experiments/create', {
      spec: { name: 'ten thousand', axes: [{ field: 'learningRate', values: logRange(0.0001, 1, 100) }], repeats: 100 },
    });
    expect(created.count).toBe(10_000);
    const page = await mode.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const limits: number[] = [];
    page.on('request', (r) => {
      const body = JSON.parse(r.postData() ?? '{}') as { limit?: number; archived?: boolean };
      // (the archive's count is one more small request)
      if (r.url().endsWith('/api/runs/page') && !body.archived) limits.push(body.limit ?? 0);
    });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
    const total = () => page.getByTestId('run-total').textContent();
    await expect.poll(total).toBe('10,000 matching');
    const rows = page.getByTestId('run-row');
    const idOf = (row: ReturnType<typeof rows.first>) => row.locator('span').first().textContent();
    await expect.poll(() => idOf(rows.first())).toBe('10000');
    expect(await rows.count()).toBeLessThanOrEqual(40);
    await page.screenshot({ path: join(SHOTS, 'history.png'), fullPage: true });

    const scroller = page.getByTestId('run-scroller');
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => idOf(rows.last())).toBe('1');
    expect(await rows.count()).toBeLessThanOrEqual(40);
    expect(limits.every((l) => l === 200)).toBe(true);
    expect(limits.length).toBeLessThanOrEqual(6);
    // live: a run cancelled elsewhere (here over the API) shows as cancelled without a reload
    expect(await rows.last().textContent()).toContain('queued');
    await mode.wb.api.call('runs/cancel', { id: 1 });
    await expect.poll(() => rows.last().textContent()).toContain('cancelled');
    expect(await idOf(rows.last())).toBe('1');

    // sort by the run id, then by a config column chosen in the column chooser (kept across a reload)
    const header = (name: string) => page.getByRole('columnheader', { name, exact: true });
    await header('Run').getByRole('button').click();
    await expect.poll(() => header('Run').getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => idOf(rows.first())).toBe('1');
    await page.getByText('Columns (', { exact: false }).click();
    await page.getByRole('group', { name: 'Columns to show' }).getByLabel('Learning rate γ').check();
    await page.getByRole('group', { name: 'Columns to show' }).getByLabel('Duration').check();
    await page.keyboard.press('Escape');
    await expect.poll(() => header('Learning rate γ').count()).toBe(1);
    await header('Learning rate γ').getByRole('button').click();
    await expect.poll(() => header('Learning rate γ').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => rows.first().getByRole('gridcell').nth(10).textContent()).toBe('1');
    await page.reload();
    await expect.poll(() => header('Learning rate γ').count()).toBe(1);
    expect(await header('Duration').count()).toBe(1);

    const search = page.getByLabel('Search', { exact: true });
    await search.fill('lr:1');
    await expect.poll(total).toBe('100 matching');

    // tick a run, shift-click a range of five, Ctrl-click one off again; tag the ticked runs at once
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    await rows.nth(0).getByRole('checkbox').click();
    await rows.nth(4).getByRole('checkbox').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('bulk-bar').getByText(/ticked$/).textContent()).toBe('5 runs ticked');
    await rows.nth(2).click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByTestId('bulk-bar').getByText(/ticked$/).textContent()).toBe('4 runs ticked');
    await page.getByLabel('Tag for the ticked runs').fill('x'.repeat(51));
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => page.getByTestId('bulk-bar').getByRole('alert').textContent()).toBe('A tag is at most 50 characters; this one has 51.');
    await page.getByLabel('Tag for the ticked runs').fill('keep');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => page.getByTestId('bulk-status').textContent()).toBe('Added the tag “keep” to 4 runs.');
    await search.fill('tag:keep');
    await expect.poll(total).toBe('4 matching');

    // the current run shows beside the table, with a link to its page; the split is resized by keyboard
    await rows.first().click();
    const panel = page.getByTestId('run-panel');
    await expect.poll(() => panel.getByRole('heading').textContent()).toMatch(/^Run \d+ · experiment 1$/);
    const panelId = /^Run (\d+)/.exec((await panel.getByRole('heading').textContent()) ?? '')![1];
    expect(await panel.textContent()).toContain('SGD · γ 1 · λ');
    const width = async () => (await page.getByTestId('split-right').boundingBox())!.width;
    const before = await width();
    await page.getByTestId('split-handle').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(width).toBeCloseTo(before + 32, 0);
    // arrows move the current row; Enter opens its page
    await scroller.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => panel.getByRole('heading').textContent()).not.toContain(`Run ${panelId} `);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => panel.getByRole('heading').textContent()).toContain(`Run ${panelId} `);
    await page.screenshot({ path: join(SHOTS, 'history-split.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('location.hash')).toBe(`#/run/${panelId}`);
    await expect.poll(() => page.getByTestId('run-tags').textContent()).toContain('keep');
    await page.goBack();

    // tick every run the search matches and delete them (asked once): to the archive, with Undo
    await expect.poll(total).toBe('4 matching');
    await page.getByTestId('select-all').click();
    await expect.poll(() => page.getByTestId('bulk-bar').getByText(/ticked$/).textContent()).toBe('4 runs ticked');
    expect(await page.getByTestId('bulk-compare').getAttribute('href')).toMatch(/^#\/compare\?runs=\d+,\d+,\d+,\d+$/);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('Delete 4 runs?');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByTestId('bulk-status').textContent()).toBe('Moved 4 runs to the archive (restorable for 30 days).');
    await expect.poll(total).toBe('0 matching');
    expect((await mode.wb.api.call('runs/page', {})).total).toBe(9_996);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByTestId('bulk-status').textContent()).toBe('Restored 4 runs from the archive.');
    await expect.poll(total).toBe('4 matching');
    await page.getByTestId('select-all').click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(total).toBe('0 matching');

    // the archive: the same table, restore one, delete the rest for good
    await expect.poll(() => page.getByTestId('archive-toggle').textContent()).toContain('Archive (4)');
    await page.getByTestId('archive-toggle').click();
    await expect.poll(total).toBe('4 matching');
    expect(await header('Deleted for good').count()).toBe(1);
    await rows.first().getByRole('checkbox').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(total).toBe('3 matching');
    await page.getByTestId('select-all').click();
    await page.getByRole('button', { name: 'Delete for good…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => page.getByTestId('bulk-status').textContent()).toBe('Deleted 3 runs for good.');
    await expect.poll(total).toBe('0 matching');
    await page.getByTestId('archive-toggle').click();
    await expect.poll(total).toBe('1 matching');
    expect((await mode.wb.api.call('runs/page', {})).total).toBe(9_997);

    await search.fill('');
    await expect.poll(total).toBe('9,997 matching');
    await page.getByRole('button', { name: 'Delete experiment ten thousand' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect((await mode.wb.api.call('experiments/list', {})).length).toBe(1);
    await page.getByRole('button', { name: 'Delete experiment ten thousand' }).click();
    expect(await page.getByRole('dialog').textContent()).toContain('and its 9,997 runs move to the archive with their metrics and models');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(total).toBe('0 matching');
    expect(await mode.wb.api.call('experiments/list', {})).toEqual([]);
    // nothing is lost: its runs wait in the archive (emptied above), restorable
    await page.getByTestId('archive-toggle').click();
    await expect.poll(total).toBe('9,997 matching');
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
