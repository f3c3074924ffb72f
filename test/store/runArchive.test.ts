import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupCompare } from '../../src-shared/compareData';
import { archiveRuns, purgeExpired, restoreRuns } from '../../src-main/store/runBulk';
import { Store } from '../../src-main/store/store';
import { writeFinishedRuns } from '../helpers/finishedRuns';

const dir = mkdtempSync(join(tmpdir(), 'run-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;

describe('the archive of runs deleted in History', () => {
  const s = new Store(join(dir, 'db.sqlite'), 'test');
  afterAll(() => s.close());
  const exp = writeFinishedRuns(s, { name: 'four seeds', learningRates: [0.1], repeats: 4, epochs: 2, accuracy: (run, _g, epoch) => 0.3 + 0.05 * run + 0.01 * epoch });
  const [a, b, c, d] = s.runIds(exp);
  const group = () => groupCompare(s.compareResults([exp], 'testAccuracy'))[0];

  it('hides archived runs from every reader: lists, pages, counts, Compare, results', () => {
    expect(archiveRuns(s, [b, c], new Date(Date.now() - 31 * DAY)).archived).toEqual([b, c]);
    expect(s.runIds(exp)).toEqual([a, d]);
    expect(s.pageRuns({ sort: 'id', direction: 'asc', limit: 10, offset: 0 }).rows.map((r) => r.id)).toEqual([a, d]);
    expect(s.pageRuns({ archived: true, sort: 'id', direction: 'asc', limit: 10, offset: 0 }).rows.map((r) => r.id)).toEqual([b, c]);
    expect(s.getExperiment(exp)).toMatchObject({ runCount: 2, statusCounts: { finished: 2 } });
    expect(group().included.map((r) => r.id)).toEqual([a, d]);
    expect(group().series[1].n).toBe(2);
    expect(s.experimentResults(exp).map((r) => r.id)).toEqual([a, d]);
    // the run itself is still there, said to be archived
    expect(s.getRun(b).archivedAt).toEqual(expect.any(String));
  });

  it('an attempt in the archive supersedes nothing: the run it repeated counts again', () => {
    const attempt = s.requeue(d);
    expect(group().included.map((r) => r.id)).toEqual([a]);
    s.runs.cancelQueued(attempt, new Date().toISOString());
    archiveRuns(s, [attempt]);
    expect(group().included.map((r) => r.id)).toEqual([a, d]);
    expect(group().excluded).toEqual([]);
    expect(s.getRun(d).supersededBy).toBeNull();
  });

  it('restores runs as they were, and deletes for good only what has been in the archive 30 days', () => {
    expect(restoreRuns(s, [c]).restored).toEqual([c]);
    expect(group().included.map((r) => r.id)).toEqual([a, c, d]);
    archiveRuns(s, [c], new Date(Date.now() - 29 * DAY));
    const purged = purgeExpired(s);
    expect(purged).toEqual([b]);
    expect(() => s.getRun(b)).toThrow(`No run ${b}`);
    expect(s.getRun(c).archivedAt).toEqual(expect.any(String));
    expect(purgeExpired(s, Date.now() + 2 * DAY)).toEqual([c]);
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE run_id IN (?, ?)').get(b, c)).toEqual({ n: 0 });
  });

  it('refuses runs that have not ended, and the same run twice', () => {
    const queued = s.requeue(a);
    expect(archiveRuns(s, [queued, queued, 9999])).toEqual({
      archived: [],
      skipped: [{ id: queued, reason: 'it is queued: cancel it first' }, { id: 9999, reason: 'no such run' }],
    });
    expect(restoreRuns(s, [9999]).skipped).toEqual([{ id: 9999, reason: 'no such run (deleted for good?)' }]);
  });
});
