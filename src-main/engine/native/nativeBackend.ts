import { CIFAR } from '../../../src-shared/cifar';
import type { ActivationKind, Backend, Batch, Mat } from '../backend';
import type { DatasetSplit, InputTransform } from '../dataset';
import { Deferred, type DeferredOp } from './deferred';
import { nativeKernels, type NativeKernels, type NativeLevel } from './nativeAddon';

/** Row-major f32 with a leading dimension rounded up to 16 floats; padding columns stay zero. */
interface NativeMat extends Mat {
  readonly ld: number;
  /** 64-byte aligned view of rows × ld floats. */
  readonly data: Float32Array;
}

const ACT: Record<ActivationKind, number> = { sigmoid: 0, tanh: 1, relu: 2 };
const ACT_NONE = -1;
const EPI = { store: 0, biasAct: 1, actGrad: 2, sgd: 3 } as const;
/**
 * Floats per row: a multiple of 16 (64-byte rows), plus 16 when that would be a multiple of 256, so
 * that the rows a column-wise pass touches (the weight-gradient product reads the input batch down
 * its columns) do not all fall into the same few L1 cache sets.
 */
function ld16(n: number): number {
  const ld = Math.max(16, Math.ceil(n / 16) * 16);
  return ld % 256 === 0 ? ld + 16 : ld;
}
const nm = (m: Mat): NativeMat => m as NativeMat;

type Op =
  | (DeferredOp<Mat> & { kind: 'linear'; x: NativeMat; w: NativeMat; b: NativeMat; out: NativeMat; rows: number })
  | (DeferredOp<Mat> & { kind: 'weightGrad'; x: NativeMat; dz: NativeMat; dw: NativeMat; rows: number })
  | (DeferredOp<Mat> & { kind: 'inputGrad'; dz: NativeMat; w: NativeMat; dx: NativeMat; rows: number });

/**
 * The native kernels (C, Node-API, CPU-dispatched to AVX-512, AVX2+FMA or portable SIMD) in f32.
 * Products are deferred (see deferred.ts) so that a dense layer's bias and activation run in the
 * product's epilogue, the activation derivative in the input-gradient product's epilogue, and plain
 * SGD (with L2 and momentum) in the weight-gradient product, which then never writes dW. Inputs are
 * packed from raw bytes straight into f32 rows. Nothing is allocated per batch.
 */
export class NativeBackend implements Backend {
  readonly kind: `native-${NativeLevel}`;
  private readonly k: NativeKernels;
  private readonly deferred = new Deferred<Mat, Op>();
  private transposed: Float32Array = new Float32Array(0);
  private readonly scaleShift = new Float32Array(2 * CIFAR.channels);

  constructor(level?: NativeLevel) {
    this.k = nativeKernels(level);
    this.kind = `native-${this.k.level}`;
  }

  private floats(n: number): Float32Array {
    const raw = new Float32Array(n + 16);
    const at = this.k.alignOffset(raw, 4);
    return raw.subarray(at, at + n);
  }

  private make(rows: number, cols: number): NativeMat {
    const ld = ld16(cols);
    return { rows, cols, ld, data: this.floats(Math.max(rows, 1) * ld) };
  }

  matrix(rows: number, cols: number): Mat {
    return this.make(rows, cols);
  }

  weights(rows: number, cols: number): Mat {
    return this.make(rows, cols);
  }

  vector(n: number): Mat {
    return this.make(1, n);
  }

  zerosLike(m: Mat): Mat {
    return this.make(m.rows, m.cols);
  }

  batch(capacity: number, features: number): Batch {
    return { x: this.make(capacity, features), capacity, labels: new Uint8Array(capacity) };
  }

