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
  it("removes the deleted runs' checkpoints and models, and no other run's files", async () => {
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

      expect(await wb.api.call('experiments/delete', { id: gone })).toEqual({ deleted: gone });
      expect(goneIds.flatMap(every).filter(existsSync)).toEqual([]);
      expect(keptIds.flatMap(every).every(existsSync)).toBe(true);
      expect(existsSync(temp)).toBe(true);
      expect(await wb.api.call('runs/list', { experimentId: keep })).toHaveLength(2);
    } finally {
      await wb.close();
    }
  });
});
