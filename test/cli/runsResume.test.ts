import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-resume-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const stoppedAt: Record<number, number> = {};

async function epochs(runId: number) {
  const wb = openWorkbench(home, { workers: 1 });
  try {
    return (await wb.api.call('runs/get', { id: runId })).epochs.map(({ seconds: _, ...m }) => m);
  } finally {
    await wb.close();
  }
}

beforeAll(async () => {
  // experiment 1: run 1 interrupted (its worker stopped after epoch 3), run 2 cancelled after epoch 2;
  // experiment 2: the same two configs, never stopped (runs 3 and 4)
  const wb = openWorkbench(home, { workers: 1 });
  await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(60, 40)) });
  const epoch = (runId: number, n: number) => new Promise<void>((resolve) => {
    const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.runId === runId && p.metrics.epoch === n && (off(), resolve()));
  });
  const spec = { name: 'resume', base: { epochs: 12, hidden: [8], optimizer: 'adam', learningRate: 0.01 }, repeats: 2 };
  const third = epoch(1, 3);
  await wb.api.call('experiments/create', { spec });
  await third;
  const second = epoch(2, 2);
  await wb.runner.forceStop(1);
  await second;
  await wb.api.call('runs/cancel', { id: 2 });
  await wb.runner.whenIdle();
  await wb.api.call('experiments/create', { spec: { ...spec, name: 'reference' } });
  await wb.runner.whenIdle();
  const runs = await wb.api.call('runs/list', {});
  for (const r of runs) stoppedAt[r.id] = r.epochsDone;
  await wb.close();
  expect(runs.map((r) => r.status)).toEqual(['interrupted', 'cancelled', 'finished', 'finished']);
}, 300_000);

describe('workbench runs resume', () => {
  it('refuses unclear requests with what to do', async () => {
    const cases: [string[], RegExp][] = [
      [[], /runs resume needs a run id or --experiment ID/],
      [['1', '--experiment', '1'], /runs resume needs a run id or --experiment ID \(one of them\)/],
      [['x'], /The run id must be a positive integer, not 'x'/],
      [['1', '2'], /takes one run id; '2' is one too many/],
      [['3'], /Run 3 is finished; only interrupted, cancelled, failed runs can be resumed/],
      [['--experiment', '2'], /Experiment 2 has no interrupted runs to resume/],
    ];
    for (const [args, message] of cases) {
      const r = await workbench('runs', 'resume', ...args, '--home', home);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(2);
    }
  }, 300_000);

  it('--experiment continues the interrupted run from its checkpoint; <id> continues a cancelled one; both end as if never stopped', async () => {
    const r = await workbench('runs', 'resume', '--experiment', '1', '--home', home);
    expect(r.stdout).toContain('Resuming run 1 from its last checkpoint.');
    expect(r.stdout).toContain(`run 1 continued after epoch ${stoppedAt[1]}`);
    expect(r.code).toBe(0);
    const c = await workbench('runs', 'resume', '2', '--home', home);
    expect(c.stdout).toContain(`run 2 continued after epoch ${stoppedAt[2]}`);
    expect(c.code).toBe(0);
    expect(await epochs(1)).toEqual(await epochs(3));
    expect(await epochs(2)).toEqual(await epochs(4));
    const show = await workbench('runs', 'show', '1', '--home', home);
    expect(show.stdout).toContain(`resumed after epoch ${stoppedAt[1]}`);
    expect(show.stdout).toContain('files: model (workbench runs export-model)');
  }, 300_000);

  it('<id> trains only the run it resumed: another queued run stays queued and a paused queue is paused again', async () => {
    const wb = openWorkbench(home, { workers: 1 });
    let resumable: number;
    let waiting: number;
    try {
      const spec = { name: 'one more', base: { epochs: 4, hidden: [8], optimizer: 'adam', learningRate: 0.01 } };
      const first = new Promise<number>((resolve) => {
        const off = wb.api.subscribe((event, p) => event === 'run/epoch' && p.metrics.epoch === 1 && (off(), resolve(p.runId)));
      });
      await wb.api.call('experiments/create', { spec });
      resumable = await first;
      await wb.runner.forceStop(resumable);
      await wb.runner.whenIdle();
      await wb.api.call('queue/pause', {});
      const { id } = await wb.api.call('experiments/create', { spec: { ...spec, name: 'waiting' } });
      [{ id: waiting }] = await wb.api.call('runs/list', { experimentId: id });
      expect((await wb.api.call('runs/get', { id: resumable })).status).toBe('interrupted');
    } finally {
      await wb.close();
    }
    const r = await workbench('runs', 'resume', String(resumable), '--home', home);
    expect(r.stdout).toContain('The queue is paused; it runs until this run has started, then is paused again.');
    expect(r.stdout).toContain(`run ${resumable} finished`);
    expect(r.code).toBe(0);
    const after = openWorkbench(home, { workers: 1 });
    try {
      expect((await after.api.call('runs/get', { id: waiting })).status).toBe('queued');
      expect((await after.api.call('queue/status', {})).paused).toBe(true);
    } finally {
      await after.close();
    }
  }, 300_000);
});
