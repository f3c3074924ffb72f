import type { TrainConfig } from '../../../src-shared/config';
import type { Backend, Mat } from '../backend';
import type { ParamGroup } from '../layers/dense';
import { Adam } from './adam';
import { Sgd } from './sgd';

/** Updates every parameter group from its gradient. `lr` comes from the schedule each step. */
export interface Optimizer {
  step(lr: number): void;
  /** Its state between steps (velocities or Adam moments), by name, for checkpoints. */
  buffers(): { name: string; mat: Mat }[];
  /** Steps taken so far (Adam's bias correction depends on it). */
  steps: number;
}

export function createOptimizer(backend: Backend, groups: ParamGroup[], config: TrainConfig): Optimizer {
  if (config.optimizer === 'adam') {
    return new Adam(backend, groups, { beta1: config.adamBeta1, beta2: config.adamBeta2, epsilon: config.adamEpsilon });
  }
  return new Sgd(backend, groups, { momentum: config.momentum });
}
