import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-archive-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Listed = { id: number; status: string; archivedAt?: string | null };
/** `workbench runs list [--archived] --json`: the ids and statuses it shows. */
async function listed(...extra: string[]): Promise<[number, string][]> {
  const r = await workbench('runs', 'list', ...extra, '--json', '--home', home);
  expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
  return (JSON.parse(r.stdout) as Listed[]).map((x) => [x.id, x.status]);
}

beforeAll(async () => {
  // runs 1–4 finished (experiment 1), run 5 queued behind a paused queue (experiment 2)
  const wb = openWorkbench(home, { workers: 1 });
  await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 40)) });
  await wb.api.call('experiments/create', { spec: { name: 'lr', base: { epochs: 1, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.05, 0.2] }], repeats: 2 } });
  await wb.runner.whenIdle();
  await wb.api.call('queue/pause', {});
  await wb.api.call('experiments/create', { spec: { name: 'later', base: { epochs: 1, hidden: [8] } } });
  const runs = await wb.api.call('runs/list', {});
  await wb.close();
  expect(runs.map((r) => r.status)).toEqual(['finished', 'finished', 'finished', 'finished', 'queued']);
}, 300_000);

describe('workbench runs archive | restore | purge', () => {
  it('refuses bad ids with what to type, before changing anything', async () => {
    const cases: [string[], RegExp][] = [
      [['archive'], /^workbench: runs archive needs one or more run ids, e\.g\. workbench runs archive 3 4 7 \(workbench runs list shows them\)\n$/],
      [['restore'], /runs restore needs one or more run ids, .*\(workbench runs list --archived shows them\)/],
      [['archive', '1', 'two'], /runs archive: 'two' is not a run id; give positive whole numbers as workbench runs list shows them: 3 4 7, 3,4,7 or 3-7/],
      [['archive', '0'], /runs archive: '0' is not a run id/],
      [['restore', '1.5'], /runs restore: '1\.5' is not a run id/],
      [['archive', '4-2'], /runs archive: the range '4-2' runs backwards; write it low to high \(2-4\)/],
      [['archive', '1-200000'], /runs archive: at most 100,000 runs at a time; split the ids/],
      [['purge', '1', '2'], /runs purge deletes 2 runs \(1, 2\) for good, with their metrics, checkpoints and models; this cannot be undone\. Add --yes to do it/],
      [['archive', '1', '--yes'], /Unknown option --yes/],
    ];
    for (const [args, message] of cases) {
      const r = await workbench('runs', ...args, '--home', home);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at |unexpected error/);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(await listed('--archived')).toEqual([]);
    expect((await listed()).map(([id]) => id)).toEqual([1, 2, 3, 4, 5]);
  }, 300_000);

  it('archive hides runs from runs list and shows them under --archived; the ones it cannot take are said, exit 1', async () => {
    const r = await workbench('runs', 'archive', '1,2', '5', '9', '--home', home);
    expect(r.stdout).toBe('Moved 3 runs to the archive: 1, 2, 5. Restorable for 30 days (workbench runs restore <id…>), then deleted for good.\n');
    expect(r.stderr).toBe('workbench: run 9 skipped: no such run\nworkbench: 1 run not changed (workbench runs list shows the runs, workbench runs list --archived the archive).\n');
    expect(r.code).toBe(1);
    // the queued run was cancelled before it went
    expect(await listed('--archived')).toEqual([[1, 'finished'], [2, 'finished'], [5, 'cancelled']]);
    expect(await listed()).toEqual([[3, 'finished'], [4, 'finished']]);
    expect(await listed('--archived', '--experiment', '2')).toEqual([[5, 'cancelled']]);

    const text = await workbench('runs', 'list', '--archived', '--experiment', '1', '--home', home);
    expect(text.stdout).toMatch(/^run +1 +finished .* seed 0 {2}archived \d{4}-\d\d-\d\d \d\d:\d\d, deleted for good after \d{4}-\d\d-\d\d \d\d:\d\d\n/);
    // local times, as the app shows them (30 days apart, give or take a daylight-saving change)
    const [archived, until] = [...text.stdout.matchAll(/(\d{4}-\d\d-\d\d \d\d:\d\d)/g)].map((m) => Date.parse(m[1].replace(' ', 'T')));
    expect(Math.abs(until - archived - 30 * 86_400_000)).toBeLessThanOrEqual(3_600_000);
    expect(Math.abs(archived - Date.now())).toBeLessThan(86_400_000);
    const none = await workbench('runs', 'list', '--archived', '--status', 'failed', '--home', home);
    expect(none.stdout).toBe('No archived runs match.\n');

    const twice = await workbench('runs', 'archive', '1', '--json', '--home', home);
    expect(JSON.parse(twice.stdout)).toEqual({ archived: [], skipped: [{ id: 1, reason: 'it is in the archive already' }] });
    expect(twice.code).toBe(1);
  }, 300_000);

  it('restore brings runs back as they were; purge --yes deletes archived runs for good with their files', async () => {
    const restored = await workbench('runs', 'restore', '2', '3', '--home', home);
    expect(restored.stdout).toBe('Restored 1 run from the archive: 2.\n');
    expect(restored.stderr).toBe('workbench: run 3 skipped: it is not in the archive\nworkbench: 1 run not changed (only runs in the archive can be restored: workbench runs list --archived lists them).\n');
    expect(restored.code).toBe(1);
    expect(await listed()).toEqual([[2, 'finished'], [3, 'finished'], [4, 'finished']]);

    const model = join(home, 'models', '1.safetensors');
    expect(existsSync(model)).toBe(true);
    const notArchived = await workbench('runs', 'purge', '4', '--yes', '--home', home);
    expect(notArchived.stdout).toBe('');
    expect(notArchived.stderr).toContain('workbench: run 4 skipped: it is not in the archive');
    expect(notArchived.stderr).toContain('workbench runs archive <id…> moves runs there');
    expect(notArchived.code).toBe(1);

    const purged = await workbench('runs', 'purge', '1', '5', '--yes', '--home', home);
    expect(purged).toMatchObject({ code: 0, stderr: '', stdout: 'Deleted 2 runs for good, with their metrics and files: 1, 5.\n' });
    expect(existsSync(model)).toBe(false);
    expect(await listed('--archived')).toEqual([]);
    expect(await listed()).toEqual([[2, 'finished'], [3, 'finished'], [4, 'finished']]);
    const gone = await workbench('runs', 'restore', '1', '--home', home);
    expect(gone.stderr).toContain('workbench: run 1 skipped: no such run (deleted for good?)');
    expect(gone.code).toBe(1);
  }, 300_000);
});
