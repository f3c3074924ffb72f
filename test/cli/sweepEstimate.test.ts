import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-sweep-estimate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const spec = join(root, 'lr.json');
writeFileSync(spec, JSON.stringify({ name: 'lr', base: { epochs: 2, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.05, 0.2] }] }));

/** The experiments and the kernel the runs recorded, read from the file as another process would. */
function stored(home: string): { experiments: number; kernels: string[] } {
  const db = new Database(join(home, 'workbench.sqlite'), { readonly: true });
  try {
    const experiments = (db.prepare('SELECT COUNT(*) AS n FROM experiments').get() as { n: number }).n;
    const kernels = (db.prepare('SELECT DISTINCT kernel FROM runs WHERE kernel IS NOT NULL').all() as { kernel: string }[]).map((r) => r.kernel);
    return { experiments, kernels };
  } finally {
    db.close();
  }
}

describe('workbench sweep: the time estimate of the New experiment form', () => {
  it('says it before training starts and in --preview, from the epochs this home measured', async () => {
    const home = join(root, 'home');
    const wb = openWorkbench(home, { workers: 1 });
    await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 40)) });
    await wb.close();

    // nothing measured yet: the rough guess, said so, on the workers asked for
    const first = await workbench('sweep', spec, '--preview', '--workers', '3', '--home', home);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^2 runs \(2 configurations × 1 seed\) · 4 epochs\nEstimated time: (under a minute|about \d+ min) on 3 workers · no similar runs yet: rough guess\n$/);

    // a sweep says it first, before the experiment is queued (and starts training)
    const run = await workbench('sweep', spec, '--workers', '1', '--home', home);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Estimated time: (under a minute|about \d+ min) on 1 worker · no similar runs yet: rough guess$/);
    expect(lines[1]).toBe('Experiment 1: 2 runs on 1 workers');

    // now the same shape was measured here: the estimate rests on those epochs, and a preview queues nothing
    const { kernels } = stored(home);
    expect(kernels).toHaveLength(1);
    const again = await workbench('sweep', spec, '--preview', '--workers', '2', '--home', home);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    const [count, estimate, extra] = again.stdout.split('\n');
    expect(count).toBe('2 runs (2 configurations × 1 seed) · 4 epochs');
    expect(estimate).toMatch(new RegExp(`^Estimated time: (under a minute|about \\d+ min) on 2 workers · from \\d+ epochs of similar runs on ${kernels[0]}$`));
    expect(extra).toBe('');
    expect(stored(home).experiments).toBe(1);
  }, 300_000);

  it('--preview of a home with nothing in it says why there is no estimate and creates nothing', async () => {
    const empty = join(root, 'nothing-here');
    const r = await workbench('sweep', spec, '--preview', '--home', empty);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`2 runs (2 configurations × 1 seed) · 4 epochs\nNo time estimate: nothing has been trained in ${empty} yet (it holds no experiment database); run a sweep there first\n`);
    const bad = await workbench('sweep', spec, '--preview', '--workers', '0', '--home', empty);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--workers must be an integer 1–64, not '0'");
  });
});
