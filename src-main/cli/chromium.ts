import type { Browser } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH: what PNG export, the screenshots and the e2e tests drive. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts headless Chromium with the flags an offline, sandboxed machine needs: without the
 * background-networking ones it keeps trying to reach Google's hosts at every start.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
