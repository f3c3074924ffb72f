import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src-shared/errors';
import { PRESETS } from '../../../src-shared/presets';
import { expandSweep, parseSweepSpec, sweepPreview } from '../../../src-shared/sweep';

function issuesOf(spec: unknown): { path: string; message: string }[] {
  try {
    parseSweepSpec(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('the spec was accepted');
}
const fig2 = PRESETS.find((p) => p.id === 'fig2')!.spec;

describe('search strategies in the sweep spec', () => {
  it('parses a spec without strategy exactly as before: a grid, the same spec and runs', () => {
    const { spec, count } = parseSweepSpec(fig2);
    expect(count).toBe(120);
    expect(Object.keys(spec)).not.toContain('strategy');
    expect(Object.keys(spec)).not.toContain('random');
    expect(Object.keys(spec)).not.toContain('asha');
    expect(expandSweep(spec)).toEqual(expandSweep(parseSweepSpec({ ...fig2, strategy: 'grid' }).spec));
    expect(sweepPreview(spec)).toEqual({ runs: 120, configurations: 12, fullEpochs: 2400, maxEpochs: 2400 });
  });

  it('draws a random search reproducibly: trials × repeats runs, repeat r on seed base.seed + r', () => {
    const input = {
      name: 'r', base: { epochs: 3, seed: 5 }, repeats: 2, strategy: 'random',
      random: { trials: 4, seed: 11, fields: [{ field: 'learningRate', distribution: 'logUniform', min: 0.001, max: 0.5 }, { field: 'batchSize', distribution: 'integer', min: 16, max: 128 }] },
    };
    const { spec, count } = parseSweepSpec(input);
    expect(count).toBe(8);
    const runs = expandSweep(spec);
    expect(runs.map((r) => r.config.seed)).toEqual([5, 6, 5, 6, 5, 6, 5, 6]);
    expect(runs.map((r) => r.config.learningRate)).toEqual(expandSweep(parseSweepSpec(input).spec).map((r) => r.config.learningRate));
    for (const r of runs) {
      expect(r.config.learningRate).toBeGreaterThanOrEqual(0.001);
      expect(r.config.learningRate).toBeLessThanOrEqual(0.5);
      expect(Number.isInteger(r.config.batchSize)).toBe(true);
    }
    const other = expandSweep(parseSweepSpec({ ...input, random: { ...input.random, seed: 12 } }).spec);
    expect(other.map((r) => r.config.learningRate)).not.toEqual(runs.map((r) => r.config.learningRate));
    // the axes of a random search are drawn as choices
    const fromAxes = expandSweep(parseSweepSpec({ ...fig2, repeats: 1, strategy: 'random', random: { trials: 5 } }).spec);
    expect(fromAxes).toHaveLength(5);
    for (const r of fromAxes) expect([0.001, 0.01, 0.1, 0.2, 0.3, 0.5]).toContain(r.config.learningRate);
  });

  it('reports every problem of the search part at its path', () => {
    const issues = issuesOf({
      name: 'x', strategy: 'random', axes: [{ field: 'optimizer', values: ['sgd', 'adam'] }],
      random: {
        trials: 0,
        fields: [
          { field: 'learningRate', distribution: 'logUniform', min: 0, max: 0.5 },
          { field: 'batchSize', distribution: 'uniform', min: 16, max: 64 },
          { field: 'momentum', distribution: 'uniform', min: 0.5, max: 1.5 },
          { field: 'optimizer', distribution: 'choice', values: ['sgd'] },
          { field: 'activation', distribution: 'uniform', min: 0, max: 1 },
          { field: 'l2', distribution: 'uniform', min: 0.1, max: 0.1 },
          { field: 'seed', distribution: 'integer', min: 0, max: 9 },
          { field: 'hidden', distribution: 'choice', values: [[10], [10]] },
        ],
      },
      asha: { minEpochs: 0, reductionFactor: 1, metric: 'f1' },
    });
    const at = (path: string) => issues.find((i) => i.path === path)?.message;
    expect(at('random.trials')).toMatch(/allowed: an integer 1–10,000/);
    expect(at('random.fields.0.min')).toMatch(/log-uniform distribution needs ends > 0/);
    expect(at('random.fields.1.distribution')).toMatch(/batchSize takes whole numbers: use integer/);
    expect(at('random.fields.2.max')).toMatch(/^momentum: .*allowed: a number ≥ 0 and < 1/);
    expect(at('random.fields.3.field')).toMatch(/optimizer is also an axis/);
    expect(at('random.fields.4.distribution')).toMatch(/activation takes sigmoid, tanh or relu: draw it with choice/);
    expect(at('random.fields.5.max')).toMatch(/max must be above min/);
    expect(at('random.fields.6.field')).toMatch(/seed is set by repeats/);
    expect(at('random.fields.7.values.1')).toMatch(/already a value of this choice/);
    expect(at('asha.minEpochs')).toMatch(/allowed: an integer ≥ 1/);
    expect(at('asha.reductionFactor')).toMatch(/allowed: η, an integer 2–100/);
    expect(at('asha.metric')).toMatch(/allowed: testAccuracy, testLoss/);
    expect(issuesOf({ name: 'x', strategy: 'random' })).toEqual([{ path: 'random', message: expect.stringMatching(/needs \{ trials/) }]);
    expect(issuesOf({ name: 'x', random: { trials: 2 } })).toEqual([{ path: 'random', message: 'only used with strategy: "random"' }]);
    expect(issuesOf({ name: 'x', strategy: 'bayes' })).toEqual([{ path: 'strategy', message: 'grid or random, not "bayes"' }]);
  });

  it('refuses more trials than the fields have configurations, too many runs, and ASHA without a rung', () => {
    expect(issuesOf({ ...fig2, strategy: 'random', random: { trials: 13 } })).toEqual([{ path: 'random.trials', message: expect.stringMatching(/hold only 12 different configurations/) }]);
    const many = { name: 'x', repeats: 10, strategy: 'random', random: { trials: 1001, fields: [{ field: 'l2', distribution: 'uniform', min: 0, max: 1 }] } };
    expect(issuesOf(many)).toEqual([{ path: 'random.trials', message: expect.stringMatching(/1,001 trials × 10 repeats = 10,010 runs/) }]);
    expect(issuesOf({ ...fig2, asha: { minEpochs: 20 } })).toEqual([{ path: 'asha.minEpochs', message: expect.stringMatching(/must be below the runs’ epochs \(20\)/) }]);
    const huge = { name: 'x', strategy: 'random', random: { trials: 3, fields: [{ field: 'batchSize', distribution: 'integer', min: 2000, max: 4096 }] }, base: { hidden: [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096], optimizer: 'adam' } };
    expect(issuesOf(huge)).toEqual([{ path: 'random.fields.0', message: expect.stringMatching(/^trial 1 draws batchSize \d+: .*more than the 2\.00 GB/) }]);
  });

  it('previews runs and the most epochs: a grid trains them all, ASHA at most ⌈n/η⌉ per rung', () => {
    const asha = parseSweepSpec({ ...fig2, repeats: 3, asha: { minEpochs: 2, reductionFactor: 3 } }).spec;
    // 12 configurations × 3 seeds: 12 × 2 epochs, 4 go on to 6, 2 to 18, 1 to 20
    expect(sweepPreview(asha)).toEqual({ runs: 36, configurations: 12, fullEpochs: 720, maxEpochs: 3 * (12 * 2 + 4 * 4 + 2 * 12 + 1 * 2) });
    expect(sweepPreview(parseSweepSpec({ ...fig2, repeats: 3, asha: { minEpochs: 1, reductionFactor: 2 } }).spec).maxEpochs).toBe(3 * (12 * 1 + 6 * 1 + 3 * 2 + 2 * 4 + 1 * 8 + 1 * 4));
    // epochs swept: the costliest configurations are taken as the promoted ones
    const mixed = parseSweepSpec({ name: 'm', axes: [{ field: 'epochs', values: [4, 10, 30] }], asha: { minEpochs: 3, reductionFactor: 3 } }).spec;
    expect(sweepPreview(mixed)).toEqual({ runs: 3, configurations: 3, fullEpochs: 44, maxEpochs: 3 + 3 + 3 + 1 * 6 + 1 * 21 });
    expect(parseSweepSpec({ ...fig2, asha: {} }).spec.asha).toEqual({ minEpochs: 1, reductionFactor: 3, metric: 'testAccuracy' });
  });
});
