import type { Browser } from 'playwright-core';
import { BROWSER } from './browserDiscovery';

/**
 * Starts the browser found by browserDiscovery (Chromium, Chrome or Edge; CHROMIUM_PATH overrides)
 * headless, with the flags an offline, sandboxed machine needs: without the background-networking
 * ones it keeps trying to reach Google's hosts at every start. Throws the reason when there is none.
 * Used by the e2e tests and the screenshots script; the app itself never starts a browser.
 */
export async function launchChromium(): Promise<Browser> {
  if (BROWSER.missing !== null) throw new Error(`e2e tests and screenshots need a browser: ${BROWSER.missing}`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: BROWSER.path,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
