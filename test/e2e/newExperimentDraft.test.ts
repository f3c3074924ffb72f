// The New experiment form's walk-through defects (issue 15: 2, 3 and the form items of 7), in Chromium
// against browser mode with a real workbench behind it.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('new-draft');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(20, 20)) });
  // nothing queued here needs to train: the runs stay queued and are looked at, not waited for
  await mode.wb.api.call('queue/pause', {});
});
afterAll(() => mode?.close());

async function openForm(): Promise<Page> {
  const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(mode.server.url);
  await page.evaluate('location.hash = "#/new"');
  await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('10 runs');
  return page;
}

const experimentNames = async (): Promise<string[]> => (await mode.wb.api.call('experiments/list', {})).map((e) => e.name);

describe.skipIf(E2E_SKIP !== null)('New experiment form: limits, drafts and refusals in Chromium', () => {
  it('caps the log-range count with a message at the field instead of writing a million values', async () => {
    const page = await openForm();
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 range from').fill('0.001');
    await page.getByLabel('Axis 1 range to').fill('1');
    await page.getByLabel('Axis 1 range count').fill('1000000');
    await expect.poll(() => page.getByTestId('range-error-0').textContent()).toBe('a log range has at most 1,000 values (the most an axis may hold); 1,000,000 asked for');
    expect(await page.getByLabel('Axis 1 range count').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Fill' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Axis 1 values').inputValue()).toBe('');
    await page.getByLabel('Axis 1 range count').fill('4');
    await expect.poll(() => page.getByTestId('range-error-0').textContent()).toBe('');
    await page.getByRole('button', { name: 'Fill' }).click();
    await expect.poll(() => page.getByLabel('Axis 1 values').inputValue()).toBe('0.001, 0.01, 0.1, 1');
  });

  it('offers the log-range helper only for numeric axes', async () => {
    const page = await openForm();
    await page.getByRole('button', { name: 'Add axis' }).click();
    expect(await page.getByLabel('Axis 1 range count').count()).toBe(1);
    for (const field of ['optimizer', 'activation', 'schedule', 'hidden']) {
      await page.getByLabel('Axis 1 field').selectOption(field);
      await expect.poll(() => page.getByLabel('Axis 1 range count').count()).toBe(0);
    }
    await page.getByLabel('Axis 1 field').selectOption('l2');
    await expect.poll(() => page.getByLabel('Axis 1 range count').count()).toBe(1);
  });

  it('refuses "0x10" and a value given twice, each at its field', async () => {
    const page = await openForm();
    await page.getByLabel('Batch size', { exact: true }).fill('0x10');
    await expect.poll(() => page.locator('#e-batchSize').textContent()).toContain("'0x10' is not a decimal number");
    expect(await page.getByLabel('Batch size', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Batch size', { exact: true }).fill('16');
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 values').fill('0.1, 0.1');
    await expect.poll(() => page.getByTestId('axis-error-0').textContent()).toBe(
      'Learning rate γ: 0.1 is already value 1 of this axis; each value is run once per repeat, so remove one',
    );
    expect(await page.getByLabel('Axis 1 values').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Queue experiment' }).isDisabled()).toBe(true);
    await page.getByLabel('Axis 1 values').fill('0.1, 0.3');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('20 runs');
  });

  it('over the run limit says the count and the limit at Repeats; above 1,000 runs it asks before queueing', async () => {
    const page = await openForm();
    await page.getByLabel('Name').fill('big sweep');
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 range from').fill('0.001');
    await page.getByLabel('Axis 1 range to').fill('1');
    await page.getByLabel('Axis 1 range count').fill('100');
    await page.getByRole('button', { name: 'Fill' }).click();
    await page.getByLabel('Repeats (seeds)').fill('1000');
    const message = '100 values × 1,000 repeats = 100,000 runs, more than the 10,000 a sweep may hold: use fewer values or repeats';
    await expect.poll(() => page.getByTestId('run-count').textContent()).toBe(message);
    expect(await page.locator('#e-repeats').textContent()).toBe(message);
    expect(await page.getByLabel('Repeats (seeds)').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'new-experiment-over-limit.png'), fullPage: true });

    await page.getByLabel('Repeats (seeds)').fill('20');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('2,000 runs');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Queue 2,000 runs?');
    await page.screenshot({ path: join(SHOTS, 'new-experiment-confirm-large.png') });
    await dialog.getByRole('button', { name: 'Back to the form' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await experimentNames()).not.toContain('big sweep');

    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await dialog.getByRole('button', { name: 'Queue 2,000 runs' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 2,000 runs/);
    const big = (await mode.wb.api.call('experiments/list', {})).find((e) => e.name === 'big sweep')!;
    expect(big.runCount).toBe(2000);
    await mode.wb.api.call('experiments/delete', { id: big.id });
  });

  it('keeps the draft across a reload and navigation, can bring back a draft a preset replaced, and forgets it once queued', async () => {
    const page = await openForm();
    await page.getByLabel('Name').fill('draft sweep');
    await page.getByLabel('Hidden layers', { exact: true }).fill('8');
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Training images', { exact: true }).fill('10');
    await page.getByLabel('Repeats (seeds)').fill('1');
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 field').selectOption('l2');
    await page.getByLabel('Axis 1 values').fill('0, 0.001, abc');
    await page.getByText('Advanced').click();
    await page.getByLabel('Kernels').selectOption('wasm');

    const expectDraft = async (): Promise<void> => {
      await expect.poll(() => page.getByLabel('Name').inputValue()).toBe('draft sweep');
      expect(await page.getByLabel('Hidden layers', { exact: true }).inputValue()).toBe('8');
      expect(await page.getByLabel('Training images', { exact: true }).inputValue()).toBe('10');
      expect(await page.getByLabel('Axis 1 field').inputValue()).toBe('l2');
      // text that does not parse yet is kept as typed
      expect(await page.getByLabel('Axis 1 values').inputValue()).toBe('0, 0.001, abc');
      expect(await page.getByLabel('Kernels').inputValue()).toBe('wasm');
    };
    await page.reload();
    await page.evaluate('location.hash = "#/new"');
    await expectDraft();
    expect(await page.getByTestId('draft-notice').textContent()).toContain('Restored the draft you had not queued');
    await page.evaluate('location.hash = "#/history"');
    await expect.poll(() => page.getByRole('heading', { name: 'History' }).count()).toBe(1);
    await page.evaluate('location.hash = "#/new"');
    await expectDraft();

    // a preset replaces the draft; the draft it replaced can be brought back
    await page.getByLabel('Preset').selectOption('fig1');
    await page.getByRole('button', { name: 'Load preset' }).click();
    await expect.poll(() => page.getByLabel('Name').inputValue()).toBe('Report Fig. 1 — L2');
    await page.getByRole('button', { name: 'Restore the replaced draft' }).click();
    await expectDraft();

    await page.getByLabel('Axis 1 values').fill('0, 0.001');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('2 runs');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 2 runs/);
    await page.reload();
    await page.evaluate('location.hash = "#/new"');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('10 runs');
    expect(await page.getByLabel('Name').inputValue()).toBe('');
    expect(await page.getByTestId('draft-notice').count()).toBe(0);
  });

  it('"See the queue" opens the Queue, whose rows name the non-default fields such as the training-image limit', async () => {
    const page = await openForm();
    await page.getByLabel('Name').fill('limited');
    await page.getByLabel('Hidden layers', { exact: true }).fill('8');
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Training images', { exact: true }).fill('10000');
    await page.getByLabel('Repeats (seeds)').fill('1');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 1 run/);
    await page.getByRole('link', { name: 'See the queue' }).click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/queue');
    await expect.poll(() => page.getByTestId('queued').textContent()).toContain('SGD · γ 0.3 · λ 0 · 8 · 1 epoch · first 10,000 training images · seed 0');
  });
});
