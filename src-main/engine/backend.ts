import type { KernelKind } from '../../src-shared/metrics';
import type { DatasetSplit, InputTransform } from './dataset';

export type ActivationKind = 'sigmoid' | 'tanh' | 'relu';

/**
 * An opaque matrix owned by a backend. Its memory layout is the backend's business (the WASM
 * backend keeps weights in column panels); `read`/`write` always speak logical row-major.
 * `rows` is the capacity; operations take the number of rows actually in use.
 */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
}

/** A batch of inputs and their labels, loaded from dataset records by the backend. */
export interface Batch {
  readonly x: Mat;
  readonly capacity: number;
  /** Labels of the rows loaded by the last loadBatch. */
  readonly labels: Uint8Array;
}

/**
 * The kernels a network needs. Three implementations exist: native C (CPU-dispatched SIMD, f32) and
 * WebAssembly SIMD (f32) for training, and plain TypeScript in f64 (the reference the tests check the
 * others against). Layers, losses and
 * optimizers are written once against this interface.
 */
export interface Backend {
  readonly kind: KernelKind;
  /** Row-major activations or gradients, zero-filled. */
  matrix(rows: number, cols: number): Mat;
  /** A parameter matrix (fan_in × fan_out), zero-filled. */
  weights(rows: number, cols: number): Mat;
  /** A bias or other parameter vector, zero-filled; a 1 × n matrix. */
  vector(n: number): Mat;
  /** A zero-filled matrix with the same shape and layout as m (optimizer state). */
  zerosLike(m: Mat): Mat;
  /** An input batch of up to `capacity` images of `features` values. */
  batch(capacity: number, features: number): Batch;

  write(m: Mat, values: ArrayLike<number>): void;
  /**
   * Logical row-major values of the first `rows` rows; into `out` when given (no allocation: a
   * checkpoint copies the parameters every epoch).
   */
  read<T extends Float64Array | Float32Array = Float64Array>(m: Mat, rows?: number, out?: T): T;

  /** Copies records order[start..start+count) of a split into the batch, transformed to floats. */
  loadBatch(batch: Batch, split: DatasetSplit, order: ArrayLike<number>, start: number, count: number, t: InputTransform): void;

  /** out = x·w + b over `rows` rows. */
  linear(x: Mat, w: Mat, b: Mat, out: Mat, rows: number): void;
  /** dw = xᵀ·dz, db = Σ_rows dz and, when dx is given, dx = dz·wᵀ. */
  linearBackward(x: Mat, w: Mat, dz: Mat, dw: Mat, db: Mat, dx: Mat | null, rows: number): void;
  activation(kind: ActivationKind, z: Mat, a: Mat, rows: number): void;
  /** dz = da ⊙ f'(z), using a = f(z). */
  activationBackward(kind: ActivationKind, z: Mat, a: Mat, da: Mat, dz: Mat, rows: number): void;
  /**
   * Softmax of z into probs and the summed cross-entropy against `labels`; writes
   * dz = (probs − onehot)·scale when dz is given and the arg-max class per row into preds when given.
   */
  softmaxCrossEntropy(z: Mat, labels: Uint8Array, probs: Mat, dz: Mat | null, preds: Uint8Array | null, rows: number, scale: number): number;

  /**
   * w ← w − lr·(g + λw), or with a velocity v ← μv + g + λw, w ← w − lr·v. The gradient g may be
   * consumed: a backend that fuses the step into the product computing g (native) never writes it,
   * so g's contents are unspecified afterwards.
   */
  sgdStep(w: Mat, g: Mat, velocity: Mat | null, lr: number, momentum: number, l2: number): void;
  adamStep(w: Mat, g: Mat, m: Mat, v: Mat, lr: number, beta1: number, beta2: number, eps: number, bc1: number, bc2: number, l2: number): void;
  sumSquares(m: Mat): number;
}
