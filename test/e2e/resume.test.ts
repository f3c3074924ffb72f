import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('resume');
}, 120_000);
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('resume and storage in Chromium', () => {
  it('an interrupted run resumes from its checkpoint with one click; an experiment resumes its interrupted runs; the Overview shows disk use and keeps its settings', async () => {
    const { wb } = mode;
    await wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(60, 40)) });
    const epoch = (runId: number, n: number) => new Promise<void>((resolve) => {
      const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.runId === runId && p.metrics.epoch === n && (off(), resolve()));
    });
    // two runs, each stopped after its second epoch (one worker: they train one after the other)
    const second = epoch(1, 2);
    await wb.api.call('experiments/create', { spec: { name: 'stopped', base: { epochs: 30, hidden: [8] }, repeats: 2 } });
    await second;
    const next = epoch(2, 2);
    await wb.runner.forceStop(1);
    await next;
    await wb.runner.forceStop(2);
    await wb.runner.whenIdle();
    const stopped = (await wb.api.call('runs/get', { id: 1 })).epochsDone;

    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    // the served page carries its token in the URL: only the hash changes between views
    await page.goto(mode.server.url);
    await page.evaluate('location.hash = "#/run/1"');
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('interrupted');
    await page.getByTestId('run-resume').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('finished');
    await expect.poll(() => page.getByTestId('run-resumed').textContent()).toContain(`Resumed after epoch ${stopped}`);

    await page.evaluate('location.hash = "#/history"');
    await page.getByTestId('resume-experiment-1').click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Resuming 1 run of stopped/);
    await wb.runner.whenIdle();
    expect((await wb.api.call('runs/get', { id: 2 })).status).toBe('finished');

    await page.evaluate('location.hash = "#/overview"');
    await expect.poll(() => page.getByTestId('disk-usage').textContent()).toMatch(/Models\s*[\d.]+ KB\s*2 files/);
    await page.getByTestId('setting-auto-resume').check();
    await expect.poll(async () => (await wb.api.call('settings/get', {})).autoResume).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('setting-auto-resume').isChecked()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'overview-storage.png'), fullPage: true });
    await page.close();
  }, 300_000);
});
