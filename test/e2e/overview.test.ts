import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelReport } from '../../src-main/engine/index';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('overview');
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('Overview in Chromium', () => {
  it('asks for a dataset first, then lists experiments with their run states, tags and notes, and opens one in Compare', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.goto(mode.server.url);
    await expect.poll(() => page.getByTestId('dataset-state').textContent()).toBe('absent');
    expect(await page.getByRole('link', { name: 'Download or import CIFAR-10' }).getAttribute('href')).toBe('#/dataset');
    await expect.poll(() => page.getByTestId('kernel-line').textContent()).toContain(`Kernels: ${kernelReport().auto} (`);
    expect(await page.getByTestId('experiments').textContent()).toContain('None yet.');

    await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(30, 30)) });
    const older = await mode.wb.api.call('experiments/create', { spec: { name: 'older sweep', base: { epochs: 1, hidden: [8] }, repeats: 2 } });
    await mode.wb.runner.whenIdle();
    await mode.wb.api.call('queue/pause', {});
    const newer = await mode.wb.api.call('experiments/create', { spec: { name: 'newer sweep', base: { epochs: 1, hidden: [8] }, repeats: 1 } });
    await page.reload();
    const item = page.getByTestId(`experiment-${older.id}`);
    await expect.poll(() => item.textContent()).toContain('older sweep — 2 runs');
    expect(await item.textContent()).toContain('2 finished');
    expect(await page.getByTestId(`experiment-${newer.id}`).textContent()).toContain('1 queued');

    await item.getByText('Tags and notes').click();
    await item.getByLabel('Add a tag').fill('baseline');
    await item.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => item.getByTestId(`experiment-${older.id}-tags`).textContent()).toContain('baseline');
    await item.getByLabel('Notes', { exact: true }).fill('report defaults, two seeds');
    await item.getByRole('button', { name: 'Save notes' }).click();
    await expect.poll(() => item.getByRole('status').textContent()).toBe('Notes saved.');
    expect(await page.getByTestId(`experiment-${newer.id}-tags`).textContent()).toContain('No tags.');
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });

    // saved in the database, and shown again after a reload
    expect(await mode.wb.api.call('experiments/get', { id: older.id })).toMatchObject({ tags: ['baseline'], notes: 'report defaults, two seeds' });
    await page.reload();
    await expect.poll(() => item.textContent()).toContain('Tags: baseline');
    expect(await item.textContent()).toContain('(has notes)');

    // the experiment's Runs link opens History filtered to it
    await item.getByRole('link', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('2 matching');
    expect(page.url()).toContain(`#/history/${older.id}`);
    await page.goBack();

    // the experiment's Compare link opens that experiment, not the newest one
    await item.getByRole('link', { name: 'Compare' }).click();
    await expect.poll(() => page.getByLabel('Experiment', { exact: true }).inputValue()).toBe(String(older.id));
    expect(page.url()).toContain(`#/compare/${older.id}`);
    expect(pageErrors).toEqual([]);
  });
});
