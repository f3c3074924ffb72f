import { existsSync } from 'node:fs';
import { AppError } from '../../src-shared/errors';
import { CHROMIUM_PATH, launchChromium } from './chromium';

/**
 * Renders an SVG to PNG at `scale`× in headless Chromium (Debian's package, or CHROMIUM_PATH), so the
 * CLI's PNGs are the same pixels the app's export produces. Used only by `workbench export png`.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  if (!existsSync(CHROMIUM_PATH)) throw new AppError('VALIDATION', `PNG export needs Chromium (${CHROMIUM_PATH} not found): apt-get install -y chromium, set CHROMIUM_PATH, or export svg instead`);
  await import('playwright-core').catch(() => {
    throw new AppError('VALIDATION', 'PNG export needs the playwright-core package (npm install); or export svg instead');
  });
  const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 800);
  const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 500);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.locator('svg').screenshot({ type: 'png' });
  } finally {
    await browser.close();
  }
}
