import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openWorkbench, type Workbench, type WorkbenchOptions } from '../../src-main/api/openWorkbench';
import { startHttpServer } from '../../src-main/serve/httpServer';
import { BROWSER, e2eSkipReason } from './browserDiscovery';
import { launchChromium } from './chromium';

/**
 * Why this file's e2e tests are skipped (no Chromium, Chrome or Edge here, and not CI), or null when
 * they run: `describe.skipIf(E2E_SKIP !== null)`. Printed once per test file that imports it. Under
 * CI=true it is always null, so a missing browser fails the tests with the reason instead.
 */
export const E2E_SKIP = e2eSkipReason(BROWSER, process.env);
if (E2E_SKIP) console.log(`skipped: ${E2E_SKIP}`);

/** Screenshots of the end-to-end tests (a test artifact, not committed). */
export const SHOTS = join(import.meta.dirname, '../../test-results');

export interface BrowserMode {
  root: string;
  wb: Workbench;
  server: Awaited<ReturnType<typeof startHttpServer>>;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Browser mode as `workbench serve` runs it (real dataset cache, database and worker threads in a
 * temporary home, the built renderer over HTTP) and the installed Chromium, Chrome or Edge to drive it
 * (browserDiscovery); with `redis`, runs train on worker processes behind that queue, as
 * `workbench serve --redis` does. Throws why when there is no browser, before anything is started.
 */
export async function startBrowserMode(name: string, options: Pick<WorkbenchOptions, 'redis'> = {}): Promise<BrowserMode> {
  if (BROWSER.missing !== null) throw new Error(`the e2e tests need a browser: ${BROWSER.missing}`);
  mkdirSync(SHOTS, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
  const wb = openWorkbench(join(root, 'home'), { workers: 1, ...options });
  const server = await startHttpServer({ api: wb.api, staticDir: join(import.meta.dirname, '../../out/renderer') });
  const browser = await launchChromium();
  return {
    root,
    wb,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await wb.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
