import { CIFAR } from '../../../src-shared/cifar';
import type { ActivationKind, Backend, Batch, Mat } from '../backend';
import type { DatasetSplit, InputTransform } from '../dataset';

/** A row-major float64 matrix. */
export interface F64Mat extends Mat {
  readonly data: Float64Array;
}

function mat(rows: number, cols: number): F64Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

const f = (m: Mat): F64Mat => m as F64Mat;

/**
 * The reference implementation: the same operations as the WASM kernels, written as plainly as
 * possible in float64. Slow; used by tests (gradient checks, agreement with WASM) and `--kernel f64`.
 */
export class F64Backend implements Backend {
  readonly kind = 'f64-reference' as const;

  matrix(rows: number, cols: number): Mat {
    return mat(rows, cols);
  }

  weights(rows: number, cols: number): Mat {
    return mat(rows, cols);
  }

  vector(n: number): Mat {
    return mat(1, n);
  }

  zerosLike(m: Mat): Mat {
    return mat(m.rows, m.cols);
  }

  batch(capacity: number, features: number): Batch {
    return { x: mat(capacity, features), capacity, labels: new Uint8Array(capacity) };
  }

  write(m: Mat, values: ArrayLike<number>): void {
    f(m).data.set(values);
  }

  read<T extends Float64Array | Float32Array = Float64Array>(m: Mat, rows = m.rows, into?: T): T {
    const values = f(m).data.subarray(0, rows * m.cols);
    if (!into) return values.slice() as T;
    into.set(values);
    return into;
  }

  loadBatch(batch: Batch, split: DatasetSplit, order: ArrayLike<number>, start: number, count: number, t: InputTransform): void {
    const x = f(batch.x).data;
    const { recordBytes, pixelBytes, planeBytes } = CIFAR;
    for (let i = 0; i < count; i++) {
      const base = order[start + i] * recordBytes;
      batch.labels[i] = split.records[base];
      for (let p = 0; p < pixelBytes; p++) {
        const c = (p / planeBytes) | 0;
        x[i * pixelBytes + p] = split.records[base + 1 + p] * t.scale[c] + t.shift[c];
      }
    }
  }

  linear(x: Mat, w: Mat, b: Mat, out: Mat, rows: number): void {
    const [X, W, B, Z] = [f(x).data, f(w).data, f(b).data, f(out).data];
    const k = w.rows;
    const n = w.cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < n; j++) {
        let s = B[j];
        for (let p = 0; p < k; p++) s += X[i * k + p] * W[p * n + j];
        Z[i * n + j] = s;
      }
    }
  }

  linearBackward(x: Mat, w: Mat, dz: Mat, dw: Mat, db: Mat, dx: Mat | null, rows: number): void {
    const [X, W, D, GW, GB] = [f(x).data, f(w).data, f(dz).data, f(dw).data, f(db).data];
    const k = w.rows;
    const n = w.cols;
    GW.fill(0);
    GB.fill(0);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < n; j++) {
        const d = D[i * n + j];
        GB[j] += d;
        for (let p = 0; p < k; p++) GW[p * n + j] += X[i * k + p] * d;
      }
    }
    if (!dx) return;
    const GX = f(dx).data;
    for (let i = 0; i < rows; i++) {
      for (let p = 0; p < k; p++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += D[i * n + j] * W[p * n + j];
        GX[i * k + p] = s;
      }
    }
  }

  activation(kind: ActivationKind, z: Mat, a: Mat, rows: number): void {
    const [Z, A] = [f(z).data, f(a).data];
    const len = rows * z.cols;
    for (let i = 0; i < len; i++) {
      const v = Z[i];
      A[i] = kind === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : kind === 'tanh' ? Math.tanh(v) : Math.max(v, 0);
    }
  }

  activationBackward(kind: ActivationKind, z: Mat, a: Mat, da: Mat, dz: Mat, rows: number): void {
    const [Z, A, DA, DZ] = [f(z).data, f(a).data, f(da).data, f(dz).data];
    const len = rows * z.cols;
    for (let i = 0; i < len; i++) {
      const y = A[i];
      const d = kind === 'sigmoid' ? y * (1 - y) : kind === 'tanh' ? 1 - y * y : Z[i] > 0 ? 1 : 0;
      DZ[i] = DA[i] * d;
    }
  }

  softmaxCrossEntropy(z: Mat, labels: Uint8Array, probs: Mat, dz: Mat | null, preds: Uint8Array | null, rows: number, scale: number): number {
    const [Z, P] = [f(z).data, f(probs).data];
    const n = z.cols;
    let total = 0;
    for (let i = 0; i < rows; i++) {
      let mx = Z[i * n];
      let arg = 0;
      for (let j = 1; j < n; j++) if (Z[i * n + j] > mx) [mx, arg] = [Z[i * n + j], j];
      let sum = 0;
      for (let j = 0; j < n; j++) sum += P[i * n + j] = Math.exp(Z[i * n + j] - mx);
      for (let j = 0; j < n; j++) P[i * n + j] /= sum;
      const y = labels[i];
      total += Math.log(sum) + mx - Z[i * n + y];
      if (preds) preds[i] = arg;
      if (dz) for (let j = 0; j < n; j++) f(dz).data[i * n + j] = (P[i * n + j] - (j === y ? 1 : 0)) * scale;
    }
    return total;
  }

  sgdStep(w: Mat, g: Mat, velocity: Mat | null, lr: number, momentum: number, l2: number): void {
    const [W, G] = [f(w).data, f(g).data];
    const V = velocity ? f(velocity).data : null;
    for (let i = 0; i < W.length; i++) {
      let step = G[i] + l2 * W[i];
      if (V && momentum !== 0) step = V[i] = momentum * V[i] + step;
      W[i] -= lr * step;
    }
  }

  adamStep(w: Mat, g: Mat, m: Mat, v: Mat, lr: number, beta1: number, beta2: number, eps: number, bc1: number, bc2: number, l2: number): void {
    const [W, G, M, V] = [f(w).data, f(g).data, f(m).data, f(v).data];
    for (let i = 0; i < W.length; i++) {
      const grad = G[i] + l2 * W[i];
      M[i] = beta1 * M[i] + (1 - beta1) * grad;
      V[i] = beta2 * V[i] + (1 - beta2) * grad * grad;
      W[i] -= (lr * (M[i] / bc1)) / (Math.sqrt(V[i] / bc2) + eps);
    }
  }

  sumSquares(m: Mat): number {
    let s = 0;
    for (const v of f(m).data) s += v * v;
    return s;
  }
}
