// GFLOP/s of the three hot products of the report's MLP, on the kernels exactly as training calls
// them (input batch interleaved, weights in panels, gradient panelized). The three rows measure the
// plain SIMD build, comparable across runtimes; where the relaxed-SIMD build is chosen (Electron, or
// node --experimental-wasm-relaxed-simd) a fourth row gives its X·W1 with fused multiply-add.
import { instantiateKernels, wasmKernelKind, type WasmKernelKind } from '../src-main/engine/wasm/kernels';

export interface KernelResult {
  name: string;
  shape: string;
  bestGflops: number;
  medianGflops: number;
}

/** Best and median GFLOP/s of `fn` over `rounds` rounds of `reps` calls, after one warm-up round. */
export function timeIt(fn: () => void, flops: number, reps = 200, rounds = 9): { best: number; median: number } {
  for (let i = 0; i < reps; i++) fn();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    rates.push((flops * reps) / ((performance.now() - t) / 1000) / 1e9);
  }
  rates.sort((a, b) => a - b);
  return { best: rates[rates.length - 1], median: rates[rates.length >> 1] };
}

/** The three products on one build's instance, with their flop counts, ready to time. */
function products(kind: WasmKernelKind): [string, string, () => void, number][] {
  const k = instantiateKernels(kind);
  let top = (k.heapBase() + 63) & ~63;
  const alloc = (floats: number): number => {
    const p = top;
    top = (top + floats * 4 + 63) & ~63;
    const need = top - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / 65536));
    return p;
  };
  const M = 64, K = 3072, N = 100, N8 = 104, H = 100;
  const x = alloc((M / 4) * (K * 4 + 16)), w = alloc(K * N8), b = alloc(N8), z = alloc(M * N);
  const d = alloc(M * N8), g = alloc(K * N8), w2 = alloc(H * N8), z2 = alloc(M * N);
  const f = new Float32Array(k.memory.buffer);
  for (let i = 0; i < f.length - 1 && i < (top >> 2); i++) f[i] = 0;
  for (let i = 0; i < (M / 4) * (K * 4 + 16); i++) f[(x >> 2) + i] = ((i * 37) % 255) / 255;
  for (let i = 0; i < K * N8; i++) f[(w >> 2) + i] = Math.sin(i) * 0.02;
  for (let i = 0; i < M * N8; i++) f[(d >> 2) + i] = Math.cos(i) * 1e-3;
  for (let i = 0; i < H * N8; i++) f[(w2 >> 2) + i] = Math.cos(i) * 0.1;
  const flops1 = 2 * M * K * N;
  const flops3 = 2 * M * H * N;
  return [
    ['X·W1 (first-layer forward)', '[64×3072]·[3072×100]', () => k.gemmXW(x, w, b, z, M, K, N), flops1],
    ['Xᵀ·dZ (first-layer weight gradient)', '[3072×64]·[64×100]', () => k.gemmTX(x, d, g, M, K, N), flops1],
    ['H·W2 (hidden forward)', '[64×100]·[100×100]', () => k.gemmAW(z, w2, b, z2, M, H, N), flops3],
  ];
}

/**
 * Benchmarks X·W1 [64×3072]·[3072×100], Xᵀ·dZ [3072×64]·[64×100] and H·W2 [64×100]·[100×100] on the
 * plain SIMD build, plus X·W1 on the relaxed-SIMD build where the runtime picks that one.
 */
export function benchKernels(): KernelResult[] {
  const runs = products('wasm-simd');
  if (wasmKernelKind() === 'wasm-relaxed-simd') {
    const [name, shape, fn, flops] = products('wasm-relaxed-simd')[0];
    runs.push([`${name}, relaxed SIMD (fused multiply-add)`, shape, fn, flops]);
  }
  const big = runs[0][3];
  return runs.map(([name, shape, fn, flops]) => {
    const r = timeIt(fn, flops, flops === big ? 200 : 2000);
    return { name, shape, bestGflops: r.best, medianGflops: r.median };
  });
}
