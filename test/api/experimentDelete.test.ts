import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { writeFinishedRuns } from '../helpers/finishedRuns';

const root = mkdtempSync(join(tmpdir(), 'api-experiment-delete-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('experiments/delete', () => {
  it("moves every run of the experiment to the archive (files kept, restorable); purged, the runs' files and the experiment go, and no other run's", async () => {
    const home = join(root, 'home');
    const wb = openWorkbench(home, { workers: 1 });
    try {
      const accuracy = (run: number, _group: number, epoch: number): number => 0.2 + 0.01 * run + 0.03 * epoch;
      const keep = writeFinishedRuns(wb.store, { name: 'keep', learningRates: [0.1], repeats: 2, epochs: 2, accuracy });
      const gone = writeFinishedRuns(wb.store, { name: 'gone', learningRates: [0.1, 0.2], repeats: 3, epochs: 2, accuracy });
      const files = new RunFiles(home);
      const every = (id: number): string[] => [files.checkpointPath(id), files.previousCheckpointPath(id), files.modelPath(id), files.modelPath(id, 'best')];
      const write = (path: string): void => {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, 'x');
      };
      const goneIds = wb.store.runIds(gone);
      const keptIds = wb.store.runIds(keep);
      // some deleted runs have every file, some one, some none; a temporary file being written is left alone
      goneIds.slice(0, 3).forEach((id) => every(id).forEach(write));
      write(files.modelPath(goneIds[4]));
      keptIds.forEach((id) => every(id).forEach(write));
      const temp = `${files.modelPath(keptIds[0])}.tmp-${process.pid}`;
      write(temp);
      const present = (): string[] => goneIds.flatMap(every).filter(existsSync);
      const before = present();

      expect(await wb.api.call('experiments/delete', { id: gone })).toEqual({ deleted: gone, archived: goneIds });
      // out of every list, but nothing is lost: the runs wait in the archive with their files
      expect((await wb.api.call('experiments/list', {})).map((e) => e.id)).toEqual([keep]);
      expect(await wb.api.call('runs/list', { experimentId: gone })).toEqual([]);
      expect((await wb.api.call('runs/page', { archived: true, limit: 100, offset: 0 })).rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(goneIds);
      expect(present()).toEqual(before);
      // restored, the experiment is back as it was
      expect((await wb.api.call('runs/restore', { ids: goneIds.slice(0, 2) })).restored).toEqual(goneIds.slice(0, 2));
      expect((await wb.api.call('experiments/list', {})).map((e) => e.id)).toEqual([gone, keep]);
      expect((await wb.api.call('experiments/get', { id: gone })).runCount).toBe(2);
      await wb.api.call('experiments/delete', { id: gone });

      // deleted for good: the runs' files, then the experiment with its last run
      expect((await wb.api.call('runs/purge', { ids: goneIds.slice(0, 3) })).deleted).toEqual(goneIds.slice(0, 3));
      expect(goneIds.slice(0, 3).flatMap(every).filter(existsSync)).toEqual([]);
      expect((await wb.api.call('experiments/get', { id: gone })).runCount).toBe(0); // still there, its other runs archived
      await wb.api.call('runs/purge', { ids: goneIds.slice(3) });
      expect(present()).toEqual([]);
      await expect(wb.api.call('experiments/get', { id: gone })).rejects.toThrow(`No experiment ${gone}`);
      expect(keptIds.flatMap(every).every(existsSync)).toBe(true);
      expect(existsSync(temp)).toBe(true);
      expect(await wb.api.call('runs/list', { experimentId: keep })).toHaveLength(2);
      await expect(wb.api.call('experiments/delete', { id: 999 })).rejects.toThrow('No experiment 999');
    } finally {
      await wb.close();
    }
  });

  it('an experiment left with no run at all (its last purged by an older version) goes when deleted, or at the next start', async () => {
    const home = join(root, 'home3');
    let wb = openWorkbench(home, { workers: 1 });
    try {
      const a = writeFinishedRuns(wb.store, { name: 'a', learningRates: [0.1], repeats: 1, epochs: 1, accuracy: () => 0.3 });
      const b = writeFinishedRuns(wb.store, { name: 'b', learningRates: [0.1], repeats: 1, epochs: 1, accuracy: () => 0.3 });
      wb.store.db.prepare('DELETE FROM runs').run();
      expect(await wb.api.call('experiments/delete', { id: a })).toEqual({ deleted: a, archived: [] });
      await expect(wb.api.call('experiments/get', { id: a })).rejects.toThrow(`No experiment ${a}`);
      expect((await wb.api.call('experiments/get', { id: b })).runCount).toBe(0);
      await wb.close();
      wb = openWorkbench(home, { workers: 1 });
      await wb.api.call('runs/page', { archived: true });
      await expect(wb.api.call('experiments/get', { id: b })).rejects.toThrow(`No experiment ${b}`);
    } finally {
      await wb.close();
    }
  });

  it('cancels queued runs first, and refuses while a run trains, changing nothing', async () => {
    const wb = openWorkbench(join(root, 'home2'), { workers: 1 });
    try {
      const { id } = await wb.api.call('experiments/create', { spec: { name: 'queued', base: { epochs: 2 }, repeats: 3 } });
      expect((await wb.api.call('experiments/delete', { id })).archived).toHaveLength(3);
      expect((await wb.api.call('runs/page', { archived: true, limit: 10, offset: 0 })).rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      const busy = writeFinishedRuns(wb.store, { name: 'busy', learningRates: [0.1], repeats: 3, epochs: 2, accuracy: () => 0.3 });
      const [first, , third] = wb.store.runIds(busy).sort((a, b) => a - b);
      wb.store.db.prepare("UPDATE runs SET status = 'running', lease_owner = 'other', lease_until = ? WHERE id = ?").run(Date.now() + 600_000, first);
      wb.store.db.prepare("UPDATE runs SET status = 'queued' WHERE id = ?").run(third);
      const events: string[] = [];
      wb.api.subscribe((name, p) => name === 'run/state' && events.push(`${p.runId} ${p.status}`));
      await expect(wb.api.call('experiments/delete', { id: busy })).rejects.toThrow(`Experiment ${busy} has 1 run(s) that have not ended (run ${first}: it is running: cancel it first); cancel them before deleting it`);
      // refused, it changed nothing: the queued run is still queued, and nobody was told otherwise
      expect((await wb.api.call('runs/list', { experimentId: busy })).map((r) => r.status).sort()).toEqual(['finished', 'queued', 'running']);
      expect(events).toEqual([]);
    } finally {
      await wb.close();
    }
  });
});
