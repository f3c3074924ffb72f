import type { EpochMetrics } from '../../src-shared/metrics';
import type { RunStatus } from '../../src-shared/runs';
import { parseSweepSpec } from '../../src-shared/sweep';
import type { Store } from '../../src-main/store/store';

export interface FinishedRunsSpec {
  name: string;
  /** One group per learning rate. */
  learningRates: number[];
  repeats: number;
  epochs: number;
  /** The test accuracy of a run (0-based index in creation order, its group index) at an epoch. */
  accuracy: (run: number, group: number, epoch: number) => number;
  /** Runs left in another status than finished (by run index), after their epochs. */
  status?: (run: number) => RunStatus;
}

/**
 * Writes an experiment whose runs are trained already, through the real store and without a
 * worker: every run claimed, its epochs (other metrics derived from the accuracy) and a confusion
 * matrix committed, then finished. Synchronous, so a runner sharing the store never sees the runs
 * queued. Returns the experiment id.
 */
export function writeFinishedRuns(store: Store, spec: FinishedRunsSpec): number {
  const { spec: sweep } = parseSweepSpec({ name: spec.name, base: { epochs: spec.epochs, hidden: [8] }, axes: [{ field: 'learningRate', values: spec.learningRates }], repeats: spec.repeats });
  const { id } = store.createExperiment(sweep, null);
  const lease = Date.now() + 3_600_000;
  store.db.transaction(() => {
    const runs = store.runs.list({ experimentId: id, limit: 1_000_000, offset: 0 });
    runs.forEach((_, index) => {
      const run = store.runs.claimNext('fixture', lease, 'wasm-simd', 'fixture-sha', new Date().toISOString())!;
      const group = spec.learningRates.indexOf(JSON.parse(run.config_json).learningRate);
      let best = { epoch: 0, testAccuracy: -Infinity };
      for (let epoch = 1; epoch <= spec.epochs; epoch++) {
        const acc = spec.accuracy(index, group, epoch);
        const m: EpochMetrics = { epoch, trainLoss: 2.3 - 2 * acc, trainAccuracy: acc, objective: 2.31 - 2 * acc, testLoss: 2.32 - 2 * acc, testAccuracy: acc, learningRate: spec.learningRates[group], seconds: 0.1, confusion: Array.from({ length: 100 }, (__, k) => (k % 11 === 0 ? 50 + index : (k + index) % 5)) };
        if (acc > best.testAccuracy) best = { epoch, testAccuracy: acc };
        store.recordEpoch(run.id, m, best, lease);
      }
      const status = spec.status?.(index) ?? 'finished';
      store.finishRun(run.id, status, status === 'finished' ? null : `left ${status} by the fixture`);
    });
  })();
  return id;
}
