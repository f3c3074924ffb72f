import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-sweep-search-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function specFile(name: string, spec: object): string {
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}
const fig2 = { name: 'fig2', base: { epochs: 20 }, axes: [{ field: 'optimizer', values: ['sgd', 'adam'] }, { field: 'learningRate', values: [0.001, 0.01, 0.1, 0.2, 0.3, 0.5] }], repeats: 3 };

describe('workbench sweep: random search and ASHA', () => {
  it('--preview prints the runs and the most epochs, and queues nothing', async () => {
    const home = join(root, 'preview-home');
    const file = specFile('fig2', fig2);
    const grid = await workbench('sweep', file, '--preview', '--home', home);
    // the second line is the time estimate (sweepEstimate.test.ts): with no database in the home, why there is none
    const noEstimate = `No time estimate: nothing has been trained in ${home} yet (it holds no experiment database); run a sweep there first\n`;
    expect(grid).toMatchObject({ code: 0, stdout: `36 runs (12 configurations × 3 seeds) · 720 epochs\n${noEstimate}` });
    const asha = await workbench('sweep', file, '--asha', '--min-epochs', '2', '--reduction-factor', '3', '--preview', '--home', home);
    expect(asha).toMatchObject({ code: 0, stdout: `36 runs (12 configurations × 3 seeds) · at most 198 epochs with ASHA (η 3 from epoch 2), 28 % of the 720 they take in full\n${noEstimate}` });
    const random = await workbench('sweep', file, '--trials', '5', '--search-seed', '3', '--preview', '--home', home);
    expect(random.stdout).toBe(`15 runs (5 configurations × 3 seeds) · 300 epochs\n${noEstimate}`);
    expect(existsSync(home)).toBe(false);
  });

  it('refuses a bad option value at the option, with exit code 2', async () => {
    const file = specFile('fig2b', fig2);
    const trials = await workbench('sweep', file, '--trials', '13', '--preview');
    expect(trials.code).toBe(2);
    expect(trials.stderr).toMatch(/^workbench: Invalid sweep:\n {2}--trials: these fields hold only 12 different configurations/);
    const eta = await workbench('sweep', file, '--reduction-factor', '1', '--preview');
    expect(eta.code).toBe(2);
    expect(eta.stderr).toContain('--reduction-factor: Too small: expected number to be >=2 (allowed: η, an integer 2–100');
    const strategy = await workbench('sweep', file, '--strategy', 'bayes', '--preview');
    expect(strategy.stderr).toContain('--strategy: grid or random, not "bayes"');
  });

  it('runs an ASHA sweep: 1 configuration in 3 trains on, the others end pruned at the rung; exit code 0', async () => {
    const home = join(root, 'asha-home');
    const wb = openWorkbench(home, { workers: 1 });
    await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 40)) });
    await wb.close();
    const file = specFile('lr', { name: 'lr', base: { epochs: 4, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.05, 0.2, 0.00001] }], repeats: 2 });
    const out = await workbench('sweep', file, '--asha', '--min-epochs', '1', '--workers', '2', '--home', home);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('6 runs (3 configurations × 2 seeds) · at most 12 epochs with ASHA (η 3 from epoch 1), 50 % of the 24 they take in full');
    expect(out.stdout.match(/ pruned at epoch 1 /g)).toHaveLength(4);
    expect(out.stdout.match(/ finished /g)).toHaveLength(2);
    // the group table says which configurations were pruned, and where
    expect(out.stdout.match(/final – \(n=0, 2 pruned at epoch 1\)/g)).toHaveLength(2);
    const db = new Database(join(home, 'workbench.sqlite'), { readonly: true });
    const runs = db.prepare('SELECT status, epochs_done AS epochs, pruned_epoch AS at FROM runs ORDER BY id').all() as { status: string; epochs: number; at: number | null }[];
    db.close();
    expect(runs.filter((r) => r.status === 'pruned')).toEqual(Array(4).fill({ status: 'pruned', epochs: 1, at: 1 }));
    expect(runs.filter((r) => r.status === 'finished')).toEqual(Array(2).fill({ status: 'finished', epochs: 4, at: null }));
  }, 300_000);
});
