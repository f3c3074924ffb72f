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
    error: null, createdAt: '', startedAt: null, finishedAt: null, requeuedFrom: null, tags: [], notes: '', resumedEpoch: null, resumeNote: null,
    epochs: accs.map((a, i) => ({ epoch: i + 1, trainLoss: 1, trainAccuracy: a, objective: 1, testLoss: 1, testAccuracy: a, learningRate: lr, seconds: 1 })),
  };
}

describe('grouping runs by config minus seed', () => {
  const runs = [run(0.1, 'finished', [0.3, 0.4]), run(0.1, 'finished', [0.5, 0.6]), run(0.1, 'diverged', [NaN]), run(0.3, 'finished', [0.2, 0.25])];
  const groups = groupRuns(runs);

  it('labels groups by the fields that differ and keeps unfinished runs out of the statistics', () => {
    expect(groups.map((g) => [g.label, g.included.length, g.excluded.length])).toEqual([
      ['γ 0.1', 2, 1],
      ['γ 0.3', 1, 0],
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

describe('averaged confusion matrix and per-class accuracy', () => {
  it('averages counts cell by cell and summarises each class accuracy across seeds', async () => {
    const { groupConfusion, atEpoch } = await import('../../src-shared/aggregate');
    const identity = (k: number) => Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? k : 0));
    const a = { ...run(0.5, 'finished', [0.2, 0.3]), confusion: { epoch: 2, matrix: identity(10) } };
    const b = { ...run(0.5, 'finished', [0.4, 0.5]), confusion: { epoch: 2, matrix: identity(10).map((v, i) => (i === 0 ? 5 : i === 1 ? 5 : v)) } };
    const [group] = groupRuns([a, b]);
    const c = groupConfusion(group)!;
    expect(c.n).toBe(2);
    expect(c.mean[0]).toBe(7.5);
    expect(c.mean[1]).toBe(2.5);
    expect(c.mean[11]).toBe(10);
    // class 0 accuracy: run a 10/10 = 1, run b 5/10 = 0.5 → mean 0.75, std √0.125
    expect(c.perClass[0].mean).toBeCloseTo(0.75, 12);
    expect(c.perClass[0].std).toBeCloseTo(Math.sqrt(0.125), 12);
    expect(c.perClass[1]).toMatchObject({ mean: 1, n: 2 });
    expect(atEpoch(group, 'testAccuracy', 1)).toMatchObject({ n: 2 });
    expect(atEpoch(group, 'testAccuracy', 1).mean).toBeCloseTo(0.3, 12);
  });
});

describe('grouping by chosen fields', () => {
  it('merges runs that differ only in fields that are not chosen', () => {
    const runs = [run(0.1, 'finished', [0.3]), run(0.3, 'finished', [0.5])].map((r, i) => ({ ...r, configHash: `h${i}`, config: { ...r.config, optimizer: 'sgd' as const } }));
    expect(groupRuns(runs).map((g) => g.label)).toEqual(['γ 0.1', 'γ 0.3']);
    const merged = groupRuns(runs, ['optimizer']);
    expect(merged).toHaveLength(1);
    expect(merged[0].included).toHaveLength(2);
  });
});
