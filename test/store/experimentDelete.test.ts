import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store';
import { writeFinishedRuns } from '../helpers/finishedRuns';

const dir = mkdtempSync(join(tmpdir(), 'experiment-delete-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deleting an experiment', () => {
  it('finds the runs re-queued from each deleted run through an index, not a scan of every run', () => {
    const s = new Store(join(dir, 'plan.sqlite'), 'test');
    // SQLite runs this lookup once per deleted run to apply ON DELETE SET NULL to runs.requeued_from;
    // as a full scan it made deleting a 10,000-run experiment quadratic (16.6 s; npm run bench times it)
    const plan = s.db.prepare('EXPLAIN QUERY PLAN SELECT id FROM runs WHERE requeued_from = ?').all(1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING (COVERING )?INDEX runs_by_requeued_from/);
    s.close();
  });

  it('removes its runs, epochs, confusion matrices and tags, returns the run ids, and keeps other experiments and re-queued links', () => {
    const s = new Store(join(dir, 'delete.sqlite'), 'test');
    const accuracy = (run: number, group: number, epoch: number): number => 0.1 + 0.01 * run + 0.05 * group + 0.02 * epoch;
    const keep = writeFinishedRuns(s, { name: 'keep', learningRates: [0.1, 0.2], repeats: 2, epochs: 3, accuracy });
    const gone = writeFinishedRuns(s, { name: 'gone', learningRates: [0.1, 0.2, 0.3], repeats: 5, epochs: 4, accuracy, status: (i) => (i % 4 === 0 ? 'failed' : 'finished') });
    const goneIds = s.runIds(gone);
    const requeued = s.requeue(goneIds[0]);
    s.annotate('run', goneIds[1], { addTags: ['x'] });
    s.annotate('experiment', gone, { addTags: ['y'] });
    s.annotate('run', s.runIds(keep)[0], { addTags: ['x'] });
    const count = (sql: string): number => (s.db.prepare(sql).get() as { n: number }).n;
    const before = { epochs: count('SELECT count(*) AS n FROM epochs'), confusion: count('SELECT count(*) AS n FROM confusion') };

    expect(s.deleteExperiment(gone).sort((a, b) => a - b)).toEqual([...goneIds, requeued].sort((a, b) => a - b));
    expect(count(`SELECT count(*) AS n FROM runs WHERE experiment_id = ${gone}`)).toBe(0);
    expect(count('SELECT count(*) AS n FROM epochs')).toBe(before.epochs - 15 * 4);
    expect(count('SELECT count(*) AS n FROM confusion')).toBe(before.confusion - 15);
    expect(count("SELECT count(*) AS n FROM tags WHERE tag = 'y'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM tags WHERE tag = 'x'")).toBe(1);
    expect(s.experimentResults(keep)).toHaveLength(4);
    expect(s.experimentResults(keep).every((r) => r.epochs.length === 3)).toBe(true);
    expect(() => s.getExperiment(gone)).toThrow(/No experiment/);
    s.close();
  });
});
