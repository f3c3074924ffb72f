import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-requeue-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  // run 1 interrupted (its worker stopped after its first epoch), run 2 cancelled while it trained
  const wb = openWorkbench(home, { workers: 1 });
  await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 40)) });
  const epoch = (runId: number) => new Promise<void>((resolve) => {
    const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.runId === runId && (off(), resolve()));
  });
  const firstEpoch = epoch(1);
  await wb.api.call('experiments/create', { spec: { name: 'requeue', base: { epochs: 100, hidden: [8] }, repeats: 2 } });
  await firstEpoch;
  const secondEpoch = epoch(2);
  await wb.runner.forceStop(1);
  await secondEpoch;
  await wb.api.call('runs/cancel', { id: 2 });
  await wb.runner.whenIdle();
  const runs = await wb.api.call('runs/list', {});
  await wb.close();
  expect(runs.map((r) => r.status)).toEqual(['interrupted', 'cancelled']);
}, 300_000);

describe('workbench runs requeue', () => {
  it('refuses unclear requests with what to do', async () => {
    const cases: [string[], RegExp][] = [
      [[], /runs requeue needs a run id or --experiment ID/],
      [['1', '--experiment', '1'], /takes a run id or --experiment ID, not both/],
      [['1', '--status', 'failed'], /--status goes with --experiment ID/],
      [['--experiment', '1', '--status', 'finished'], /--status must be interrupted, failed, cancelled, diverged, not 'finished'/],
      [['one'], /The run id must be a positive integer, not 'one'/],
      [['1', '2'], /takes one run id; '2' is one too many/],
    ];
    for (const [args, message] of cases) {
      const r = await workbench('runs', 'requeue', ...args, '--home', home);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code).toBe(2);
    }
    const missing = await workbench('runs', 'requeue', '99', '--home', home);
    expect(missing.stderr).toMatch(/No run 99/);
    expect(missing.code).not.toBe(0);
  }, 300_000);

  it('--experiment re-queues the interrupted runs (the default status) and trains them to the end', async () => {
    const r = await workbench('runs', 'requeue', '--experiment', '1', '--home', home);
    expect(r.stdout).toContain('Re-queued 1 run as a new attempt (old → new): 1 → 3');
    expect(r.stdout).toMatch(/run +3 +finished .* 100 ep/);
    expect(r.code).toBe(0);
    const again = await workbench('runs', 'requeue', '--experiment', '1', '--home', home);
    expect(again.stdout).toBe('Experiment 1 has no interrupted runs to re-queue.\n');
    expect(again.code).toBe(0);
  }, 300_000);

  it('<id> re-queues one run and resumes a paused queue; a refused request changes nothing', async () => {
    const paused = async (set?: 'queue/pause' | 'queue/resume'): Promise<boolean> => {
      const wb = openWorkbench(home, { workers: 1 });
      try {
        if (set) await wb.api.call(set, {});
        return (await wb.api.call('queue/status', {})).paused;
      } finally {
        await wb.close();
      }
    };
    expect(await paused('queue/pause')).toBe(true);
    const superseded = await workbench('runs', 'requeue', '1', '--home', home);
    expect(superseded.stderr).toMatch(/Run 1 was already re-queued as run 3 \(finished\); re-queue run 3 instead if it needs another attempt/);
    expect(superseded.code).toBe(2);
    expect(await paused()).toBe(true);

    const r = await workbench('runs', 'requeue', '2', '--home', home);
    expect(r.stdout).toContain('Re-queued 1 run as a new attempt (old → new): 2 → 4\nThe queue is paused; resuming it.');
    expect(r.stdout).toMatch(/run +4 +finished .* 100 ep/);
    expect(r.code).toBe(0);
    expect(await paused()).toBe(false);
    const list = await workbench('runs', 'list', '--experiment', '1', '--json', '--home', home);
    expect((JSON.parse(list.stdout) as { id: number; status: string; requeuedFrom: number | null }[]).map((x) => [x.id, x.status, x.requeuedFrom])).toEqual([
      [1, 'interrupted', null],
      [2, 'cancelled', null],
      [3, 'finished', 1],
      [4, 'finished', 2],
    ]);
  }, 300_000);

  it('<id> of a finished run queues a new attempt of it too ("Run again" in the app), once', async () => {
    const r = await workbench('runs', 'requeue', '4', '--home', home);
    expect(r.stdout).toContain('Re-queued 1 run as a new attempt (old → new): 4 → 5');
    expect(r.code).toBe(0);
    const twice = await workbench('runs', 'requeue', '4', '--home', home);
    expect(twice.stderr).toMatch(/Run 4 was already re-queued as run 5 \(finished\)/);
    expect(twice.code).toBe(2);
  }, 300_000);
});
