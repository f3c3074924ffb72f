// The desktop layout (a sidebar with the places and the live queue count, content as wide as the
// window, dense tables) and the keyboard (single-key shortcuts, the `?` sheet), in Chromium.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('layout');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(20, 20)) });
  await mode.wb.api.call('experiments/create', { spec: { name: 'done', base: { epochs: 1, hidden: [4] }, repeats: 2 } });
  await mode.wb.runner.whenIdle();
  await mode.wb.api.call('queue/pause', {});
  await mode.wb.api.call('experiments/create', { spec: { name: 'waiting', base: { epochs: 1, hidden: [4] }, repeats: 3 } });
});
afterAll(() => mode?.close());

async function open(width: number, height: number, hash = '#/overview'): Promise<Page> {
  const page = await mode.browser.newPage({ viewport: { width, height } });
  await page.goto(mode.server.url);
  await page.evaluate(`location.hash = "${hash}"`);
  return page;
}
const hash = (page: Page) => page.evaluate('location.hash');
/** What has the keyboard focus (the test code runs in the page, written as text: this file has no DOM types). */
const active = (page: Page) =>
  page.evaluate(`(() => {
    const e = document.activeElement;
    return { tag: e?.tagName ?? '', text: e?.textContent?.trim() ?? '', inDialog: !!e?.closest('dialog'), value: e?.value ?? null };
  })()`) as Promise<{ tag: string; text: string; inDialog: boolean; value: string | null }>;
/** A computed style of the element a locator finds. */
const style = (locator: ReturnType<Page['locator']>, property: string): Promise<string> =>
  locator.evaluate((el, p) => el.ownerDocument.defaultView!.getComputedStyle(el).getPropertyValue(p), property);

describe.skipIf(E2E_SKIP !== null)('desktop layout and keyboard in Chromium', () => {
  it('puts the places in a left sidebar with a live queue count; the content takes the rest of a wide window; tables are dense', async () => {
    const page = await open(1440, 900);
    const nav = page.getByRole('navigation', { name: 'Views' });
    const count = page.getByTestId('sidebar-queue-count');
    await expect.poll(() => count.textContent()).toBe('0 running · 3 queued · paused');
    // the link keeps its name; the count is its description
    expect(await nav.getByRole('link', { name: 'Queue', exact: true }).getAttribute('aria-describedby')).toBe('sidebar-queue-count');

    const side = (await page.locator('aside.sidebar').boundingBox())!;
    expect(side.x).toBe(0);
    expect(side.width).toBeGreaterThanOrEqual(200);
    expect(side.width).toBeLessThanOrEqual(220);
    expect(side.height).toBeGreaterThanOrEqual(880);
    const main = (await page.locator('main').boundingBox())!;
    expect(main.x).toBeGreaterThanOrEqual(side.x + side.width);
    expect(main.width).toBeGreaterThan(1440 - 220 - 80); // no 900-px column on a 1440-px screen
    await page.screenshot({ path: join(SHOTS, 'layout-sidebar-1440.png') });

    // live: runs queued elsewhere (the CLI, another window) show up without a reload or an event
    await mode.wb.api.call('experiments/create', { spec: { name: 'more', base: { epochs: 1, hidden: [4] }, repeats: 2 } });
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('0 running · 5 queued · paused');

    // dense tables: 28–32 px rows, a sticky header, numbers right-aligned in tabular figures
    await page.evaluate('location.hash = "#/queue"');
    const queued = page.getByTestId('queued');
    await expect.poll(() => queued.locator('tbody tr').count()).toBe(5);
    const row = (await queued.locator('tbody tr').first().boundingBox())!;
    expect(row.height).toBeGreaterThanOrEqual(28);
    expect(row.height).toBeLessThanOrEqual(32);
    expect(await style(queued.locator('thead th').first(), 'position')).toBe('sticky');
    const cell = page.getByTestId('recent').locator('td.num').first();
    expect([await style(cell, 'text-align'), await style(cell, 'font-variant-numeric')]).toEqual(['right', 'tabular-nums']);

    // a narrower window keeps the sidebar and gives the content the rest
    const small = await open(1024, 768);
    await expect.poll(() => small.getByTestId('sidebar-queue-count').textContent()).toContain('queued');
    const smallMain = (await small.locator('main').boundingBox())!;
    expect(smallMain.width).toBeGreaterThan(1024 - 220 - 80);
    await small.screenshot({ path: join(SHOTS, 'layout-sidebar-1024.png') });
  });

  it('opens the shortcut sheet on ?, traps focus in it, closes on Escape with focus back; single keys move between views, never while typing', async () => {
    const page = await open(1280, 800);
    const historyLink = page.getByRole('navigation').getByRole('link', { name: 'History' });
    await historyLink.focus();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => sheet.isVisible()).toBe(true);
    expect(await sheet.textContent()).toContain('Go to Queue');
    expect((await active(page)).inDialog).toBe(true);
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect((await active(page)).inDialog).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect((await active(page)).inDialog).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'shortcut-sheet.png') });
    // keys pressed while the sheet is open do not navigate behind it
    await page.keyboard.press('q');
    expect(await hash(page)).toBe('#/overview');
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.count()).toBe(0);
    expect(await active(page)).toMatchObject({ tag: 'A', text: expect.stringContaining('History') });

    await page.keyboard.press('q');
    await expect.poll(() => hash(page)).toBe('#/queue');
    await expect.poll(() => page.getByRole('heading', { name: 'Queue', exact: true }).count()).toBe(1);
    await page.keyboard.press('c');
    await expect.poll(() => hash(page)).toBe('#/compare');
    await page.keyboard.press('o');
    await expect.poll(() => hash(page)).toBe('#/overview');

    // n opens the form; letters typed into its fields stay there
    await page.keyboard.press('n');
    await expect.poll(() => hash(page)).toBe('#/new');
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('');
    await name.focus();
    await page.keyboard.type('qhc?/');
    expect(await name.inputValue()).toBe('qhc?/');
    expect(await hash(page)).toBe('#/new');
    expect(await sheet.count()).toBe(0);
    await page.locator('#f-optimizer').focus();
    await page.keyboard.press('h'); // a select takes letters to pick an option
    expect(await hash(page)).toBe('#/new');

    // / focuses the search field of a view that has one (History), without typing the slash
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('h');
    await expect.poll(() => hash(page)).toBe('#/history');
    await expect.poll(() => page.getByTestId('run-total').textContent()).toMatch(/matching/);
    await page.keyboard.press('/');
    await expect.poll(async () => (await active(page)).tag).toBe('INPUT');
    expect((await active(page)).value).toBe('');
  });
});
