import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src-shared/config';
import { learningRateAt } from '../../src-main/engine/schedule';

describe('learning-rate schedules (epoch counted from 0)', () => {
  it('constant keeps γ0', () => {
    const c = parseTrainConfig({ learningRate: 0.3 });
    expect([0, 1, 19].map((e) => learningRateAt(c, e))).toEqual([0.3, 0.3, 0.3]);
  });

  it('exponential is γ0·e^(−k·epoch)', () => {
    const c = parseTrainConfig({ learningRate: 0.3, schedule: 'exponential', decay: 0.1 });
    // by hand: 0.3, 0.3·e^−0.1 = 0.271451225, 0.3·e^−0.2 = 0.245619226, 0.3·e^−1.9 = 0.044870586
    expect(learningRateAt(c, 0)).toBe(0.3);
    expect(learningRateAt(c, 1)).toBeCloseTo(0.271451225, 9);
    expect(learningRateAt(c, 2)).toBeCloseTo(0.245619226, 9);
    expect(learningRateAt(c, 19)).toBeCloseTo(0.044870586, 9);
  });

  it('step multiplies by the factor every stepSize epochs', () => {
    const c = parseTrainConfig({ learningRate: 0.2, schedule: 'step', stepSize: 3, stepFactor: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map((e) => learningRateAt(c, e))).toEqual([0.2, 0.2, 0.1, 0.1, 0.05, 0.025]);
  });

  it('cosine falls from γ0 to the floor over the run', () => {
    const c = parseTrainConfig({ learningRate: 0.1, schedule: 'cosine', epochs: 4, minLearningRate: 0.01 });
    // by hand: 0.01 + 0.09·(1 + cos(π·e/4))/2 → 0.1, 0.086819805, 0.055, 0.023180195
    expect(learningRateAt(c, 0)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c, 1)).toBeCloseTo(0.086819805, 9);
    expect(learningRateAt(c, 2)).toBeCloseTo(0.055, 12);
    expect(learningRateAt(c, 3)).toBeCloseTo(0.023180195, 9);
  });
});
