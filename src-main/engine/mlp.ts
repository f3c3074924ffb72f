import type { TrainConfig } from '../../src-shared/config';
import type { Backend, Mat } from './backend';
import { Activation } from './layers/activation';
import { Dense, type ParamGroup } from './layers/dense';
import { SoftmaxCrossEntropy } from './layers/softmaxCrossEntropy';

export interface MlpShape {
  inputs: number;
  hidden: readonly number[];
  classes: number;
  activation: TrainConfig['activation'];
}

/**
 * The report's network: Dense → activation for each hidden layer, then Dense → softmax with
 * cross-entropy. `capacity` is the largest number of rows one forward pass will see.
 */
export class Mlp {
  readonly dense: Dense[] = [];
  readonly activations: Activation[] = [];
  readonly loss: SoftmaxCrossEntropy;

  constructor(
    readonly backend: Backend,
    readonly shape: MlpShape,
    readonly capacity: number,
  ) {
    const widths = [shape.inputs, ...shape.hidden, shape.classes];
    for (let l = 0; l + 1 < widths.length; l++) {
      this.dense.push(new Dense(backend, widths[l], widths[l + 1], capacity, l > 0));
      if (l + 2 < widths.length) this.activations.push(new Activation(backend, shape.activation, widths[l + 1], capacity));
    }
    this.loss = new SoftmaxCrossEntropy(backend, shape.classes, capacity);
  }

  /** Logits for `rows` inputs. */
  forward(x: Mat, rows: number): Mat {
    let h = x;
    for (let l = 0; l < this.dense.length; l++) {
      h = this.dense[l].forward(h, rows);
      if (l < this.activations.length) h = this.activations[l].forward(h, rows);
    }
    return h;
  }

  /** Forward, mean loss and the gradients of every parameter. */
  lossAndGradients(x: Mat, labels: Uint8Array, rows: number, preds: Uint8Array | null = null): number {
    const loss = this.loss.forwardBackward(this.forward(x, rows), labels, rows, preds);
    let grad: Mat | null = this.loss.dz;
    for (let l = this.dense.length - 1; l >= 0 && grad; l--) {
      if (l < this.activations.length) grad = this.activations[l].backward(grad, rows);
      grad = this.dense[l].backward(grad, rows);
    }
    return loss;
  }

  /** Parameters with their gradients; weights carry the L2 multiplier λ, biases 0. */
  params(l2: number): ParamGroup[] {
    return this.dense.flatMap((d, i) => d.params(i + 1, l2));
  }

  parameterCount(): number {
    return this.dense.reduce((s, d) => s + d.fanIn * d.fanOut + d.fanOut, 0);
  }

  /** Σ‖W‖² over the weight matrices (not biases), for the objective λ/2·Σ‖W‖². */
  weightSquares(): number {
    return this.dense.reduce((s, d) => s + this.backend.sumSquares(d.w), 0);
  }
}
