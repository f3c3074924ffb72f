// issue 15, item 5: "Run again" created a new experiment ("Run 3 again") instead of a new attempt in
// the run's own experiment with requeued_from set, and the original group still counted the run
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCompare } from '../../src-shared/compareData';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { writeFinishedRuns } from '../helpers/finishedRuns';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('run-again');
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('Run again in Chromium', () => {
  it('queues a new attempt in the same experiment, from the run page and from the History panel; Compare counts the attempt, not the run it repeats', async () => {
    // three seeds already trained (no dataset here: what is queued stays queued): 2 finished, the third failed
    const exp = writeFinishedRuns(mode.wb.store, { name: 'three seeds', learningRates: [0.1], repeats: 3, epochs: 2, accuracy: (run, _g, epoch) => 0.3 + 0.05 * run + 0.01 * epoch, status: (run) => (run === 2 ? 'failed' : 'finished') });
    const [, finished, failed] = mode.wb.store.runIds(exp);
    const page = await mode.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(mode.server.url);
    await page.evaluate(`location.hash = '#/run/${finished}'`);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('finished');

    const runAgain = page.getByRole('button', { name: 'Run again', exact: true });
    await runAgain.click();
    const queued = page.getByRole('status').filter({ hasText: 'Queued as' });
    await expect.poll(() => queued.textContent()).toMatch(new RegExp(`^Queued as run (\\d+) in experiment ${exp}: a new attempt of run ${finished}`));
    const attempt = Number(/Queued as run (\d+)/.exec((await queued.textContent()) ?? '')![1]);
    expect((await mode.wb.api.call('experiments/list', {})).map((e) => e.id)).toEqual([exp]);
    const old = await mode.wb.api.call('runs/get', { id: finished });
    expect(await mode.wb.api.call('runs/get', { id: attempt })).toMatchObject({ experimentId: exp, requeuedFrom: finished, seed: old.seed, configHash: old.configHash, status: 'queued' });
    // the run page says which attempt stands for it now, and does not offer to run it again
    await expect.poll(() => page.getByTestId('run-attempts').textContent()).toContain(`Run again as run ${attempt}`);
    expect(await runAgain.isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'run-again.png') });

    // the History panel runs the failed one again
    await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Search', { exact: true }).fill(`id:${failed}`);
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('1 matching');
    await page.getByTestId('run-row').first().click();
    await expect.poll(() => page.getByTestId('panel-status').textContent()).toBe('failed');
    await page.getByTestId('run-panel').getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => page.getByTestId('run-panel').getByRole('status').textContent()).toMatch(new RegExp(`^Queued as run \\d+ in experiment ${exp}: a new attempt of run ${failed}`));
    const runs = await mode.wb.api.call('runs/list', { experimentId: exp });
    expect(runs.map((r) => [r.status, r.requeuedFrom])).toEqual([['finished', null], ['finished', null], ['failed', null], ['queued', finished], ['queued', failed]]);

    // Compare: the runs re-queued are history, neither averaged nor "not averaged"; the attempts wait
    const [group] = groupCompare(await mode.wb.api.call('experiments/compare', { ids: [exp] }));
    expect(group.included.map((r) => r.id)).toEqual([runs[0].id]);
    expect(group.excluded.map((r) => r.id)).toEqual([attempt, runs[4].id]);
    await page.evaluate(`location.hash = '#/compare/${exp}'`);
    const notAveraged = page.getByTestId('group-stats').locator('tbody tr').first().locator('td').last();
    await expect.poll(() => notAveraged.textContent()).toBe(`run ${attempt} queued, run ${runs[4].id} queued`);
    expect(pageErrors).toEqual([]);
  });
});
