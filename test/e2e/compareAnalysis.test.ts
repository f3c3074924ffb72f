import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

// issue 14's analysis views: parallel coordinates brushing the table, hand-picked runs, the state in the URL
let mode: BrowserMode;
let experimentId: number;
/** γ × batch size, one run each: a second swept field to colour the scatter by. */
let twoFieldsId: number;
const runsByRate = new Map<number, number[]>();
beforeAll(async () => {
  mode = await startBrowserMode('compare-analysis');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(60, 60)) });
  ({ id: experimentId } = await mode.wb.api.call('experiments/create', {
    spec: { name: 'lr decades', base: { epochs: 2, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.001, 0.01, 0.1] }], repeats: 2 },
  }));
  ({ id: twoFieldsId } = await mode.wb.api.call('experiments/create', {
    spec: { name: 'lr by batch', base: { epochs: 1, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.01, 0.1] }, { field: 'batchSize', values: [16, 32] }], repeats: 1 },
  }));
  await mode.wb.runner.whenIdle();
  for (const r of await mode.wb.api.call('runs/list', { experimentId: twoFieldsId })) expect(r.status).toBe('finished');
  for (const r of await mode.wb.api.call('runs/list', { experimentId })) {
    expect(r.status).toBe('finished');
    runsByRate.set(r.config.learningRate, [...(runsByRate.get(r.config.learningRate) ?? []), r.id]);
  }
});
afterAll(() => mode?.close());

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await mode.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { page, errors };
}
/** A view's address as shared between the app and browser mode, with this server's token (which the page then keeps out of the address). */
const at = (view: string): string => `${mode.server.url.split('#')[0]}${view}${view.includes('?') ? '&' : '?'}token=${mode.server.token}`;
const tableRows = (page: Page) => page.getByTestId('analysis-table').locator('tbody tr');
/** Clicks an export button and reads the file it downloads (kept in test-results to look at). */
async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [file]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  const saved = join(SHOTS, `export-${file.suggestedFilename().replace(/^experiment-\d+-/, '')}`);
  await file.saveAs(saved);
  return { name: file.suggestedFilename(), bytes: readFileSync(saved) };
}
/** The little of the DOM that parseSvg uses (the tests are typed without the DOM library). */
interface XmlEl { localName: string; namespaceURI: string | null; textContent: string | null; getAttribute(name: string): string | null }
interface XmlDoc { documentElement: XmlEl; querySelector(sel: string): XmlEl | null; querySelectorAll(sel: string): Iterable<XmlEl> & { length: number } }
/** An exported SVG as Chromium's XML parser reads it (a file with an error has a parsererror). */
function parseSvg(page: Page, text: string) {
  return page.evaluate((t) => {
    const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(text: string, type: string): XmlDoc } };
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const svg = doc.documentElement;
    const texts = [...doc.querySelectorAll('text')].map((x) => x.textContent ?? '');
    const count = (sel: string): number => doc.querySelectorAll(sel).length;
    return {
      ok: !doc.querySelector('parsererror') && svg.localName === 'svg', xmlns: svg.namespaceURI, width: Number(svg.getAttribute('width')), height: Number(svg.getAttribute('height')),
      background: doc.querySelector('rect')?.getAttribute('fill'), texts, points: count('circle.point'), kept: count('path.pc-line.kept'), dropped: count('path.pc-line.dropped'),
      tickSizes: [...doc.querySelectorAll('text')].filter((x) => x.getAttribute('font-size') === '11').length, legend: [...doc.querySelectorAll('.legend text')].map((x) => x.textContent ?? ''),
    };
  }, text);
}
/** A PNG's size from its IHDR chunk (after the 8-byte signature, the chunk's length and type). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
const hash = (page: Page): Promise<string> => page.evaluate(() => decodeURIComponent((globalThis as unknown as { location: { hash: string } }).location.hash));

describe.skipIf(E2E_SKIP !== null)('Compare analysis views in Chromium', () => {
  it('brushes the parallel coordinates and the runs table follows; the brush survives a reload and clears from the keyboard', async () => {
    const { page, errors } = await openPage();
    await page.goto(at(`#/compare/${experimentId}`));
    const plot = page.getByTestId('parallel-coords');
    await expect.poll(() => plot.locator('path.pc-line.kept').count()).toBe(6);
    expect(await tableRows(page).count()).toBe(6);
    // learning rate spans two decades: a log axis, 0.1 at its top
    expect(await plot.textContent()).toContain('Learning rate γ (log)');

    const axis = page.getByTestId('axis-learningRate');
    await axis.scrollIntoViewIfNeeded();
    const box = (await axis.boundingBox())!;
    // from just past the axis top (its highest value, 0.1) down to below 0.1 and above 0.01
    await page.mouse.move(box.x + box.width / 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.3, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => tableRows(page).count()).toBe(2);
    expect(await plot.locator('path.pc-line.kept').count()).toBe(2);
    expect(await plot.locator('path.pc-line.dropped').count()).toBe(4);
    const ids = (await tableRows(page).locator('td:first-child').allTextContents()).map(Number).sort((a, b) => a - b);
    expect(ids).toEqual(runsByRate.get(0.1));
    expect(await page.getByTestId('analysis-table').textContent()).not.toContain('γ 0.01');
    expect(await hash(page)).toMatch(new RegExp(`^#/compare/${experimentId}\\?brush=learningRate:0\\.0\\d+\\.\\.0\\.1$`));
    await page.screenshot({ path: join(SHOTS, 'compare-parallel.png'), fullPage: true });

    await page.reload();
    await expect.poll(() => tableRows(page).count()).toBe(2);
    expect(await page.getByRole('status').filter({ hasText: 'inside' }).textContent()).toContain('2 of 6 inside');

    await page.locator('[data-axis="learningRate"]').focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => tableRows(page).count()).toBe(6);
    expect(await hash(page)).not.toContain('brush=');

    // the same from the keyboard: ↓ lowers the brush's lower edge from the axis top (0.1) past the middle (0.01)
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => tableRows(page).count()).toBe(2);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => tableRows(page).count()).toBe(4);
    await page.keyboard.press('Escape');
    await expect.poll(() => tableRows(page).count()).toBe(6);

    // seed-averaged: one line per configuration
    await page.getByLabel('Parallel coordinates lines').selectOption('configs');
    await expect.poll(() => plot.locator('path.pc-line').count()).toBe(3);
    const scatter = page.getByTestId('param-scatter');
    expect(await scatter.locator('circle.point').count()).toBe(6);
    expect(await scatter.textContent()).toContain('Learning rate γ (log)');
    // the field pickers of the summary plot and the scatter: labels in the user's words, the key as the
    // tooltip, the x field not offered again for the series or the colour
    const scatterX = page.getByLabel('Scatter x field');
    expect(await scatterX.inputValue()).toBe('learningRate');
    expect(await scatterX.locator('option').allTextContents()).toEqual(['Learning rate γ']);
    expect(await scatterX.locator('option').first().getAttribute('title')).toBe('config key: learningRate');
    expect(await page.getByLabel('Scatter colour field').locator('option').allTextContents()).toEqual(['—']);
    expect(await page.getByLabel('Summary x field').inputValue()).toBe('learningRate');
    expect(await page.getByLabel('Summary series field').locator('option').allTextContents()).toEqual(['—']);
    expect(errors).toEqual([]);
  });

  it('exports the scatter (with its colour legend) and the brushed parallel coordinates as light SVG and 2× PNG files, also from the dark theme', async () => {
    const { page, errors } = await openPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(at(`#/compare/${twoFieldsId}`));
    const scatter = page.getByTestId('param-scatter');
    await expect.poll(() => scatter.locator('circle.point').count()).toBe(4);
    await page.getByLabel('Scatter colour field').selectOption('batchSize');
    const legend = page.getByRole('list', { name: 'Colour: Batch size' });
    await expect.poll(async () => (await legend.locator('li').allTextContents()).map((t) => t.trim())).toEqual(['batch 16', 'batch 32']);
    const labels = await scatter.locator('text.title').allTextContents();
    expect(labels).toHaveLength(2);
    expect(labels[0]).toBe('Learning rate γ');

    const svgFile = await download(page, 'Export scatter SVG');
    expect(svgFile.name).toMatch(new RegExp(`^experiment-${twoFieldsId}-\\w+-scatter\\.svg$`));
    const text = svgFile.bytes.toString('utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    const svg = await parseSvg(page, text);
    expect(svg).toMatchObject({ ok: true, xmlns: 'http://www.w3.org/2000/svg', background: '#ffffff', points: 4 });
    for (const label of labels) expect(svg.texts).toContain(label);
    expect(svg.tickSizes).toBeGreaterThan(2);
    expect(svg.legend).toEqual(['Colour: Batch size', 'batch 16', 'batch 32']);
    const png = await download(page, 'Export scatter PNG (2×)');
    expect(png.name).toBe(svgFile.name.replace(/svg$/, 'png'));
    expect(pngSize(png.bytes)).toEqual({ width: 2 * svg.width, height: 2 * svg.height });

    // brushed from the keyboard: γ 0.1 kept (2 lines), γ 0.01 greyed out (2)
    const plot = page.getByTestId('parallel-coords');
    await page.locator('[data-axis="learningRate"]').focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => plot.locator('path.pc-line.kept').count()).toBe(2);
    const axisTitles = await plot.locator('text.axis-title').allTextContents();
    expect(axisTitles).toHaveLength(3);
    const pcFile = await download(page, 'Export parallel coordinates SVG');
    expect(pcFile.name).toMatch(new RegExp(`^experiment-${twoFieldsId}-\\w+-parallel\\.svg$`));
    const pcText = pcFile.bytes.toString('utf8');
    expect(pcText.startsWith('<svg')).toBe(true);
    const pc = await parseSvg(page, pcText);
    expect(pc).toMatchObject({ ok: true, xmlns: 'http://www.w3.org/2000/svg', background: '#ffffff', kept: 2, dropped: 2 });
    for (const title of axisTitles) expect(pc.texts).toContain(title);
    expect(pc.legend).toHaveLength(2);
    expect(pc.legend[0]).toMatch(/^Inside the brushes \(2 of 4\): Learning rate γ: /);
    expect(pc.legend[1]).toBe('Outside the brushes (2)');
    const pcPng = await download(page, 'Export parallel coordinates PNG (2×)');
    expect(pcPng.name).toBe(pcFile.name.replace(/svg$/, 'png'));
    expect(pngSize(pcPng.bytes)).toEqual({ width: 2 * pc.width, height: 2 * pc.height });
    expect(errors).toEqual([]);
  });

  it('compares three hand-picked runs from the URL with bands and statistics, and a reload shows the same view', async () => {
    const { page, errors } = await openPage();
    const [a, b] = runsByRate.get(0.1)!;
    const [c] = runsByRate.get(0.001)!;
    await page.goto(at(`#/compare?runs=${a},${b},${c}`));
    await expect.poll(() => page.getByTestId('picked-runs').textContent()).toContain('3 hand-picked runs');
    const chart = page.getByTestId('compare-chart');
    await expect.poll(() => chart.locator('path.band').count()).toBe(1);
    expect(await chart.locator('path.curve').count()).toBe(2);
    const stats = page.getByTestId('group-stats').locator('tbody tr');
    await expect.poll(() => stats.count()).toBe(2);
    const ns = (await stats.locator('td:nth-child(3)').allTextContents()).sort();
    expect(ns).toEqual(['1', '2']);

    await page.getByLabel('Metric').selectOption('testLoss');
    await page.getByLabel('Band').selectOption('ci95');
    await page.getByRole('group', { name: 'Group by' }).getByLabel('Learning rate γ').uncheck();
    await expect.poll(() => stats.count()).toBe(1);
    await expect.poll(() => hash(page)).toBe(`#/compare?runs=${a},${b},${c}&metric=testLoss&band=ci95&group=`);
    const before = { head: await page.getByTestId('group-stats').locator('thead').textContent(), body: await page.getByTestId('group-stats').locator('tbody').textContent() };
    expect(before.head).toContain('Final mean ▲');

    await page.reload();
    await expect.poll(() => stats.count()).toBe(1);
    expect(await page.getByTestId('group-stats').locator('thead').textContent()).toBe(before.head);
    expect(await page.getByTestId('group-stats').locator('tbody').textContent()).toBe(before.body);
    expect(await page.getByLabel('Metric').inputValue()).toBe('testLoss');
    expect(await page.getByLabel('Band').inputValue()).toBe('ci95');
    expect(await page.getByTestId('picked-runs').textContent()).toContain(`${a}, ${b}, ${c}`);
    expect(await chart.textContent()).toContain('all runs (n=3)');
    expect(errors).toEqual([]);
  });

  it('says which parts of an address it could not use', async () => {
    const { page } = await openPage();
    await page.goto(at(`#/compare?exp=${experimentId}&metric=accuracy&band=ci95`));
    await expect.poll(() => page.getByTestId('ignored').textContent()).toContain('metric=accuracy');
    expect(await page.getByLabel('Band').inputValue()).toBe('ci95');
  });
});
