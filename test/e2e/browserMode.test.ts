// Drives the real renderer in Debian's Chromium against browser mode (`workbench serve`), with a
// real dataset cache, database and worker threads behind the API.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('status');
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('browser mode in Chromium', () => {
  it('shows the dataset, the queue and an experiment run through the API', async () => {
    await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(30, 30)) });
    const created = await mode.wb.api.call('experiments/create', { spec: { name: 'e2e sweep', base: { epochs: 2, hidden: [8] }, repeats: 2 } });
    await mode.wb.runner.whenIdle();
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(mode.server.url);
    await expect.poll(() => page.getByTestId('dataset-state').textContent()).toContain('ready — unofficial copy');
    await expect.poll(() => page.getByTestId('experiments').textContent()).toContain('e2e sweep — 2 runs');
    expect(await page.getByTestId('queue-state').textContent()).toContain('0 running · 0 queued');
    await page.screenshot({ path: join(SHOTS, 'browser-mode-status.png') });
    expect(created.count).toBe(2);
    expect(failed).toEqual([]);
  });

  it('without the token the page cannot reach the API, and shows only that error', async () => {
    const page = await mode.browser.newPage();
    await page.goto(mode.server.url.split('#')[0]);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Missing or wrong token');
    // one message that says what to do, not an empty history that invites designing a sweep
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.getByRole('alert').textContent()).toContain('workbench serve');
    const text = await page.locator('body').textContent();
    expect(text).not.toContain('None yet');
    expect(text).not.toContain('Design a sweep');
    await page.evaluate('location.hash = "#/history"');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Missing or wrong token');
    expect(await page.getByRole('heading', { name: 'History' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'browser-mode-wrong-token.png') });
  });
});
