import { CIFAR } from '../../../src-shared/cifar';
import type { ActivationKind, Backend, Batch, Mat } from '../backend';
import type { DatasetSplit, InputTransform } from '../dataset';
import { instantiateKernels, wasmKernelKind, type KernelExports, type WasmKernelKind } from './kernels';

/**
 * How a matrix sits in WASM memory (see assembly/gemmForward.ts): row-major with rows rounded up to 4,
 * the 4-row interleaved input batch, weights in 8-column panels, or a vector padded to 8.
 */
type Layout = 'rows' | 'input' | 'panels' | 'vector';

interface WasmMat extends Mat {
  readonly ptr: number;
  readonly layout: Layout;
  /** Floats reserved, padding included. */
  readonly size: number;
}

const ACTIVATION_CODE: Record<ActivationKind, number> = { sigmoid: 0, tanh: 1, relu: 2 };
const round = (n: number, to: number): number => Math.ceil(n / to) * to;
const w = (m: Mat): WasmMat => m as WasmMat;

/**
 * WebAssembly SIMD kernels in f32. All tensors of a model live in this backend's one memory; JS only
 * passes addresses, so the training loop copies nothing but each batch's raw bytes in.
 */
export class WasmBackend implements Backend {
  /** The build of the kernels this backend runs (relaxed or plain SIMD), recorded with every run. */
  readonly kind: WasmKernelKind;
  private readonly k: KernelExports;
  private top: number;
  private scratch = { ptr: 0, bytes: 0 };
  private labelBuf = { ptr: 0, bytes: 0 };
  private readonly transform: number;
  private readonly staging = new WeakMap<Batch, number>();

  /** `kind` picks a build explicitly (tests compare the two); by default the one this runtime supports. */
  constructor(kind: WasmKernelKind = wasmKernelKind()) {
    this.kind = kind;
    this.k = instantiateKernels(kind);
    this.top = align(this.k.heapBase());
    this.transform = this.alloc(32);
  }

  /** Bytes of WASM memory in use (for the benchmark's memory report). */
  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  private alloc(bytes: number): number {
    const ptr = this.top;
    this.top = align(ptr + bytes);
    const have = this.k.memory.buffer.byteLength;
    if (this.top > have) this.k.memory.grow(Math.ceil((this.top - have) / 65536));
    return ptr;
  }

  private make(rows: number, cols: number, layout: Layout, size: number): WasmMat {
    const ptr = this.alloc(size * 4);
    new Float32Array(this.k.memory.buffer, ptr, size).fill(0);
    return { rows, cols, ptr, layout, size };
  }

  private f32(m: WasmMat): Float32Array {
    return new Float32Array(this.k.memory.buffer, m.ptr, m.size);
  }

  /** A reusable region of at least `bytes`, replaced (never freed) when a larger one is needed. */
  private region(r: { ptr: number; bytes: number }, bytes: number): number {
    if (r.bytes < bytes) Object.assign(r, { ptr: this.alloc(bytes), bytes });
    return r.ptr;
  }

  matrix(rows: number, cols: number): Mat {
    return this.make(rows, cols, 'rows', round(rows, 4) * cols);
  }

  weights(rows: number, cols: number): Mat {
    return this.make(rows, cols, 'panels', rows * round(cols, 8));
  }

  vector(n: number): Mat {
    return this.make(1, n, 'vector', round(n, 8));
  }

  zerosLike(m: Mat): Mat {
    return this.make(m.rows, m.cols, w(m).layout, w(m).size);
  }

  batch(capacity: number, features: number): Batch {
    const x = this.make(capacity, features, 'input', (round(capacity, 4) / 4) * (features * 4 + 16));
    const b: Batch = { x, capacity, labels: new Uint8Array(capacity) };
    this.staging.set(b, this.alloc(round(capacity, 4) * features));
    return b;
  }

  /** Float index of logical element (i, j) of m. */
  private index(m: WasmMat, i: number, j: number): number {
    switch (m.layout) {
      case 'rows':
      case 'vector':
        return i * m.cols + j;
      case 'panels':
        return ((j >> 3) * m.rows + i) * 8 + (j & 7);
      case 'input':
        return (i >> 2) * (m.cols * 4 + 16) + j * 4 + (i & 3);
    }
  }

  write(m: Mat, values: ArrayLike<number>): void {
    const wm = w(m);
    const data = this.f32(wm);
    const rows = values.length / m.cols;
    for (let i = 0; i < rows; i++) for (let j = 0; j < m.cols; j++) data[this.index(wm, i, j)] = values[i * m.cols + j];
  }

