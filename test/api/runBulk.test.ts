import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { writeFinishedRuns } from '../helpers/finishedRuns';

const root = mkdtempSync(join(tmpdir(), 'api-run-bulk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('History bulk actions through the API', () => {
  it('lists the ids a search matches, tags, re-queues, archives, restores and purges many runs, skipping with why those it cannot touch', async () => {
    const home = join(root, 'home');
    // no dataset: what is queued stays queued
    const wb = openWorkbench(home, { workers: 1 });
    try {
      const exp = writeFinishedRuns(wb.store, { name: 'bulk', learningRates: [0.1, 0.2], repeats: 3, epochs: 2, accuracy: (run, _g, epoch) => 0.2 + 0.01 * run + 0.03 * epoch });
      const [r1, r2, r3, r4, r5, r6] = wb.store.runIds(exp);
      const running = wb.store.runs.claimNext('me', Date.now() + 60_000, null, 'x', new Date().toISOString());
      expect(running).toBeNull(); // every run finished: nothing to claim

      expect(await wb.api.call('runs/ids', { search: 'lr:0.2', sort: 'id', direction: 'desc' })).toEqual({ ids: [r6, r5, r4] });
      expect(await wb.api.call('runs/ids', { search: 'lr:0.2', sort: 'id', limit: 2, offset: 1 })).toEqual({ ids: [r5, r6] });
      await expect(wb.api.call('runs/ids', { search: 'lrr:1' })).rejects.toMatchObject({ code: 'VALIDATION', issues: [{ path: 'search', message: expect.stringMatching(/^unknown field 'lrr'/) }] });

      expect(await wb.api.call('runs/tag', { ids: [r1, r2, r2, 9999], addTags: ['keep', 'bulk'] })).toEqual({ changed: [r1, r2], skipped: [{ id: 9999, reason: 'no such run' }] });
      await wb.api.call('runs/tag', { ids: [r2], removeTags: ['bulk'] });
      expect((await wb.api.call('runs/page', { search: 'tag:keep' })).rows.map((r) => [r.id, r.tags])).toEqual([[r1, ['bulk', 'keep']], [r2, ['keep']]]);

      const again = await wb.api.call('runs/requeueMany', { ids: [r3, r4] });
      expect(again.queued.map((p) => p.from)).toEqual([r3, r4]);
      const second = await wb.api.call('runs/requeueMany', { ids: [r3, again.queued[0].to] });
      expect(second.queued).toEqual([]);
      expect(second.skipped).toEqual([
        { id: r3, reason: expect.stringMatching(new RegExp(`^Run ${r3} was already re-queued as run ${again.queued[0].to}`)) },
        { id: again.queued[0].to, reason: expect.stringMatching(/is queued; only failed, cancelled, interrupted, diverged or finished runs can be re-queued/) },
      ]);
      expect((await wb.api.call('runs/get', { id: again.queued[1].to })).requeuedFrom).toBe(r4);

      // delete moves runs to the archive: hidden from every reader, files kept; queued runs are cancelled first
      const files = new RunFiles(home);
      for (const path of [files.modelPath(r5), files.modelPath(r6)]) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, 'x');
      }
      const claimed = wb.store.runs.claimNext('someone', Date.now() + 60_000, null, 'x', new Date().toISOString())!;
      const queuedAttempt = again.queued[1].to;
      expect(await wb.api.call('runs/delete', { ids: [r5, r1, claimed.id, queuedAttempt, 9999] })).toEqual({
        archived: [r5, r1, queuedAttempt],
        skipped: [{ id: claimed.id, reason: 'it is running: cancel it first' }, { id: 9999, reason: 'no such run' }],
      });
      expect((await wb.api.call('runs/get', { id: queuedAttempt })).status).toBe('cancelled');
      expect(existsSync(files.modelPath(r5))).toBe(true);
      expect((await wb.api.call('runs/list', { experimentId: exp })).map((r) => r.id)).not.toContain(r5);
      expect((await wb.api.call('runs/page', {})).rows.map((r) => r.id)).not.toContain(r5);
      expect((await wb.api.call('experiments/get', { id: exp })).runCount).toBe(8 - 3);
      const archive = await wb.api.call('runs/page', { archived: true, sort: 'id' });
      expect(archive.rows.map((r) => [r.id, typeof r.archivedAt])).toEqual([[r1, 'string'], [r5, 'string'], [queuedAttempt, 'string']]);
      expect((await wb.api.call('runs/get', { id: r5 })).archivedAt).toBe(archive.rows[1].archivedAt);
      await expect(wb.api.call('runs/requeue', { id: r5 })).rejects.toThrow(`Run ${r5} is in the archive (deleted in History); restore it first`);
      expect((await wb.api.call('runs/delete', { ids: [r5] })).skipped).toEqual([{ id: r5, reason: 'it is in the archive already' }]);

      // restored as it was; deleted for good (with its files) only from the archive
      expect(await wb.api.call('runs/restore', { ids: [r1, r6] })).toEqual({ restored: [r1], skipped: [{ id: r6, reason: 'it is not in the archive' }] });
      expect((await wb.api.call('runs/get', { id: r1 })).archivedAt).toBeNull();
      expect(await wb.api.call('runs/purge', { ids: [r5, r6] })).toEqual({ deleted: [r5], skipped: [{ id: r6, reason: 'it is not in the archive: delete it first' }] });
      expect(existsSync(files.modelPath(r5))).toBe(false);
      expect(existsSync(files.modelPath(r6))).toBe(true);
      await expect(wb.api.call('runs/get', { id: r5 })).rejects.toThrow(`No run ${r5}`);
      expect(wb.store.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE run_id = ?').get(r5)).toEqual({ n: 0 });
      expect(wb.store.db.prepare("SELECT COUNT(*) AS n FROM tags WHERE entity = 'run' AND entity_id = ?").get(r1)).toEqual({ n: 2 });
      await expect(wb.api.call('runs/delete', { ids: [] })).rejects.toMatchObject({ code: 'VALIDATION' });
    } finally {
      await wb.close();
    }
  });

  it('gives each row of a page its last epoch and sorts by any column, config fields and metrics included', async () => {
    const wb = openWorkbench(join(root, 'sorted'), { workers: 1 });
    try {
      const exp = writeFinishedRuns(wb.store, { name: 'sorted', learningRates: [0.3, 0.1, 0.2], repeats: 1, epochs: 3, accuracy: (run, _g, epoch) => 0.1 * (run + 1) + 0.01 * epoch });
      await wb.api.call('experiments/create', { spec: { name: 'queued', base: { learningRate: 0.05 } } });
      const page = await wb.api.call('runs/page', { experimentId: exp, sort: 'config.learningRate', direction: 'asc' });
      expect(page.rows.map((r) => r.config.learningRate)).toEqual([0.1, 0.2, 0.3]);
      expect(page.rows[0].last).toEqual({ trainLoss: expect.closeTo(2.3 - 2 * 0.23, 12), trainAccuracy: expect.closeTo(0.23, 12), objective: expect.closeTo(2.31 - 2 * 0.23, 12), learningRate: 0.1, seconds: expect.closeTo(0.3, 12) });
      const by = async (sort: 'finalTrainLoss' | 'trainSeconds' | 'duration' | 'finalTestLoss') => (await wb.api.call('runs/page', { sort, direction: 'desc' })).rows.map((r) => r.id);
      expect(await by('finalTrainLoss')).toEqual([1, 2, 3, 4]);
      expect((await wb.api.call('runs/page', { sort: 'finalTrainLoss', direction: 'asc' })).rows.map((r) => r.id)).toEqual([3, 2, 1, 4]);
      expect((await by('trainSeconds')).at(-1)).toBe(4);
      expect((await by('duration')).at(-1)).toBe(4);
      expect(await by('finalTestLoss')).toEqual([1, 2, 3, 4]);
      expect((await wb.api.call('runs/page', { search: 'lr:0.05' })).rows[0].last).toBeNull();
      await expect(wb.api.call('runs/page', { sort: 'config.nope' as 'id' })).rejects.toMatchObject({ code: 'VALIDATION' });
    } finally {
      await wb.close();
    }
  });
});
