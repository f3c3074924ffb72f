import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openWorkbench, type Workbench, type WorkbenchOptions } from '../../src-main/api/openWorkbench';
import { CHROMIUM_PATH, launchChromium } from '../../src-main/cli/chromium';
import { startHttpServer } from '../../src-main/serve/httpServer';

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
 * temporary home, the built renderer over HTTP) and Debian's Chromium to drive it; with `redis`, runs
 * train on worker processes behind that queue, as `workbench serve --redis` does.
 */
export async function startBrowserMode(name: string, options: Pick<WorkbenchOptions, 'redis'> = {}): Promise<BrowserMode> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
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
