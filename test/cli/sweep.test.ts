import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { killNow, spawnWorkbench, untilCommitted, workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const archive = writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 40));

/** A home folder holding the fixture dataset, and a spec file of two runs. */
async function setUp(name: string, epochs: number): Promise<{ home: string; db: string; spec: string }> {
  const home = join(root, name);
  const wb = openWorkbench(home, { workers: 1 });
  await wb.api.call('data/import', { path: archive });
  await wb.close();
  const spec = join(root, `${name}.json`);
  writeFileSync(spec, JSON.stringify({ name, base: { epochs, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.05, 0.2] }] }));
  return { home, db: join(home, 'workbench.sqlite'), spec };
}

type Row = { id: number; status: string; requeued_from: number | null; epochs_done: number };
/** The runs as stored, read from the file (a lapsed lease is still written 'running' until a runner expires it). */
function storedRuns(db: string): Row[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT id, status, requeued_from, epochs_done FROM runs ORDER BY id').all() as Row[];
  } finally {
    d.close();
  }
}

describe('workbench sweep run again with its request id', () => {
  it('continues a sweep that was SIGKILLed: the interrupted run is re-queued and every run finishes', async () => {
    const { home, db, spec } = await setUp('killed', 200);
    const child = spawnWorkbench('sweep', spec, '--request-id', 'fig-2', '--workers', '1', '--home', home);
    await untilCommitted(child, db, 1);
    await killNow(child);
    const [first, second] = storedRuns(db);
    expect(first).toMatchObject({ status: 'running' }); // killed while it trained (its lease not yet lapsed)
    expect(first.epochs_done).toBeLessThan(200);
    expect(second).toMatchObject({ status: 'queued' });

    const again = await workbench('sweep', spec, '--request-id', 'fig-2', '--workers', '1', '--home', home);
    expect(again.stdout).toContain('(already submitted with this request id)');
    expect(again.stdout).toContain('Re-queued 1 interrupted run as a new attempt (old → new): 1 → 3');
    expect(again.code).toBe(0);
    const wb = openWorkbench(home, { workers: 1 });
    const runs = await wb.api.call('runs/list', {});
    await wb.close();
    expect(runs.map((r) => [r.id, r.status, r.requeuedFrom])).toEqual([
      [1, 'interrupted', null],
      [2, 'finished', null],
      [3, 'finished', 1],
    ]);
    expect(runs[0].epochsDone).toBeGreaterThanOrEqual(1); // the killed attempt keeps its committed epochs
    expect(again.stdout).toMatch(/^ {2}γ 0\.05 +final .*\(n=1\)$/m);
    expect(again.stdout).not.toMatch(/not finished/);
  }, 300_000);

  it('does not re-run cancelled runs: says which and how, exits 1; runs requeue then lets it finish', async () => {
    const { home, spec } = await setUp('stopped', 3);
    const wb = openWorkbench(home, { workers: 1 });
    await wb.api.call('queue/pause', {});
    const { id: experimentId } = await wb.api.call('experiments/create', { spec: JSON.parse(readFileSync(spec, 'utf8')), clientRequestId: 'lr' });
    for (const r of await wb.api.call('runs/list', { experimentId })) await wb.api.call('runs/cancel', { id: r.id });
    await wb.close();

    const first = await workbench('sweep', spec, '--request-id', 'lr', '--home', home);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`Runs 1, 2 were cancelled: a sweep does not run cancelled runs again; re-queue with \`workbench runs requeue --experiment ${experimentId} --status cancelled\`.`);

    const one = await workbench('runs', 'requeue', '1', '--home', home);
    expect(one.stdout).toContain('Re-queued 1 run as a new attempt (old → new): 1 → 3');
    expect(one.stdout).toMatch(/run +3 +finished/);
    expect(one.code).toBe(0);
    const rest = await workbench('runs', 'requeue', '--experiment', String(experimentId), '--status', 'cancelled', '--home', home);
    expect(rest.stdout).toContain('(old → new): 2 → 4'); // run 1 was re-queued already: its attempt stands for it
    expect(rest.code).toBe(0);

    const last = await workbench('sweep', spec, '--request-id', 'lr', '--home', home);
    expect(last.stdout).not.toMatch(/cancelled|not finished/);
    expect(last.code).toBe(0);
  }, 300_000);
});
