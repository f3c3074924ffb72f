// An axe-core scan of every view (issue 15): Overview, Dataset, New experiment, Queue with a run training,
// History, a run's page, Compare with 12 and 60 groups and the `?` shortcut sheet, in the light and the dark
// theme. Serious and critical violations fail the test; the others are printed.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_SKIP, startBrowserMode, type BrowserMode } from '../helpers/browserMode';
import { seedViewTour, viewTour, visit, type TourData } from '../helpers/viewTour';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeNode { target: unknown[]; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; nodes: AxeNode[] }

let mode: BrowserMode;
let data: TourData;
beforeAll(async () => {
  if (E2E_SKIP !== null) return;
  mode = await startBrowserMode('a11y');
  data = await seedViewTour(mode.wb, mode.root);
}, 240_000);
afterAll(() => mode?.close());

/** axe-core's violations on the page as it is now (WCAG 2.x A and AA rules and best practices). */
async function scan(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as { violations: AxeViolation[] };
  return result.violations;
}

function describeViolation(where: string, v: AxeViolation): string {
  const nodes = v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`);
  return [`${where}: [${v.impact}] ${v.id} — ${v.help} (${v.nodes.length} elements)`, ...nodes].join('\n');
}

describe.skipIf(E2E_SKIP !== null)('accessibility of every view (axe-core) in Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`has no serious or critical violation in the ${scheme} theme`, async () => {
      // the app's CSP (script-src 'self') would refuse the injected axe-core script tag
      const page = await mode.browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, bypassCSP: true });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(mode.server.url);
      expect(await page.evaluate(`matchMedia('(prefers-color-scheme: dark)').matches`)).toBe(scheme === 'dark');
      const blocking: string[] = [];
      const minor: string[] = [];
      let scanned = 0;
      for (const stop of viewTour(mode.wb, data)) {
        await stop.before?.();
        try {
          await visit(page, stop);
          for (const v of await scan(page)) {
            const text = describeViolation(`${stop.name} (${scheme})`, v);
            (v.impact === 'serious' || v.impact === 'critical' ? blocking : minor).push(text);
          }
          scanned++;
        } finally {
          await stop.after?.(page);
        }
      }
      if (minor.length) console.log(`axe-core, moderate and minor (${scheme}):\n${minor.join('\n')}`);
      if (blocking.length) console.log(`axe-core, serious and critical (${scheme}):\n${blocking.join('\n')}`);
      expect(scanned).toBe(9);
      expect(blocking).toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();
    }, 300_000);
  }
});
