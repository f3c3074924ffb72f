import { describe, expect, it } from 'vitest';
import { groupRuns, groupSeries, type RunWithEpochs } from '../../src-shared/aggregate';
import { parseTrainConfig } from '../../src-shared/config';
import type { RunStatus } from '../../src-shared/runs';

let id = 0;
function run(lr: number, status: RunStatus, accs: number[]): RunWithEpochs {
  id += 1;
  const config = parseTrainConfig({ learningRate: lr, seed: id });
  return {
    id, experimentId: 1, status, seed: id, repeatIndex: 0, configHash: `h${lr}`, config, epochsDone: accs.length,
    finalTestAccuracy: accs.at(-1) ?? null, finalTestLoss: null, bestTestAccuracy: null, bestEpoch: null, divergedEpoch: status === 'diverged' ? accs.length : null,
    error: null, createdAt: '', startedAt: null, finishedAt: null, requeuedFrom: null, tags: [], notes: '',
    epochs: accs.map((a, i) => ({ epoch: i + 1, trainLoss: 1, trainAccuracy: a, objective: 1, testLoss: 1, testAccuracy: a, learningRate: lr, seconds: 1 })),
  };
}

describe('grouping runs by config minus seed', () => {
  const runs = [run(0.1, 'finished', [0.3, 0.4]), run(0.1, 'finished', [0.5, 0.6]), run(0.1, 'diverged', [NaN]), run(0.3, 'finished', [0.2, 0.25])];
  const groups = groupRuns(runs);

  it('labels groups by the fields that differ and keeps unfinished runs out of the statistics', () => {
    expect(groups.map((g) => [g.label, g.included.length, g.excluded.length])).toEqual([
      ['learningRate=0.1', 2, 1],
      ['learningRate=0.3', 1, 0],
    ]);
  });

  it('series: per-epoch mean, sample std and n over finished runs (by hand: epoch 1 → 0.4 ± 0.141421, n 2)', () => {
    const s = groupSeries(groups[0], 'testAccuracy');
    expect(s.map((p) => [p.epoch, p.n])).toEqual([[1, 2], [2, 2]]);
    expect(s[0].mean).toBeCloseTo(0.4, 12);
    expect(s[0].std).toBeCloseTo(Math.SQRT2 / 10, 12);
    expect(s[1].mean).toBeCloseTo(0.5, 12);
    const single = groupSeries(groups[1], 'testAccuracy');
    expect(single[0]).toMatchObject({ n: 1, mean: 0.2 });
    expect(single[0].std).toBeNaN();
  });
});
