import type { TrainConfig } from '../../src-shared/config';
import type { Mlp } from './mlp';
import type { Rng } from './rng';

/**
 * Standard deviation of the normal initialisation of a fan_in × fan_out weight matrix. The default,
 * lecun (1/fan_in), is what the numpy reference uses; xavier (Glorot) suits tanh, he suits relu.
 */
export function initStd(scheme: TrainConfig['init'], fanIn: number, fanOut: number): number {
  switch (scheme) {
    case 'lecun':
      return Math.sqrt(1 / fanIn);
    case 'xavier':
      return Math.sqrt(2 / (fanIn + fanOut));
    case 'he':
      return Math.sqrt(2 / fanIn);
  }
}

/** Draws every weight from N(0, std²) in layer order, row-major; biases start at 0. */
export function initialize(model: Mlp, scheme: TrainConfig['init'], rng: Rng): void {
  for (const d of model.dense) {
    const std = initStd(scheme, d.fanIn, d.fanOut);
    const values = new Float64Array(d.fanIn * d.fanOut);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
    model.backend.write(d.w, values);
    model.backend.write(d.b, new Float64Array(d.fanOut));
  }
}
