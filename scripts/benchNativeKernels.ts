// GFLOP/s of the native kernels' hot products at every dispatch level this CPU reaches, called as
// training calls them (fused epilogues: bias + sigmoid after X·W1, the SGD step after Xᵀ·dZ), and
// what the float64 reference's products alone would cost per epoch.
import { F64Backend } from '../src-main/engine/f64/f64Backend';
import { NATIVE_LEVELS, nativeKernels, nativeStatus, type NativeLevel } from '../src-main/engine/native/nativeAddon';
import { timeIt, type KernelResult } from './benchKernels';

// leading dimensions as training lays them out (nativeBackend ld16: 3072 floats + 16 against cache-set aliasing)
const M = 64, K = 3072, N = 100, H = 100, LD = 112, LDX = 3088;
const EPI_BIAS_ACT = 1, EPI_SGD = 3, SIGMOID = 0, NONE = -1;

/** Levels the CPU runs: a capped request falls back when the CPU lacks the level. */
export function nativeLevels(): NativeLevel[] {
  if (!nativeStatus().available) return [];
  return NATIVE_LEVELS.filter((level) => nativeKernels(level).level === level);
}

export function benchNativeKernels(level: NativeLevel): KernelResult[] {
  const k = nativeKernels(level);
  const floats = (n: number, f: (i: number) => number = () => 0): Float32Array => {
    const raw = new Float32Array(n + 16);
    const at = k.alignOffset(raw, 4);
    const a = raw.subarray(at, at + n);
    for (let i = 0; i < n; i++) a[i] = f(i);
    return a;
  };
  const x = floats(M * LDX, (i) => ((i * 37) % 255) / 255);
  const w = floats(K * LD, (i) => (i % LD < N ? Math.sin(i) * 0.02 : 0));
  const b = floats(LD), z = floats(M * LD), a = floats(M * LD);
  const dz = floats(M * LD, (i) => (i % LD < N ? Math.cos(i) * 1e-3 : 0));
  const dw = floats(K * LD);
  const w2 = floats(H * LD, (i) => (i % LD < N ? Math.cos(i) * 0.1 : 0));
  const flops1 = 2 * M * K * N;
  const flops3 = 2 * M * H * N;
  const runs: [string, string, () => void, number][] = [
    ['X·W1 + bias + sigmoid (first-layer forward, fused)', '[64×3072]·[3072×100]', () => k.gemm(M, N, K, x, LDX, 1, w, LD, z, LD, EPI_BIAS_ACT, SIGMOID, b, a, null, null, null, 0, 0, 0), flops1],
    ['Xᵀ·dZ + SGD step (first-layer weight gradient, dW never stored)', '[3072×64]·[64×100]', () => k.gemm(K, N, M, x, 1, LDX, dz, LD, dw, LD, EPI_SGD, NONE, null, null, null, w, null, 1e-9, 0, 0), flops1],
    ['H·W2 + bias + sigmoid (hidden forward)', '[64×100]·[100×100]', () => k.gemm(M, N, H, a, LD, 1, w2, LD, z, LD, EPI_BIAS_ACT, SIGMOID, b, a, null, null, null, 0, 0, 0), flops3],
  ];
  return runs.map(([name, shape, fn, flops]) => {
    const r = timeIt(fn, flops, flops === flops1 ? 200 : 2000);
    return { name, shape, bestGflops: r.best, medianGflops: r.median };
  });
}

/**
 * Seconds per epoch the float64 reference spends in its first-layer products alone (X·W1 and Xᵀ·dZ
 * for 782 batches of 64, X·W1 for the 10,000 test images in blocks of 256): a lower bound on its
 * epoch, which is too slow to run whole here.
 */
export function f64GemmEpochSeconds(): { seconds: number; gflops: number } {
  const f = new F64Backend();
  const x = f.matrix(256, K), w = f.weights(K, N), bias = f.vector(N), out = f.matrix(256, N), dw = f.weights(K, N), db = f.vector(N), dz = f.matrix(256, N);
  f.write(x, Float64Array.from({ length: 256 * K }, (_, i) => ((i * 37) % 255) / 255));
  f.write(w, Float64Array.from({ length: K * N }, (_, i) => Math.sin(i) * 0.02));
  const time = (fn: () => void, reps: number): number => {
    fn();
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    return (performance.now() - t) / 1000 / reps;
  };
  const train = time(() => {
    f.linear(x, w, bias, out, M);
    f.linearBackward(x, w, dz, dw, db, null, M);
  }, 5);
  const test = time(() => f.linear(x, w, bias, out, 256), 3);
  const seconds = Math.ceil(50_000 / M) * train + Math.ceil(10_000 / 256) * test;
  return { seconds, gflops: (2 * 2 * M * K * N) / train / 1e9 };
}
