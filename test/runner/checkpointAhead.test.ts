import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../src-shared/sweep';
import { readCheckpointFile } from '../../src-main/store/files/checkpointFile';
import { runnerFixture } from '../helpers/runnerFixture';

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this (the main) thread for `ms`, as a busy event loop would. */
const block = (ms: number) => Atomics.wait(pause, 0, 0, ms);

describe('a checkpoint is never more than one epoch ahead of the history', () => {
  it('the training thread waits while the main thread cannot commit (a run killed then resumes from its last epoch)', async () => {
    const f = runnerFixture({ workers: 1 });
    try {
      const { id } = f.store.createExperiment(parseSweepSpec({ name: 'ahead', base: { epochs: 40, hidden: [16] } }).spec, null);
      const [run] = f.store.listRuns({ experimentId: id, limit: 1, offset: 0 });
      const config = f.store.getRun(run.id).config;
      let newest = 0;
      let waited = 0;
      f.runner.on((event, p) => {
        if (event !== 'run/epoch' || p.metrics.epoch !== 1) return;
        // epoch 1 is committed and acknowledged; hold the main thread (no further commit can happen)
        // for 30 epochs' worth of the time epoch 1 took, watching the checkpoint file meanwhile
        const budget = Math.max(1000, p.metrics.seconds * 1000 * 30);
        const start = performance.now();
        while (performance.now() - start < budget && newest < 3) {
          try {
            newest = Math.max(newest, readCheckpointFile(f.files!.checkpointPath(run.id), run.id, config).state.epoch);
          } catch {
            // between the two renames of a write: look again
          }
          block(5);
        }
        waited = performance.now() - start;
        f.runner.cancelRun(run.id);
      });
      await f.runner.start();
      f.runner.pump();
      await f.runner.whenIdle();
      expect(waited).toBeGreaterThan(0);
      // the thread trained on, but wrote the checkpoint of epoch 2 at most, never epoch 3 and later
      expect(newest).toBeLessThanOrEqual(2);
      expect(f.store.getRun(run.id).status).toBe('cancelled');
      // and the stop, asked while the thread waited, wrote nothing past the history either
      const done = f.store.getRun(run.id).epochs.length;
      expect(readCheckpointFile(f.files!.checkpointPath(run.id), run.id, config).state.epoch).toBeLessThanOrEqual(done + 1);
    } finally {
      await f.cleanup(f.runner);
    }
  });
});
