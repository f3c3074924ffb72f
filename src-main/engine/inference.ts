import { CIFAR } from '../../src-shared/cifar';
import type { ActivationKind, Backend } from './backend';
import type { DatasetSplit, InputTransform } from './dataset';
import { identityOrder } from './evaluate';
import { Mlp } from './mlp';

/** Rows per forward pass of inference (the engine's evaluation chunk). */
export const INFER_BLOCK = 256;

/** One trained dense layer in the engine's layout: w is fan_in × fan_out, row-major (a model file's layers fit). */
export interface LayerWeights {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly w: ArrayLike<number>;
  readonly b: ArrayLike<number>;
}

/** Logits, softmax probabilities and predicted class of every record of a split. */
export interface Inference {
  count: number;
  classes: number;
  /** count × classes, row-major. */
  logits: Float32Array;
  /** count × classes, row-major; each row sums to 1. */
  probs: Float32Array;
  /** Arg-max class per record. */
  preds: Uint8Array;
}

/**
 * An Mlp on `backend` holding trained weights, for inference or evaluate() (which needs the same
 * network the trainer builds). Throws when consecutive layers do not chain or start at 3,072 inputs.
 */
export function loadMlp(backend: Backend, layers: readonly LayerWeights[], activation: ActivationKind, capacity = INFER_BLOCK): Mlp {
  if (layers.length === 0) throw new Error('a network needs at least one layer');
  layers.forEach((l, i) => {
    const fanIn = i === 0 ? CIFAR.pixelBytes : layers[i - 1].fanOut;
    if (l.fanIn !== fanIn || l.w.length !== l.fanIn * l.fanOut || l.b.length !== l.fanOut) throw new Error(`layer ${i + 1} is ${l.fanIn}×${l.fanOut} with ${l.w.length} weights and ${l.b.length} biases; it must take ${fanIn} inputs`);
  });
  const hidden = layers.slice(0, -1).map((l) => l.fanOut);
  const mlp = new Mlp(backend, { inputs: CIFAR.pixelBytes, hidden, classes: layers.at(-1)!.fanOut, activation }, capacity);
  layers.forEach((l, i) => {
    backend.write(mlp.dense[i].w, l.w);
    backend.write(mlp.dense[i].b, l.b);
  });
  return mlp;
}

/**
 * Runs a trained network over every record of a split (labels are ignored) in blocks of 256 rows,
 * with the input transform it was trained with. `onBlock(done, total)` follows the progress, e.g.
 * to yield to an event loop. The probabilities are the engine's own softmax, so they match what
 * training's evaluation saw.
 */
export async function inferSplit(
  backend: Backend,
  layers: readonly LayerWeights[],
  activation: ActivationKind,
  split: DatasetSplit,
  transform: InputTransform,
  onBlock?: (done: number, total: number) => void | Promise<void>,
): Promise<Inference> {
  const mlp = loadMlp(backend, layers, activation, INFER_BLOCK);
  const classes = mlp.shape.classes;
  const batch = backend.batch(INFER_BLOCK, CIFAR.pixelBytes);
  const probsMat = backend.matrix(INFER_BLOCK, classes);
  // the loss is not wanted; labels of all zeros keep any label byte (even one above 9) out of the kernel
  const noLabels = new Uint8Array(INFER_BLOCK);
  const blockPreds = new Uint8Array(INFER_BLOCK);
  const order = identityOrder(split.count);
  const out: Inference = {
    count: split.count, classes,
    logits: new Float32Array(split.count * classes), probs: new Float32Array(split.count * classes), preds: new Uint8Array(split.count),
  };
  for (let start = 0; start < split.count; start += INFER_BLOCK) {
    const rows = Math.min(INFER_BLOCK, split.count - start);
    backend.loadBatch(batch, split, order, start, rows, transform);
    const logits = mlp.forward(batch.x, rows);
    backend.softmaxCrossEntropy(logits, noLabels, probsMat, null, blockPreds, rows, 0);
    out.logits.set(backend.read(logits, rows).subarray(0, rows * classes), start * classes);
    out.probs.set(backend.read(probsMat, rows).subarray(0, rows * classes), start * classes);
    out.preds.set(blockPreds.subarray(0, rows), start);
    await onBlock?.(start + rows, split.count);
  }
  return out;
}

/** Label-less images (3,072 bytes each: R, G, B planes of 32×32) as a split with label 0, for inferSplit. */
export function splitFromPixels(images: readonly Uint8Array[]): DatasetSplit {
  const records = new Uint8Array(images.length * CIFAR.recordBytes);
  images.forEach((img, i) => {
    if (img.length !== CIFAR.pixelBytes) throw new Error(`image ${i} has ${img.length} bytes, not ${CIFAR.pixelBytes}`);
    records.set(img, i * CIFAR.recordBytes + 1);
  });
  return { records, count: images.length };
}
