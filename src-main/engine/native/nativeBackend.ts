import { CIFAR } from '../../../src-shared/cifar';
import type { ActivationKind, Backend, Batch, Mat } from '../backend';
import type { DatasetSplit, InputTransform } from '../dataset';
import { Deferred, type DeferredOp } from './deferred';
import type { NativeArena } from './nativeArena';
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

/** A deferred product; one record per output buffer, reused every batch (no allocation per step). */
interface Product extends DeferredOp<Mat> {
  /** linear: out = x·w + b; weightGrad: out = dW = xᵀ·dz; inputGrad: out = dx = dz·wᵀ. */
  kind: 'linear' | 'weightGrad' | 'inputGrad';
  x: NativeMat | null;
  w: NativeMat | null;
  b: NativeMat | null;
  dz: NativeMat | null;
  out: NativeMat;
  rows: number;
  readonly reads: NativeMat[];
  readonly writes: NativeMat[];
}

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
  private readonly deferred = new Deferred<Mat, Product>();
  private readonly products = new Map<Mat, Product>();
  private transposed: Float32Array = new Float32Array(0);
  private readonly scaleShift = new Float32Array(2 * CIFAR.channels);
  private readonly arena: NativeArena | null;

  /** `arena`: memory to take tensors from (reused across runs by a worker); else fresh arrays. */
  constructor(level?: NativeLevel, arena?: NativeArena) {
    this.k = nativeKernels(level);
    this.kind = `native-${this.k.level}`;
    this.arena = arena ?? null;
  }

  private floats(n: number): Float32Array {
    if (this.arena) return this.arena.floats(Math.ceil(n / 16) * 16).subarray(0, n);
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
    this.deferred.writing(m);
    const { data, ld, cols } = nm(m);
    const rows = values.length / cols;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * ld + j] = values[i * cols + j];
  }

  read<T extends Float64Array | Float32Array = Float64Array>(m: Mat, rows = m.rows, into?: T): T {
    this.deferred.reading(m);
    const { data, ld, cols } = nm(m);
    const out = into ?? new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) out.set(data.subarray(i * ld, i * ld + cols), i * cols);
    return out as T;
  }

  loadBatch(batch: Batch, split: DatasetSplit, order: ArrayLike<number>, start: number, count: number, t: InputTransform): void {
    const x = nm(batch.x);
    this.deferred.writing(x);
    this.scaleShift.set(t.scale, 0);
    this.scaleShift.set(t.shift, CIFAR.channels);
    const ints = order instanceof Int32Array ? order : Int32Array.from(order);
    this.k.packInput(split.records, CIFAR.recordBytes, ints, start, count, x.data, x.ld, batch.labels, CIFAR.pixelBytes, CIFAR.planeBytes, this.scaleShift);
  }

  /** The reusable record of the product writing `out`, filled with this call's operands. */
  private product(kind: Product['kind'], out: Mat, rows: number, x: Mat | null, w: Mat | null, b: Mat | null, dz: Mat | null): Product {
    // a record still queued from an earlier call runs first, with its own operands
    this.deferred.writing(out);
    let p = this.products.get(out);
    if (!p) {
      const made: Product = { kind, x: null, w: null, b: null, dz: null, out: nm(out), rows, reads: [], writes: [nm(out)], run: () => this.runProduct(made) };
      this.products.set(out, (p = made));
    }
    p.kind = kind;
    p.rows = rows;
    p.reads.length = 0;
    if ((p.x = x && nm(x))) p.reads.push(p.x);
    if ((p.w = w && nm(w))) p.reads.push(p.w);
    if ((p.b = b && nm(b))) p.reads.push(p.b);
    if ((p.dz = dz && nm(dz))) p.reads.push(p.dz);
    return p;
  }

  /** Runs a product on its own, unfused (its output is needed as it is). */
  private runProduct(p: Product): void {
    if (p.kind === 'linear') this.forward(p, ACT_NONE, p.out);
    else if (p.kind === 'weightGrad') this.weightGrad(p, EPI.store, null, null, 0, 0, 0);
    else this.inputGrad(p, ACT_NONE, null, null);
  }

  /** Index of the queued product of this kind writing `out` over `rows` rows (any when −1), or −1. */
  private queued(kind: Product['kind'], out: Mat, rows = -1): number {
    const q = this.deferred.pending;
    for (let i = 0; i < q.length; i++) if (q[i].kind === kind && q[i].out === out && (rows < 0 || q[i].rows === rows)) return i;
    return -1;
  }

  linear(x: Mat, w: Mat, b: Mat, out: Mat, rows: number): void {
    this.deferred.defer(this.product('linear', out, rows, x, w, b, null));
  }

  /** out = x·w + b, and act(out) into `a` (out itself when act is none). */
  private forward(p: Product, act: number, a: NativeMat): void {
    const { out, rows } = p;
    const x = p.x!, w = p.w!;
    this.k.gemm(rows, w.cols, w.rows, x.data, x.ld, 1, w.data, w.ld, out.data, out.ld, EPI.biasAct, act, p.b!.data, a.data, null, null, null, 0, 0, 0);
  }

  activation(kind: ActivationKind, z: Mat, a: Mat, rows: number): void {
    const at = this.queued('linear', z, rows);
    if (at >= 0) {
      const p = this.deferred.take(at);
      for (const m of p.reads) this.deferred.reading(m);
      this.deferred.writing(z);
      this.deferred.writing(a);
      this.forward(p, ACT[kind], nm(a));
      return;
    }
    this.deferred.reading(z);
    this.deferred.writing(a);
    this.k.activation(ACT[kind], nm(z).data, nm(a).data, rows, z.cols, nm(z).ld);
  }

  linearBackward(x: Mat, w: Mat, dz: Mat, dw: Mat, db: Mat, dx: Mat | null, rows: number): void {
    this.deferred.reading(dz);
    this.deferred.writing(db);
    this.k.colSum(nm(dz).data, nm(db).data, rows, dz.cols, nm(dz).ld);
    this.deferred.defer(this.product('weightGrad', dw, rows, x, null, null, dz));
    if (dx) this.deferred.defer(this.product('inputGrad', dx, rows, null, w, null, dz));
  }

  /** dW = xᵀ·dz, stored, or applied to w by the SGD epilogue (then dW is never written). */
  private weightGrad(p: Product, epilogue: number, w: NativeMat | null, vel: NativeMat | null, lr: number, momentum: number, l2: number): void {
    const { out: dw, rows } = p;
    const x = p.x!, dz = p.dz!;
    this.k.gemm(dw.rows, dw.cols, rows, x.data, 1, x.ld, dz.data, dz.ld, dw.data, dw.ld, epilogue, ACT_NONE, null, null, null, w?.data ?? null, vel?.data ?? null, lr, momentum, l2);
  }

  /** dx = dz·wᵀ, and dx ⊙ f'(a) into dzOut when an activation is fused. */
  private inputGrad(p: Product, act: number, a: NativeMat | null, dzOut: NativeMat | null): void {
    const { out: dx, rows } = p;
    const dz = p.dz!, w = p.w!;
    const ldt = ld16(w.rows);
    if (this.transposed.length < w.cols * ldt) this.transposed = this.floats(w.cols * ldt);
    this.k.transpose(w.data, w.rows, w.cols, w.ld, this.transposed, ldt);
    const epilogue = a && dzOut ? EPI.actGrad : EPI.store;
    this.k.gemm(rows, w.rows, w.cols, dz.data, dz.ld, 1, this.transposed, ldt, dx.data, dx.ld, epilogue, act, null, dzOut?.data ?? null, a?.data ?? null, null, null, 0, 0, 0);
  }

  /** Declares the buffers an operation reads and writes, running the queued products it depends on. */
  private touch(reads: readonly Mat[], writes: readonly Mat[]): void {
    for (const m of reads) this.deferred.reading(m);
    for (const m of writes) this.deferred.writing(m);
  }

  activationBackward(kind: ActivationKind, z: Mat, a: Mat, da: Mat, dz: Mat, rows: number): void {
    const at = this.queued('inputGrad', da, rows);
    if (at >= 0) {
      const p = this.deferred.take(at);
      this.touch(p.reads, p.writes);
      this.deferred.reading(a);
      this.deferred.writing(dz);
      this.inputGrad(p, ACT[kind], nm(a), nm(dz));
      return;
    }
    this.deferred.reading(a);
    this.deferred.reading(da);
    this.deferred.writing(dz);
    this.k.activationBackward(ACT[kind], nm(a).data, nm(da).data, nm(dz).data, rows, da.cols, nm(da).ld);
  }

  softmaxCrossEntropy(z: Mat, labels: Uint8Array, probs: Mat, dz: Mat | null, preds: Uint8Array | null, rows: number, scale: number): number {
    this.deferred.reading(z);
    this.deferred.writing(probs);
    if (dz) this.deferred.writing(dz);
    return this.k.softmaxCrossEntropy(nm(z).data, labels, nm(probs).data, dz ? nm(dz).data : null, preds, rows, z.cols, nm(z).ld, scale);
  }

  sgdStep(w: Mat, g: Mat, velocity: Mat | null, lr: number, momentum: number, l2: number): void {
    const at = this.queued('weightGrad', g);
    if (at >= 0) {
      const p = this.deferred.take(at);
      this.touch(p.reads, p.writes);
      this.deferred.writing(w);
      if (velocity) this.deferred.writing(velocity);
      this.weightGrad(p, EPI.sgd, nm(w), velocity ? nm(velocity) : null, lr, velocity ? momentum : 0, l2);
      return;
    }
    this.deferred.reading(g);
    this.deferred.writing(w);
    if (velocity) this.deferred.writing(velocity);
    this.k.sgd(nm(w).data, nm(g).data, velocity ? nm(velocity).data : null, lr, velocity ? momentum : 0, l2);
  }

  adamStep(w: Mat, g: Mat, m: Mat, v: Mat, lr: number, beta1: number, beta2: number, eps: number, bc1: number, bc2: number, l2: number): void {
    this.deferred.reading(g);
    this.deferred.writing(w);
    this.deferred.writing(m);
    this.deferred.writing(v);
    this.k.adam(nm(w).data, nm(g).data, nm(m).data, nm(v).data, lr, beta1, beta2, eps, bc1, bc2, l2);
  }

  sumSquares(m: Mat): number {
    this.deferred.reading(m);
    return this.k.sumSquares(nm(m).data);
  }
}
