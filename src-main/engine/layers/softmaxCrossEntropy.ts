import type { Backend, Mat } from '../backend';

/**
 * Softmax output with cross-entropy averaged over the batch. Their combined gradient is the
 * report's dZ = A − Y, divided by the batch size because the loss is a mean.
 */
export class SoftmaxCrossEntropy {
  readonly probs: Mat;
  readonly dz: Mat;

  constructor(
    private readonly backend: Backend,
    classes: number,
    capacity: number,
  ) {
    this.probs = backend.matrix(capacity, classes);
    this.dz = backend.matrix(capacity, classes);
  }

  /** Mean loss over `rows`; fills dz for the backward pass. */
  forwardBackward(logits: Mat, labels: Uint8Array, rows: number, preds: Uint8Array | null = null): number {
    return this.backend.softmaxCrossEntropy(logits, labels, this.probs, this.dz, preds, rows, 1 / rows) / rows;
  }

  /** Summed loss without gradient (evaluation); writes predicted classes into preds. */
  evaluate(logits: Mat, labels: Uint8Array, rows: number, preds: Uint8Array): number {
    return this.backend.softmaxCrossEntropy(logits, labels, this.probs, null, preds, rows, 0);
  }
}
