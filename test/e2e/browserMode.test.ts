import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench, type Workbench } from '../../src-main/api/openWorkbench';
import { startHttpServer } from '../../src-main/serve/httpServer';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

// Drives the real renderer in Debian's Chromium against browser mode (`workbench serve`), with a
// real dataset cache, database and worker threads behind the API.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = mkdtempSync(join(tmpdir(), 'e2e-'));
const shots = join(import.meta.dirname, '../../test-results');
let wb: Workbench;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(shots, { recursive: true });
  wb = openWorkbench(join(root, 'home'), { workers: 1 });
  server = await startHttpServer({ api: wb.api, staticDir: join(import.meta.dirname, '../../out/renderer') });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await wb?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('browser mode in Chromium', () => {
  it('shows the dataset, the queue and an experiment run through the API', async () => {
    await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(30, 30)) });
    const created = await wb.api.call('experiments/create', { spec: { name: 'e2e sweep', base: { epochs: 2, hidden: [8] }, repeats: 2 } });
    await wb.runner.whenIdle();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('dataset-state').textContent()).toContain('ready — unofficial copy');
    await expect.poll(() => page.getByTestId('experiments').textContent()).toContain('e2e sweep — 2 runs');
    expect(await page.getByTestId('queue-state').textContent()).toContain('0 running · 0 queued');
    await page.screenshot({ path: join(shots, 'browser-mode-status.png') });
    expect(created.count).toBe(2);
    expect(failed).toEqual([]);
  });

  it('without the token the page cannot reach the API', async () => {
    const page = await browser.newPage();
    await page.goto(server.url.split('#')[0]);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Missing or wrong token');
  });
});
