// npm run screenshots [-- <cifar-10-binary.tar.gz>]: the screenshots in docs/screenshots, every view at
// 1440×900 and 1024×768 in the light and the dark theme, taken in browser mode over a fresh temporary home.
// The data is seeded as the e2e tests do (test/helpers/viewTour.ts): the archive given (the real CIFAR-10,
// for real images in the gallery) or a small synthetic one, a sweep trained by the real workers, and
// experiments of 12 and 60 groups for Compare. The Queue is photographed with a run training.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench } from '../src-main/api/openWorkbench';
import { startHttpServer } from '../src-main/serve/httpServer';
import { launchChromium } from '../test/helpers/chromium';
import { seedViewTour, viewTour, visit } from '../test/helpers/viewTour';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

const archive = process.argv[2] ? resolve(process.argv[2]) : undefined;
const out = join(import.meta.dirname, '../docs/screenshots');
mkdirSync(out, { recursive: true });
const root = mkdtempSync(join(tmpdir(), 'screenshots-'));
const wb = openWorkbench(join(root, 'home'), { workers: 2 });
const server = await startHttpServer({ api: wb.api, staticDir: join(import.meta.dirname, '../out/renderer') });
const browser = await launchChromium();
const errors: string[] = [];

/** Waits until every image on the page is decoded and two frames have been drawn. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(`Promise.all([...document.images].map((i) => i.decode().catch(() => undefined)))
    .then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))`);
}

try {
  console.log(archive ? `importing ${archive}` : 'using a synthetic dataset (pass a CIFAR-10 archive for real images)');
  const data = await seedViewTour(wb, root, archive);
  // the old names (one screenshot per view) give way to <view>-<width>x<height>-<scheme>.png
  for (const f of readdirSync(out)) if (f.endsWith('.png')) rmSync(join(out, f));
  for (const size of SIZES) {
    for (const scheme of SCHEMES) {
      const page = await browser.newPage({ viewport: size, colorScheme: scheme, reducedMotion: 'reduce' });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('response', async (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url().replace(/#.*/, '')} ${r.request().postData()?.slice(0, 200) ?? ''}: ${(await r.text().catch(() => '')).slice(0, 300)}`);
      });
      await page.goto(server.url);
      for (const stop of viewTour(wb, data)) {
        await stop.before?.();
        try {
          await visit(page, stop);
          await settled(page);
          const name = `${stop.name}-${size.width}x${size.height}-${scheme}.png`;
          await page.screenshot({ path: join(out, name) });
          console.log(`${name} (${Math.round(statSync(join(out, name)).size / 1024)} KB)`);
        } finally {
          await stop.after?.(page);
        }
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
  await wb.close();
  rmSync(root, { recursive: true, force: true });
}
if (errors.length) {
  console.error('console errors:', errors);
  process.exit(1);
}
