import { CIFAR } from '../../src-shared/cifar';
import type { Batch } from './backend';
import type { DatasetSplit, InputTransform } from './dataset';
import type { Mlp } from './mlp';

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** classes × classes counts, row = true class, column = predicted class. */
  confusion: number[];
}

/** Mean loss, accuracy and confusion matrix of the model on a whole split, in chunks of the batch's capacity. */
export function evaluate(model: Mlp, batch: Batch, split: DatasetSplit, transform: InputTransform, order: Int32Array): Evaluation {
  const classes = CIFAR.classes;
  const confusion = new Array<number>(classes * classes).fill(0);
  const preds = new Uint8Array(batch.capacity);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += batch.capacity) {
    const rows = Math.min(batch.capacity, split.count - start);
    model.backend.loadBatch(batch, split, order, start, rows, transform);
    lossSum += model.loss.evaluate(model.forward(batch.x, rows), batch.labels, rows, preds);
    for (let i = 0; i < rows; i++) {
      const y = batch.labels[i];
      confusion[y * classes + preds[i]] += 1;
      if (preds[i] === y) correct += 1;
    }
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count, confusion };
}

/** 0, 1, …, n−1. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
