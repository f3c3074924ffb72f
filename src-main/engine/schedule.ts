import type { TrainConfig } from '../../src-shared/config';

/**
 * Learning rate for a 0-based epoch (the report counts epochs from 0, so epoch 0 uses γ0):
 * constant γ0; exponential γ0·e^(−k·epoch); step γ0·factor^⌊epoch/stepSize⌋;
 * cosine min + (γ0 − min)·(1 + cos(π·epoch/epochs))/2.
 */
export function learningRateAt(config: TrainConfig, epoch: number): number {
  const g0 = config.learningRate;
  switch (config.schedule) {
    case 'constant':
      return g0;
    case 'exponential':
      return g0 * Math.exp(-config.decay * epoch);
    case 'step':
      return g0 * config.stepFactor ** Math.floor(epoch / config.stepSize);
    case 'cosine': {
      const min = Math.min(config.minLearningRate, g0);
      return min + ((g0 - min) * (1 + Math.cos((Math.PI * epoch) / config.epochs))) / 2;
    }
  }
}
