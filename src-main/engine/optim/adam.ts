import type { Backend, Mat } from '../backend';
import type { ParamGroup } from '../layers/dense';
import type { Optimizer } from './optimizer';

/**
 * Adam (Kingma & Ba) with bias correction; t counts iterations over the whole run. The L2 term
 * λw is added to the gradient first, so Adam sees it (PyTorch's coupled weight_decay, not AdamW).
 */
export class Adam implements Optimizer {
  private readonly m: Mat[];
  private readonly v: Mat[];
  private t = 0;

  get steps(): number {
    return this.t;
  }

  set steps(t: number) {
    this.t = t;
  }

  constructor(
    private readonly backend: Backend,
    private readonly groups: ParamGroup[],
    private readonly options: { beta1: number; beta2: number; epsilon: number },
  ) {
    this.m = groups.map((g) => backend.zerosLike(g.param));
    this.v = groups.map((g) => backend.zerosLike(g.param));
  }

  buffers(): { name: string; mat: Mat }[] {
    return this.groups.flatMap((g, i) => [
      { name: `${g.name}.m`, mat: this.m[i] },
      { name: `${g.name}.v`, mat: this.v[i] },
    ]);
  }

  step(lr: number): void {
    this.t += 1;
    const { beta1, beta2, epsilon } = this.options;
    const bc1 = 1 - beta1 ** this.t;
    const bc2 = 1 - beta2 ** this.t;
    this.groups.forEach((g, i) =>
      this.backend.adamStep(g.param, g.grad, this.m[i], this.v[i], lr, beta1, beta2, epsilon, bc1, bc2, g.l2),
    );
  }
}
