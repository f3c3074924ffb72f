import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueStatus, RunDetail, RunSummary, StoreFailureEvent } from '../../src-shared/runs';
import { Store } from '../../src-main/store/store';
import { startJsonLinesChild } from '../helpers/jsonLinesChild';

const dir = mkdtempSync(join(tmpdir(), 'store-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  queue: QueueStatus;
  runs: RunSummary[];
  first: RunDetail;
  page: { rows: RunSummary[]; total: number };
  experiments: { statusCounts: Record<string, number> }[];
}

describe('a sweep whose database runs out of pages mid-run (real SQLITE_FULL from PRAGMA max_page_count)', () => {
  it('keeps the process alive, pauses the queue, interrupts the run with the reason, keeps its epochs and tells subscribers', async () => {
    const dbPath = join(dir, 'workbench.sqlite');
    const child = startJsonLinesChild(join(import.meta.dirname, '../helpers/fullDatabaseChild.ts'), [dbPath]);
    try {
      await child.until((l) => l.event === 'capped');
      const failure = (await child.until((l) => l.event === 'store/failure')).payload as StoreFailureEvent;
      // the run's own end, written after the failure
      await child.until((l) => l.event === 'run/state' && (l.payload as { status: string }).status === 'interrupted');

      expect(failure).toMatchObject({ kind: 'full', code: 'SQLITE_FULL', runId: 1, experimentId: 1 });
      expect(failure.message).toContain(`The disk or the database is full (${dbPath})`);
      expect(failure.message).toMatch(/epoch \d+ of run 1 could not be saved\. Run 1 was stopped and marked interrupted; its \d+ saved epochs? (is|are) kept\. The queue is paused\. Free some disk space, then resume the queue\./);

      // still alive and answering: the history reads back through the API
      expect(child.process.exitCode).toBeNull();
      child.send('report');
      const report = (await child.until((l) => l.event === 'report')) as unknown as Report;
      expect(report.queue).toMatchObject({ paused: true, running: [], queued: 1, storeFailure: failure });
      expect(report.runs.map((r) => r.status)).toEqual(['interrupted', 'queued']);
      expect(report.first.error).toMatch(/^The disk or the database is full .*: epoch \d+ of run 1 could not be saved\.$/);
      const reported = child.seen.filter((l) => l.event === 'run/epoch').map((l) => l.epoch);
      expect(reported.length).toBeGreaterThan(1);
      expect(report.first.epochs.map((e) => e.epoch)).toEqual(reported);
      expect(report.first.epochsDone).toBe(reported.length);
      expect(report.page.total).toBe(2);
      expect(report.experiments[0].statusCounts).toEqual({ interrupted: 1, queued: 1 });

      child.send('exit');
      expect(await child.exited).toEqual({ code: 0, signal: null });
    } finally {
      child.process.kill('SIGKILL');
    }

    // reopened by another process: intact, every reported epoch there, the run interrupted
    const store = new Store(dbPath, 'test');
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const run = store.getRun(1);
      expect(run.status).toBe('interrupted');
      expect(run.epochs.map((e) => e.epoch)).toEqual(child.seen.filter((l) => l.event === 'run/epoch').map((l) => l.epoch));
    } finally {
      store.close();
    }
  }, 180_000);
});
