import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreFailureEvent } from '../../src-shared/runs';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('store-full');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(40, 40)) });
});
afterAll(() => mode?.close());

const VIEWS = ['Overview', 'Dataset', 'New experiment', 'Queue', 'History', 'Compare'];

describe.skipIf(E2E_SKIP !== null)('a database that runs out of pages while a run trains, in Chromium', () => {
  it('shows a banner saying so on every view, also in a window opened afterwards; resuming clears it', async () => {
    const { api, store, runner } = mode.wb;
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(mode.server.url);
    await expect.poll(() => page.getByRole('navigation').getByRole('link', { name: 'Queue' }).isVisible()).toBe(true);
    expect(await page.getByTestId('store-failure').count()).toBe(0);

    // after the first committed epoch, the database may grow no more: a later commit gets a real SQLITE_FULL
    let capped = false;
    const failed = new Promise<StoreFailureEvent>((resolve) => {
      api.subscribe((event, p) => {
        if (event === 'run/epoch' && !capped) {
          capped = true;
          store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
        }
        if (event === 'store/failure') resolve(p);
      });
    });
    const created = await api.call('experiments/create', { spec: { name: 'fills the disk', base: { epochs: 10000, hidden: [8], learningRate: 0.1 }, repeats: 2 } });
    const failure = await failed;
    expect(failure).toMatchObject({ kind: 'full', runId: expect.any(Number), experimentId: created.id });

    // the window that was open hears it at once
    const banner = page.getByTestId('store-failure');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.getAttribute('role')).toBe('alert');
    const text = await banner.textContent();
    expect(text).toContain('Could not save to the database.');
    expect(text).toContain('The disk or the database is full');
    expect(text).toContain(`Run ${failure.runId} was stopped and marked interrupted`);
    expect(text).toContain('Free some disk space, then resume the queue.');
    for (const view of VIEWS) {
      await page.getByRole('navigation').getByRole('link', { name: view, exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).first().isVisible()).toBe(true);
      expect(await banner.isVisible()).toBe(true);
    }
    await page.goto(`${new URL(mode.server.url).origin}/#/run/${failure.runId}`);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('interrupted');
    expect(await banner.textContent()).toContain('The disk or the database is full');
    await page.screenshot({ path: join(SHOTS, 'store-failure-banner.png'), fullPage: true });

    // a window opened after the event learns it from the queue status
    const later = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await later.goto(mode.server.url);
    await expect.poll(() => later.getByTestId('store-failure').textContent()).toContain('The disk or the database is full');

    // space again: resuming from the banner clears it everywhere and the queue runs the next run
    store.db.pragma('max_page_count = 1073741823');
    await later.getByTestId('store-failure').getByRole('button', { name: 'Resume queue' }).click();
    await expect.poll(() => later.getByTestId('store-failure').count()).toBe(0);
    await expect.poll(() => page.getByTestId('store-failure').count(), { timeout: 20_000 }).toBe(0);
    expect((await api.call('queue/status', {})).storeFailure).toBeNull();
    runner.pause();
    runner.cancelExperiment(created.id);
    await runner.whenIdle();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
