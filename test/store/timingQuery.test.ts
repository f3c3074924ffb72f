import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src-shared/metrics';
import { parseSweepSpec } from '../../src-shared/sweep';
import { Store } from '../../src-main/store/store';
import { TimingQuery } from '../../src-main/store/timingQuery';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'timing-'));
  dirs.push(dir);
  return new Store(join(dir, 'workbench.sqlite'), 'test');
}

const epoch = (e: number, seconds: number): EpochMetrics => ({
  epoch: e, trainLoss: 1, trainAccuracy: 0.5, objective: 1, testLoss: 1, testAccuracy: 0.5, learningRate: 0.1, seconds, confusion: Array<number>(100).fill(0),
});

describe('what the time estimate reads from the history', () => {
  it('sums measured epochs per kernel and shape, leaves diverged runs out, and lists pending runs in queue order', () => {
    const s = store();
    try {
      const a = s.createExperiment(parseSweepSpec({ name: 'a', base: { epochs: 3 }, axes: [{ field: 'l2', values: [0, 0.01] }] }).spec, null).id;
      const claim = (kernel: string) => s.runs.claimNext('me', Date.now() + 60_000, kernel, 'sha', new Date().toISOString())!;
      const r1 = claim('native-avx512');
      const r2 = claim('native-avx512');
      for (const e of [1, 2, 3]) s.recordEpoch(r1.id, epoch(e, 0.5), null, Date.now() + 60_000);
      s.finishRun(r1.id, 'finished');
      s.recordEpoch(r2.id, epoch(1, 9), null, Date.now() + 60_000);
      s.finishRun(r2.id, 'diverged', 'loss is NaN', 1);
      const b = s.createExperiment(parseSweepSpec({ name: 'b', priority: 5, base: { hidden: [8], epochs: 2 }, repeats: 2 }).spec, null).id;
      const r3 = claim('wasm-simd'); // b's first run: higher priority
      s.recordEpoch(r3.id, epoch(1, 2), null, Date.now() + 60_000);

      const q = new TimingQuery(s.db);
      const samples = q.samples();
      expect(samples.map((x) => [x.kernel, x.hidden, x.epochs, x.seconds, x.steadyEpochs, x.steadySeconds])).toEqual([
        ['wasm-simd', [8], 1, 2, 0, 0],
        ['native-avx512', [100, 100], 3, 1.5, 2, 1],
      ]);
      // a run still running has no wall time to learn the overhead from, nor one of 3 epochs (mostly a thread starting)
      expect(samples[0].wallEpochs).toBe(0);
      expect(samples[1].wallEpochs).toBe(0);
      const pending = q.pending();
      expect(pending.map((p) => [p.id, p.experimentId, p.status, p.epochsDone])).toEqual([
        [r3.id, b, 'running', 1],
        [r3.id + 1, b, 'queued', 0],
      ]);
      expect(pending.some((p) => p.experimentId === a)).toBe(false);
    } finally {
      s.close();
    }
  });
});