  write(m: Mat, values: ArrayLike<number>): void {
    this.deferred.settle([], [m]);
    const { data, ld, cols } = nm(m);
    const rows = values.length / cols;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * ld + j] = values[i * cols + j];
  }

  read(m: Mat, rows = m.rows): Float64Array {
    this.deferred.settle([m], []);
    const { data, ld, cols } = nm(m);
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = data[i * ld + j];
    return out;
  }

  loadBatch(batch: Batch, split: DatasetSplit, order: ArrayLike<number>, start: number, count: number, t: InputTransform): void {
    const x = nm(batch.x);
    this.deferred.settle([], [x]);
    this.scaleShift.set(t.scale, 0);
    this.scaleShift.set(t.shift, CIFAR.channels);
    const ints = order instanceof Int32Array ? order : Int32Array.from(order);
    this.k.packInput(split.records, CIFAR.recordBytes, ints, start, count, x.data, x.ld, batch.labels, CIFAR.pixelBytes, CIFAR.planeBytes, this.scaleShift);
  }

  linear(x: Mat, w: Mat, b: Mat, out: Mat, rows: number): void {
    const op = { kind: 'linear' as const, x: nm(x), w: nm(w), b: nm(b), out: nm(out), rows, reads: [x, w, b], writes: [out], run: () => this.product(op, ACT_NONE, op.out) };
    this.deferred.defer(op);
  }

  /** out = x·w + b, and act(out) into `a` (out itself when act is none). */
  private product(op: Extract<Op, { kind: 'linear' }>, act: number, a: NativeMat): void {
    const { x, w, b, out, rows } = op;
    this.k.gemm(rows, w.cols, w.rows, x.data, x.ld, 1, w.data, w.ld, out.data, out.ld, EPI.biasAct, act, b.data, a.data, null, null, null, 0, 0, 0);
  }

  activation(kind: ActivationKind, z: Mat, a: Mat, rows: number): void {
    const op = this.deferred.take((o): o is Extract<Op, { kind: 'linear' }> => o.kind === 'linear' && o.out === z && o.rows === rows);
    if (op) {
      this.deferred.settle([...op.reads, a], [z, a]);
      this.product(op, ACT[kind], nm(a));
      return;
    }
    this.deferred.settle([z], [a]);
    this.k.activation(ACT[kind], nm(z).data, nm(a).data, rows, z.cols, nm(z).ld);
  }

  linearBackward(x: Mat, w: Mat, dz: Mat, dw: Mat, db: Mat, dx: Mat | null, rows: number): void {
    this.deferred.settle([x, w, dz], dx ? [dw, db, dx] : [dw, db]);
    this.k.colSum(nm(dz).data, nm(db).data, rows, dz.cols, nm(dz).ld);
    const grad = { kind: 'weightGrad' as const, x: nm(x), dz: nm(dz), dw: nm(dw), rows, reads: [x, dz], writes: [dw], run: () => this.weightGrad(grad, EPI.store) };
    this.deferred.defer(grad);
    if (!dx) return;
    const input = { kind: 'inputGrad' as const, dz: nm(dz), w: nm(w), dx: nm(dx), rows, reads: [dz, w], writes: [dx], run: () => this.inputGrad(input, ACT_NONE, null, null) };
    this.deferred.defer(input);
  }

  /** dW = xᵀ·dz, stored, or applied to w by the SGD epilogue (then dW is never written). */
  private weightGrad(op: Extract<Op, { kind: 'weightGrad' }>, epilogue: number, w: NativeMat | null = null, vel: NativeMat | null = null, lr = 0, momentum = 0, l2 = 0): void {
    const { x, dz, dw, rows } = op;
    this.k.gemm(dw.rows, dw.cols, rows, x.data, 1, x.ld, dz.data, dz.ld, dw.data, dw.ld, epilogue, ACT_NONE, null, null, null, w?.data ?? null, vel?.data ?? null, lr, momentum, l2);
  }

  /** dx = dz·wᵀ, and dx ⊙ f'(a) into dzOut when an activation is fused. */
  private inputGrad(op: Extract<Op, { kind: 'inputGrad' }>, act: number, a: NativeMat | null, dzOut: NativeMat | null): void {
    const { dz, w, dx, rows } = op;
    const ldt = ld16(w.rows);
    if (this.transposed.length < w.cols * ldt) this.transposed = this.floats(w.cols * ldt);
    this.k.transpose(w.data, w.rows, w.cols, w.ld, this.transposed, ldt);
    const epilogue = a && dzOut ? EPI.actGrad : EPI.store;
    this.k.gemm(rows, w.rows, w.cols, dz.data, dz.ld, 1, this.transposed, ldt, dx.data, dx.ld, epilogue, act, null, dzOut?.data ?? null, a?.data ?? null, null, null, 0, 0, 0);
  }

  activationBackward(kind: ActivationKind, z: Mat, a: Mat, da: Mat, dz: Mat, rows: number): void {
    const op = this.deferred.take((o): o is Extract<Op, { kind: 'inputGrad' }> => o.kind === 'inputGrad' && o.dx === da && o.rows === rows);
    if (op) {
      this.deferred.settle([...op.reads, a], [da, dz]);
      this.inputGrad(op, ACT[kind], nm(a), nm(dz));
      return;
    }
    this.deferred.settle([a, da], [dz]);
    this.k.activationBackward(ACT[kind], nm(a).data, nm(da).data, nm(dz).data, rows, da.cols, nm(da).ld);
  }

  softmaxCrossEntropy(z: Mat, labels: Uint8Array, probs: Mat, dz: Mat | null, preds: Uint8Array | null, rows: number, scale: number): number {
    this.deferred.settle([z], dz ? [probs, dz] : [probs]);
    return this.k.softmaxCrossEntropy(nm(z).data, labels, nm(probs).data, dz ? nm(dz).data : null, preds, rows, z.cols, nm(z).ld, scale);
  }

  sgdStep(w: Mat, g: Mat, velocity: Mat | null, lr: number, momentum: number, l2: number): void {
    const grad = this.deferred.take((o): o is Extract<Op, { kind: 'weightGrad' }> => o.kind === 'weightGrad' && o.dw === g);
    const state = velocity ? [w, velocity] : [w];
    if (grad) {
      this.deferred.settle([...grad.reads, ...state], state);
      this.weightGrad(grad, EPI.sgd, nm(w), velocity ? nm(velocity) : null, lr, velocity ? momentum : 0, l2);
      return;
    }
    this.deferred.settle([g, ...state], state);
    this.k.sgd(nm(w).data, nm(g).data, velocity ? nm(velocity).data : null, lr, velocity ? momentum : 0, l2);
  }

  adamStep(w: Mat, g: Mat, m: Mat, v: Mat, lr: number, beta1: number, beta2: number, eps: number, bc1: number, bc2: number, l2: number): void {
    this.deferred.settle([w, g, m, v], [w, m, v]);
    this.k.adam(nm(w).data, nm(g).data, nm(m).data, nm(v).data, lr, beta1, beta2, eps, bc1, bc2, l2);
  }

  sumSquares(m: Mat): number {
    this.deferred.settle([m], []);
    return this.k.sumSquares(nm(m).data);
  }
}
