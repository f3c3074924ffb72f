import { join } from 'node:path';
import { parseSweepSpec } from '../../src-shared/sweep';
import { DB_FILE } from '../../src-main/store/database';
import { Store } from '../../src-main/store/store';

/**
 * Writes a small finished history into `home` through the real store, without training: one
 * experiment of 2 learning rates × 2 seeds, 3 epochs each, plus one run left queued. Returns the
 * database path. Fast enough to build a fresh home per test.
 */
export function writeSavedHistory(home: string): string {
  const path = join(home, DB_FILE);
  const store = new Store(path, 'test');
  try {
    const { spec } = parseSweepSpec({ name: 'saved', base: { epochs: 3, hidden: [8] }, axes: [{ field: 'learningRate', values: [0.1, 0.3] }], repeats: 2 });
    store.createExperiment(spec, null);
    for (let i = 0; i < 4; i++) {
      const run = store.runs.claimNext('fixture', Date.now() + 60_000, 'wasm-simd', 'fixture-sha', new Date().toISOString())!;
      for (let epoch = 1; epoch <= 3; epoch++) {
        const acc = 0.2 + 0.05 * epoch + 0.01 * i;
        const metrics = { epoch, trainLoss: 2 - 0.1 * epoch, trainAccuracy: acc, objective: 2.1 - 0.1 * epoch, testLoss: 2.05 - 0.1 * epoch, testAccuracy: acc, learningRate: 0.1, seconds: 0.5, confusion: Array.from({ length: 100 }, (_, k) => k + i) };
        store.recordEpoch(run.id, metrics, { epoch, testAccuracy: acc }, Date.now() + 60_000);
      }
      store.finishRun(run.id, 'finished');
    }
    store.createExperiment(parseSweepSpec({ name: 'waiting', base: { epochs: 1, hidden: [8] } }).spec, null);
  } finally {
    store.close();
  }
  return path;
}
