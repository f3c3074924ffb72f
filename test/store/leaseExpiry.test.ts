import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src-shared/runs';
import { parseSweepSpec } from '../../src-shared/sweep';
import { WorkbenchApi } from '../../src-main/api/workbenchApi';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { DB_FILE } from '../../src-main/store/database';
import { Store } from '../../src-main/store/store';

const dir = mkdtempSync(join(tmpdir(), 'lease-expiry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exec = promisify(execFile);
const rawStatus = (s: Store, id: number) => (s.db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status;

describe('a running run whose lease expired reads as interrupted, with no runner to write so', () => {
  it('in every reader: run, list and page (status filters and sort), experiment counts, results; it can be re-queued and deleted', () => {
    const s = new Store(join(dir, 'readers.sqlite'), 'test');
    const { id } = s.createExperiment(parseSweepSpec({ name: 'lease', repeats: 3 }).spec, null);
    const now = Date.now();
    const dead = s.runs.claimNext('dead-process', now - 1000, null, 'x', new Date().toISOString())!;
    const alive = s.runs.claimNext('live-process', now + 600_000, null, 'x', new Date().toISOString())!;

    expect(rawStatus(s, dead.id)).toBe('running');
    expect(s.getRun(dead.id)).toMatchObject({ status: 'interrupted', error: 'the process running it stopped (crash or kill) before it finished', finishedAt: new Date(now - 1000).toISOString() });
    expect(s.getRun(alive.id).status).toBe('running');
    expect(s.listRuns({ experimentId: id, limit: 10, offset: 0 }).map((r) => r.status)).toEqual(['interrupted', 'running', 'queued']);
    expect(s.listRuns({ status: 'running', limit: 10, offset: 0 }).map((r) => r.id)).toEqual([alive.id]);
    expect(s.listRuns({ status: 'interrupted', limit: 10, offset: 0 }).map((r) => r.id)).toEqual([dead.id]);
    const page = (over: object) => s.pageRuns({ sort: 'id', direction: 'asc', limit: 10, offset: 0, ...over });
    expect(page({ status: 'running' })).toMatchObject({ total: 1, rows: [{ id: alive.id }] });
    expect(page({ status: 'interrupted' })).toMatchObject({ total: 1, rows: [{ id: dead.id, status: 'interrupted' }] });
    expect(page({ sort: 'status' }).rows.map((r) => r.status)).toEqual(['interrupted', 'queued', 'running']);
    expect(s.getExperiment(id).statusCounts).toEqual({ interrupted: 1, running: 1, queued: 1 });
    expect(s.listExperiments()[0].statusCounts).toEqual({ interrupted: 1, running: 1, queued: 1 });
    expect(s.experimentResults(id).map((r) => r.status)).toEqual(['interrupted', 'running', 'queued']);
    // reading wrote nothing
    expect(rawStatus(s, dead.id)).toBe('running');

    // shown as interrupted, so it can be re-queued like one
    const again = s.requeue(dead.id);
    expect(s.getRun(again)).toMatchObject({ status: 'queued', requeuedFrom: dead.id });
    expect(() => s.requeue(alive.id)).toThrow(/is running/);
    // and only the live run blocks deleting the experiment
    expect(() => s.deleteExperiment(id)).toThrow(/has 1 running run\(s\)/);
    s.finishRun(alive.id, 'cancelled');
    s.deleteExperiment(id);
    expect(s.listRuns({ limit: 10, offset: 0 })).toEqual([]);
    s.close();
  });

  it('a sweep process SIGKILLed after its first committed epoch reads as interrupted right after its lease, through the API and the CLI', async () => {
    const home = join(dir, 'home');
    const dbPath = join(home, DB_FILE);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/leaseChild.ts'), dbPath, '1500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const committed = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => line.startsWith('committed ') && resolve(line));
      void exited.then(() => reject(new Error(`the sweep child exited before committing an epoch: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const victim = Number(committed.split(' ')[1]);

    const store = new Store(dbPath, 'test');
    try {
      const leased = store.db.prepare("SELECT id, lease_until FROM runs WHERE status = 'running'").all() as { id: number; lease_until: number }[];
      expect(leased.map((r) => r.id)).toEqual([1, 2]);
      expect(leased.map((r) => r.id)).toContain(victim);
      // wait for the latest lease the dead process held, as stored, to run out
      const until = Math.max(...leased.map((r) => r.lease_until));
      while (Date.now() <= until) await new Promise((r) => setTimeout(r, Math.max(1, until + 1 - Date.now())));

      const api = new WorkbenchApi({ dataset: new DatasetManager(home), store });
      const runs = await api.call('runs/list', {});
      for (const { id } of leased) expect(runs.find((r) => r.id === id)?.status).toBe('interrupted');
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
      expect(await api.call('runs/list', { status: 'running' })).toEqual([]);
      const detail = await api.call('runs/get', { id: victim });
      expect(detail).toMatchObject({ status: 'interrupted', error: 'the process running it stopped (crash or kill) before it finished' });
      expect(detail.epochs.length).toBeGreaterThanOrEqual(1);
      expect((await api.call('runs/page', { status: 'interrupted' })).rows.map((r) => r.id)).toEqual(expect.arrayContaining(leased.map((r) => r.id)));
      const counts = (await api.call('experiments/list', {})).map((e) => e.statusCounts);
      expect(counts.every((c) => c.running === undefined)).toBe(true);
      // nobody wrote it: the stored row still says running
      expect(rawStatus(store, victim)).toBe('running');
    } finally {
      store.close();
    }

    const { stdout } = await exec(process.execPath, ['scripts/workbench.mjs', 'runs', 'list', '--json', '--home', home], { cwd: process.cwd() });
    const listed = JSON.parse(stdout) as RunSummary[];
    expect(listed.find((r) => r.id === victim)?.status).toBe('interrupted');
    expect(listed.filter((r) => r.status === 'running')).toEqual([]);
  }, 120_000);
});
