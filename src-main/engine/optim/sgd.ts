import type { Backend, Mat } from '../backend';
import type { ParamGroup } from '../layers/dense';
import type { Optimizer } from './optimizer';

/**
 * Stochastic gradient descent. With L2 the step is exactly w ← w − γ(∇J + λw); with momentum μ > 0
 * it is PyTorch's form v ← μv + (∇J + λw), w ← w − γv.
 */
export class Sgd implements Optimizer {
  private readonly velocity: (Mat | null)[];

  constructor(
    private readonly backend: Backend,
    private readonly groups: ParamGroup[],
    private readonly options: { momentum: number },
  ) {
    this.velocity = groups.map((g) => (options.momentum > 0 ? backend.zerosLike(g.param) : null));
  }

  /** Counted for checkpoints; plain SGD does not depend on it. */
  steps = 0;

  buffers(): { name: string; mat: Mat }[] {
    return this.groups.flatMap((g, i) => (this.velocity[i] ? [{ name: `${g.name}.velocity`, mat: this.velocity[i] }] : []));
  }

  step(lr: number): void {
    this.steps += 1;
    this.groups.forEach((g, i) => this.backend.sgdStep(g.param, g.grad, this.velocity[i], lr, this.options.momentum, g.l2));
  }
}