  read<T extends Float64Array | Float32Array = Float64Array>(m: Mat, rows = m.rows, into?: T): T {
    const wm = w(m);
    const data = this.f32(wm);
    const out = into ?? new Float64Array(rows * m.cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < m.cols; j++) out[i * m.cols + j] = data[this.index(wm, i, j)];
    return out as T;
  }

  loadBatch(batch: Batch, split: DatasetSplit, order: ArrayLike<number>, start: number, count: number, t: InputTransform): void {
    const staging = this.staging.get(batch);
    if (staging === undefined) throw new Error('batch was not created by this backend');
    const heap = new Uint8Array(this.k.memory.buffer);
    const { recordBytes, pixelBytes, planeBytes } = CIFAR;
    for (let i = 0; i < count; i++) {
      const base = order[start + i] * recordBytes;
      batch.labels[i] = split.records[base];
      heap.set(split.records.subarray(base + 1, base + recordBytes), staging + i * pixelBytes);
    }
    const tf = new Float32Array(this.k.memory.buffer, this.transform, 8);
    tf.set(t.scale, 0);
    tf.set(t.shift, 4);
    this.k.bytesToFloat(staging, w(batch.x).ptr, count, pixelBytes, planeBytes, this.transform, this.transform + 16);
  }

  linear(x: Mat, wt: Mat, b: Mat, out: Mat, rows: number): void {
    const gemm = w(x).layout === 'input' ? this.k.gemmXW : this.k.gemmAW;
    gemm(w(x).ptr, w(wt).ptr, w(b).ptr, w(out).ptr, rows, wt.rows, wt.cols);
  }

  linearBackward(x: Mat, wt: Mat, dz: Mat, dw: Mat, db: Mat, dx: Mat | null, rows: number): void {
    const k = wt.rows;
    const n = wt.cols;
    const d = this.region(this.scratch, round(rows, 4) * round(n, 8) * 4);
    this.k.panelize(w(dz).ptr, d, rows, n);
    if (w(x).layout === 'input') this.k.gemmTX(w(x).ptr, d, w(dw).ptr, rows, k, n);
    else this.k.gemmTA(w(x).ptr, d, w(dw).ptr, rows, k, n);
    this.k.colSum(w(dz).ptr, w(db).ptr, rows, n);
    if (dx) this.k.gemmNT(d, w(wt).ptr, w(dx).ptr, rows, k, n);
  }

  activation(kind: ActivationKind, z: Mat, a: Mat, rows: number): void {
    this.k.activationForward(ACTIVATION_CODE[kind], w(z).ptr, w(a).ptr, rows * z.cols);
  }

  activationBackward(kind: ActivationKind, z: Mat, a: Mat, da: Mat, dz: Mat, rows: number): void {
    this.k.activationBackward(ACTIVATION_CODE[kind], w(z).ptr, w(a).ptr, w(da).ptr, w(dz).ptr, rows * z.cols);
  }

  softmaxCrossEntropy(z: Mat, labels: Uint8Array, probs: Mat, dz: Mat | null, preds: Uint8Array | null, rows: number, scale: number): number {
    const buf = this.region(this.labelBuf, round(rows, 64) * 2);
    const heap = new Uint8Array(this.k.memory.buffer);
    heap.set(labels.subarray(0, rows), buf);
    const predPtr = preds ? buf + round(rows, 64) : 0;
    const loss = this.k.softmaxCrossEntropy(w(z).ptr, buf, w(probs).ptr, dz ? w(dz).ptr : 0, predPtr, rows, z.cols, scale);
    if (preds) preds.set(new Uint8Array(this.k.memory.buffer, predPtr, rows));
    return loss;
  }

  sgdStep(wt: Mat, g: Mat, velocity: Mat | null, lr: number, momentum: number, l2: number): void {
    this.k.sgdStep(w(wt).ptr, w(g).ptr, velocity ? w(velocity).ptr : 0, w(wt).size, lr, velocity ? momentum : 0, l2);
  }

  adamStep(wt: Mat, g: Mat, m: Mat, v: Mat, lr: number, beta1: number, beta2: number, eps: number, bc1: number, bc2: number, l2: number): void {
    this.k.adamStep(w(wt).ptr, w(g).ptr, w(m).ptr, w(v).ptr, w(wt).size, lr, beta1, beta2, eps, bc1, bc2, l2);
  }

  sumSquares(m: Mat): number {
    return this.k.sumSquares(w(m).ptr, w(m).size);
  }
}

function align(n: number): number {
  return (n + 63) & ~63;
}
