// npm run screenshots -- <home>: the screenshots in docs/screenshots, taken in browser mode over a home
// folder that holds the CIFAR-10 cache and the report's preset experiments (see docs/report-reproduction.md).
// For the Queue view it queues a short sweep of the report defaults, photographs it running, then cancels
// and deletes it, so the home is left with the experiments it had.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench } from '../src-main/api/openWorkbench';
import { startHttpServer } from '../src-main/serve/httpServer';
import { launchChromium } from '../test/helpers/chromium';

const home = process.argv[2];
if (!home) {
  console.error('usage: npm run screenshots -- <home with the dataset and the preset experiments>');
  process.exit(2);
}
const out = join(import.meta.dirname, '../docs/screenshots');
mkdirSync(out, { recursive: true });
const wb = openWorkbench(home, { workers: 2 });
const server = await startHttpServer({ api: wb.api, staticDir: join(import.meta.dirname, '../out/renderer') });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

async function shot(hash: string, name: string, ready: (p: Page) => Promise<unknown>): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await ready(page);
  await page.waitForTimeout(600); // chart.js animations and images settle
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  console.log(`${name}.png`);
}

const experiments = await wb.api.call('experiments/list', {});
const fig = (n: string) => experiments.find((e) => e.name.startsWith(`Report Fig. ${n}`));
const fig1 = fig('1');
const fig2 = fig('2');
if (!fig1 || !fig2) throw new Error('the home needs the report presets of Fig. 1 and Fig. 2 (see docs/report-reproduction.md)');
const [firstRun] = await wb.api.call('runs/list', { experimentId: fig1.id, status: 'finished' });

await page.goto(server.url);
await shot('#/overview', 'overview', (p) => p.getByTestId('experiments').waitFor());
await shot('#/dataset', 'dataset', (p) => p.getByTestId('gallery').locator('img').first().waitFor());
await shot('#/new', 'new-experiment', async (p) => {
  await p.getByTestId('run-count').waitFor();
  await p.locator('#preset').selectOption('fig2');
  await p.getByRole('button', { name: 'Load preset' }).click();
});
await shot('#/history', 'history', (p) => p.getByTestId('run-row').first().locator('span').first().waitFor());
await shot(`#/run/${firstRun.id}`, 'run-detail', (p) => p.getByTestId('confusion').waitFor());
await shot(`#/compare/${fig2.id}`, 'compare', (p) => p.getByTestId('avg-confusion').waitFor({ timeout: 60_000 }));

const queued = await wb.api.call('experiments/create', { spec: { name: 'Screenshot: report defaults', base: { epochs: 8 }, repeats: 2 } });
await wb.api.call('queue/resume', {});
await shot('#/queue', 'queue', (p) => p.getByText('epoch 4 / 8').first().waitFor({ timeout: 120_000 }));
await wb.api.call('experiments/cancel', { id: queued.id });
await wb.runner.whenIdle();
await wb.api.call('experiments/delete', { id: queued.id });

await browser.close();
await server.close();
await wb.close();
if (errors.length) {
  console.error('console errors:', errors);
  process.exit(1);
}
