import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src-shared/config';
import type { RunSummary } from '../../src-shared/runs';
import { groupTable, runLine, varyingFields } from '../../src-main/cli/runFormat';

/** A finished run of the given config change, as runs/list returns it. */
function run(id: number, change: Partial<TrainConfig>, accuracy: number | null = 0.4, status: RunSummary['status'] = 'finished'): RunSummary {
  const config = { ...DEFAULT_TRAIN_CONFIG, ...change };
  return {
    id, experimentId: 1, status, seed: config.seed, repeatIndex: 0, configHash: JSON.stringify({ ...config, seed: 0 }), config,
    epochsDone: 3, finalTestAccuracy: accuracy, finalTestLoss: 1.5, bestTestAccuracy: accuracy, bestEpoch: accuracy === null ? null : 3,
    divergedEpoch: null, error: null, createdAt: '2025-01-01T00:00:00Z', startedAt: null, finishedAt: null, requeuedFrom: null,
    tags: [], notes: '', resumedEpoch: null, resumeNote: null,
  };
}

describe('CLI run and group lines', () => {
  const runs = [
    run(1, { optimizer: 'sgd', learningRate: 0.3, hidden: [100], seed: 1 }, 0.41),
    run(2, { optimizer: 'sgd', learningRate: 0.3, hidden: [100], seed: 2 }, 0.43),
    run(3, { optimizer: 'adam', learningRate: 0.001, hidden: [100, 100], seed: 1 }, 0.5),
    run(4, { optimizer: 'adam', learningRate: 0.001, hidden: [100, 100], seed: 2 }, null, 'cancelled'),
  ];

  it('names what varies in the user words of the app (γ, SGD, hidden 100×100), never field=JSON', () => {
    const fields = varyingFields(runs);
    expect(runLine(runs[0], fields)).toMatch(/ {2}3 ep {2}hidden 100 · SGD · γ 0\.3 · seed 1$/);
    expect(runLine(runs[2], fields)).toMatch(/ {2}3 ep {2}hidden 100×100 · Adam · γ 0\.001 · seed 1$/);
    for (const r of runs) expect(runLine(r, fields)).not.toMatch(/=|"/);
    // nothing varies: only the seed
    expect(runLine(runs[0], varyingFields(runs.slice(0, 2)))).toMatch(/ {2}3 ep {2}seed 1$/);
  });

  it('labels groups as Compare does, with their figures aligned in one column', () => {
    const lines = groupTable(runs);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ {2}hidden 100 · SGD · γ 0\.3 +final 42\.00 % ± 1\.41 \(n=2\)$/);
    expect(lines[1]).toMatch(/^ {2}hidden 100×100 · Adam · γ 0\.001 +final 50\.00 % ± 0\.00 \(n=1, 1 not finished\)$/);
    expect(new Set(lines.map((l) => l.indexOf(' final ')))).toHaveProperty('size', 1);
    expect(groupTable(runs.slice(0, 2))[0]).toMatch(/^ {2}all runs +final 42\.00 %/);
  });

  it('keeps long labels aligned: the column widens to the longest', () => {
    const long = [run(1, { hidden: [1000, 1000, 1000, 1000], learningRate: 0.0001234, momentum: 0.95, l2: 0.00001 }), run(2, { hidden: [10], learningRate: 0.1 })];
    const lines = groupTable(long);
    expect(lines[0].length).toBeGreaterThan(40);
    expect(new Set(lines.map((l) => l.indexOf(' final ')))).toHaveProperty('size', 1);
  });
});
