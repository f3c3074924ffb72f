import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Workbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from './cifarFixture';
import { writeFinishedRuns } from './finishedRuns';

/** What seedViewTour wrote: the experiments and the run each stop of the tour opens. */
export interface TourData {
  /** An experiment trained for real by the workers (2 learning rates × 2 seeds). */
  trained: number;
  /** A finished run of it, with its confusion matrix and first-layer weights. */
  run: number;
  /** Experiments of 12 and 60 groups (finished runs written through the store, no training). */
  groups12: number;
  groups60: number;
}

/**
 * Fills a fresh workbench with what every view needs to show something real: a dataset (a CIFAR-10
 * archive when given, else the small synthetic one of the tests), a sweep trained by the real workers,
 * and two experiments with 12 and 60 groups for Compare. Waits for the trained runs to finish and leaves
 * the queue empty and running.
 */
export async function seedViewTour(wb: Workbench, root: string, cifarArchive?: string): Promise<TourData> {
  const archive = cifarArchive ?? writeCifarTarGz(join(root, 'cifar.tar.gz'), cifarMembers(60, 60));
  await wb.api.call('data/import', { path: archive });
  const base = { epochs: 4, hidden: [16], trainLimit: cifarArchive ? 2000 : 0 };
  const trained = await wb.api.call('experiments/create', {
    spec: { name: 'Learning rate γ, two seeds', base, axes: [{ field: 'learningRate', values: [0.01, 0.05] }], repeats: 2 },
  });
  await wb.runner.whenIdle();
  const [run] = await wb.api.call('runs/list', { experimentId: trained.id, status: 'finished' });
  if (!run) throw new Error('the seeded sweep finished no run');
  // curves that rise and level off, each group to its own height, seeds a little apart
  const curve = (groups: number) => (r: number, g: number, epoch: number) =>
    0.1 + (0.25 + (0.3 * g) / groups) * (1 - Math.exp(-epoch / 3)) + 0.004 * ((r * 7) % 5);
  const groups12 = writeFinishedRuns(wb.store, {
    name: 'Learning rate γ, 12 groups', learningRates: Array.from({ length: 12 }, (_, g) => Number((0.002 * 1.5 ** g).toPrecision(2))), repeats: 3, epochs: 12, accuracy: curve(12),
  });
  const groups60 = writeFinishedRuns(wb.store, {
    name: 'Learning rate γ, 60 groups', learningRates: Array.from({ length: 60 }, (_, g) => (g + 1) / 1000), repeats: 2, epochs: 12, accuracy: curve(60),
  });
  return { trained: trained.id, run: run.id, groups12, groups60 };
}

/** One stop of the tour: the view at `hash`, shown once `ready` resolves. */
export interface TourStop {
  name: string;
  hash: string;
  /** Resolves when the view shows what it is there for (data, not a loading state). */
  ready(page: Page): Promise<unknown>;
  /** Brings the workbench into the state the view shows (before), and back (after). */
  before?(): Promise<void>;
  after?(page: Page): Promise<void>;
}

/**
 * Every view with data in it: Overview, Dataset, New experiment, Queue with a run training, History,
 * a run's page, Compare with 12 and 60 groups, and the `?` shortcut sheet. The Queue stop queues a
 * long run and cancels and deletes it afterwards, so the workbench ends as seedViewTour left it.
 */
export function viewTour(wb: Workbench, data: TourData): TourStop[] {
  let training: number | null = null;
  return [
    { name: 'overview', hash: '#/overview', ready: (p) => p.getByTestId(`experiment-${data.trained}`).waitFor() },
    { name: 'dataset', hash: '#/dataset', ready: (p) => p.getByTestId('gallery').locator('img').first().waitFor() },
    {
      name: 'new-experiment',
      hash: '#/new',
      async ready(p) {
        await p.getByTestId('run-count').waitFor();
        await p.locator('#preset').selectOption('fig2'); // the report's Fig. 2 sweep: axes, a name, a run count
        await p.getByRole('button', { name: 'Load preset' }).click();
        await p.getByTestId('axis-0').waitFor();
      },
    },
    {
      name: 'queue',
      hash: '#/queue',
      async before() {
        const e = await wb.api.call('experiments/create', { spec: { name: 'A long run', base: { epochs: 10_000, hidden: [16], trainLimit: 500 }, repeats: 3 } });
        training = e.id;
      },
      ready: (p) => p.locator('[data-testid^="running-"]').getByText(/epoch [1-9]\d* \//).first().waitFor({ timeout: 120_000 }),
      async after(p) {
        if (training === null) return;
        await wb.api.call('experiments/cancel', { id: training });
        await wb.runner.whenIdle();
        // leave the Queue first: it would ask for the runs it shows after they are deleted
        await p.evaluate(`location.hash = "#/overview"`);
        await p.getByTestId(`experiment-${training}`).waitFor();
        await wb.api.call('experiments/delete', { id: training });
      },
    },
    { name: 'history', hash: `#/history/${data.trained}`, ready: (p) => p.getByTestId('run-row').first().waitFor() },
    { name: 'run-detail', hash: `#/run/${data.run}`, ready: (p) => p.getByTestId('confusion').waitFor({ timeout: 60_000 }) },
    { name: 'compare-12-groups', hash: `#/compare/${data.groups12}`, ready: (p) => p.getByTestId('group-stats').locator('tbody tr').nth(11).waitFor() },
    { name: 'compare-60-groups', hash: `#/compare/${data.groups60}`, ready: (p) => p.getByTestId('compare-legend').locator('li').nth(59).waitFor() },
    {
      name: 'shortcuts',
      hash: '#/overview',
      async ready(p) {
        await p.getByTestId(`experiment-${data.trained}`).waitFor();
        await p.keyboard.press('?');
        await p.getByTestId('shortcut-sheet').waitFor();
      },
    },
  ];
}

/** Opens a stop: its hash, then waits for it to be ready (the page must be on the app already). */
export async function visit(page: Page, stop: TourStop): Promise<void> {
  // close a dialog left open by the previous stop (the shortcut sheet), then go
  if (await page.locator('dialog[open]').count()) await page.keyboard.press('Escape');
  await page.evaluate(`location.hash = ${JSON.stringify(stop.hash)}`);
  await stop.ready(page);
}
