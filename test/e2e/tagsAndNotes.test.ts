// Tags and notes on a run and an experiment in Chromium: nothing typed is cut or lost (issue 15, item 7).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';

let mode: BrowserMode;
let runId = 0;
let experimentId = 0;
beforeAll(async () => {
  mode = await startBrowserMode('tags-notes');
  // the runs stay queued: tags and notes need no dataset and no training
  await mode.wb.api.call('queue/pause', {});
  const created = await mode.wb.api.call('experiments/create', { spec: { name: 'annotated', base: { epochs: 1, hidden: [8] }, repeats: 1 } });
  experimentId = created.id;
  runId = (await mode.wb.api.call('runs/list', { experimentId }))[0].id;
});
afterAll(() => mode?.close());

async function open(hash: string): Promise<Page> {
  const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(mode.server.url);
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  return page;
}

describe.skipIf(E2E_SKIP !== null)('tags and notes in Chromium', () => {
  it('a tag longer than 50 characters is refused at the field, kept as typed, and nothing is added', async () => {
    const page = await open(`#/run/${runId}`);
    const input = page.getByLabel('Add a tag');
    const long = 'x'.repeat(300);
    await input.fill(long);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.locator('#run-new-tag-error').textContent()).toBe('A tag is at most 50 characters; this one has 300. Shorten it to add it.');
    expect(await input.inputValue()).toBe(long);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect((await mode.wb.api.call('runs/get', { id: runId })).tags).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'tag-too-long.png') });
    await input.fill('baseline');
    await expect.poll(() => page.locator('#run-new-tag-error').textContent()).toBe('');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(async () => (await mode.wb.api.call('runs/get', { id: runId })).tags).toEqual(['baseline']);
  });

  it("a run's unsaved notes survive navigation and a reload, and are gone once saved", async () => {
    const page = await open(`#/run/${runId}`);
    await page.getByLabel('Notes', { exact: true }).fill('half-written thought');
    await page.evaluate('location.hash = "#/history"');
    await expect.poll(() => page.getByRole('heading', { name: 'History' }).count()).toBe(1);
    await page.evaluate(`location.hash = "#/run/${runId}"`);
    await expect.poll(() => page.getByLabel('Notes', { exact: true }).inputValue()).toBe('half-written thought');
    expect(await page.getByTestId('run-notes-draft').textContent()).toContain('Unsaved notes');
    await page.reload();
    await page.evaluate(`location.hash = "#/run/${runId}"`);
    await expect.poll(() => page.getByLabel('Notes', { exact: true }).inputValue()).toBe('half-written thought');

    await page.getByRole('button', { name: 'Save notes' }).click();
    await expect.poll(async () => (await mode.wb.api.call('runs/get', { id: runId })).notes).toBe('half-written thought');
    await expect.poll(() => page.getByTestId('run-notes-draft').count()).toBe(0);
    // saved elsewhere meanwhile: the page shows the stored notes, no stale draft
    await mode.wb.api.call('runs/annotate', { id: runId, notes: 'edited by the CLI' });
    await page.reload();
    await page.evaluate(`location.hash = "#/run/${runId}"`);
    await expect.poll(() => page.getByLabel('Notes', { exact: true }).inputValue()).toBe('edited by the CLI');
  });

  it('unsaved notes can be discarded, back to what is stored', async () => {
    await mode.wb.api.call('runs/annotate', { id: runId, notes: 'edited by the CLI' });
    const page = await open(`#/run/${runId}`);
    await expect.poll(() => page.getByLabel('Notes', { exact: true }).inputValue()).toBe('edited by the CLI');
    await page.getByLabel('Notes', { exact: true }).fill('not wanted');
    await page.evaluate('location.hash = "#/overview"');
    await page.evaluate(`location.hash = "#/run/${runId}"`);
    await expect.poll(() => page.getByLabel('Notes', { exact: true }).inputValue()).toBe('not wanted');
    await page.getByRole('button', { name: 'Discard unsaved notes' }).click();
    await expect.poll(() => page.getByLabel('Notes', { exact: true }).inputValue()).toBe('edited by the CLI');
    await page.reload();
    await page.evaluate(`location.hash = "#/run/${runId}"`);
    await expect.poll(() => page.getByLabel('Notes', { exact: true }).inputValue()).toBe('edited by the CLI');
  });

  it("an experiment's unsaved notes on the Overview survive navigation", async () => {
    const page = await open('#/overview');
    const item = page.getByTestId(`experiment-${experimentId}`);
    await item.getByText('Tags and notes').click();
    await item.getByLabel('Notes', { exact: true }).fill('why this sweep');
    await page.evaluate('location.hash = "#/queue"');
    await expect.poll(() => page.getByRole('heading', { name: 'Queue', exact: true }).count()).toBe(1);
    await page.evaluate('location.hash = "#/overview"');
    await expect.poll(() => item.locator('summary').textContent()).toBe('Tags and notes (unsaved notes)');
    await item.getByText('Tags and notes').click();
    await expect.poll(() => item.getByLabel('Notes', { exact: true }).inputValue()).toBe('why this sweep');
  });
});
