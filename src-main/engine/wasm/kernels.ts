import type { KernelKind } from '../../../src-shared/metrics';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernelsWasm';

/**
 * The two builds of the kernels module (scripts/buildWasm.mjs): relaxed SIMD, whose GEMM loops use
 * the fused f32x4.relaxed_madd, and plain SIMD, the fallback every SIMD runtime runs.
 */
export type WasmKernelKind = Extract<KernelKind, 'wasm-relaxed-simd' | 'wasm-simd'>;

/** The exports of the AssemblyScript kernels module (see assembly/). Pointers are byte addresses. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemmXW(x: number, w: number, bias: number, c: number, m: number, k: number, n: number): void;
  gemmAW(a: number, w: number, bias: number, c: number, m: number, k: number, n: number): void;
  gemmTX(x: number, d: number, g: number, m: number, k: number, n: number): void;
  gemmTA(a: number, d: number, g: number, m: number, k: number, n: number): void;
  gemmNT(d: number, w: number, y: number, m: number, k: number, n: number): void;
  panelize(z: number, dp: number, m: number, n: number): void;
  colSum(z: number, out: number, m: number, n: number): void;
  activationForward(kind: number, z: number, a: number, len: number): void;
  activationBackward(kind: number, z: number, a: number, da: number, dz: number, len: number): void;
  softmaxCrossEntropy(z: number, labels: number, probs: number, dz: number, preds: number, m: number, n: number, scale: number): number;
  sgdStep(w: number, g: number, vel: number, len: number, lr: number, momentum: number, l2: number): void;
  adamStep(w: number, g: number, m: number, v: number, len: number, lr: number, b1: number, b2: number, eps: number, bc1: number, bc2: number, l2: number): void;
  sumSquares(w: number, len: number): number;
  bytesToFloat(src: number, dst: number, m: number, features: number, plane: number, scale: number, shift: number): void;
}

const compiled = new Map<WasmKernelKind, WebAssembly.Module>();
let chosen: WasmKernelKind | null = null;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Whether the user asked for the plain build (WORKBENCH_WASM_RELAXED=0), to compare the two builds or
 * to sidestep a runtime whose relaxed SIMD misbehaves. `process` is absent outside Node and Electron.
 */
function relaxedDisabled(): boolean {
  return typeof process !== 'undefined' && process.env?.WORKBENCH_WASM_RELAXED === '0';
}

/**
 * The build this thread runs: relaxed SIMD where the runtime validates it (Electron 40 / Chrome 144,
 * Node 20 only with --experimental-wasm-relaxed-simd) unless WORKBENCH_WASM_RELAXED=0, else plain
 * SIMD. Decided once per thread, so every backend of a run reports the kernels it really used.
 */
export function wasmKernelKind(): WasmKernelKind {
  chosen ??= relaxedSimdSupported() && !relaxedDisabled() ? 'wasm-relaxed-simd' : 'wasm-simd';
  return chosen;
}

/**
 * Compiles one build of the embedded module (by default the one wasmKernelKind() picks) once per
 * thread. A worker calls it at start-up so that its first run does not pay for the compile; throws
 * where the runtime lacks WebAssembly SIMD (or relaxed SIMD, when that build is asked for).
 */
export function compileKernels(kind: WasmKernelKind = wasmKernelKind()): WebAssembly.Module {
  let module = compiled.get(kind);
  if (!module) {
    module = new WebAssembly.Module(decodeBase64(kind === 'wasm-relaxed-simd' ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64));
    compiled.set(kind, module);
  }
  return module;
}

/**
 * A fresh instance of the compiled kernels, with its own memory. `kind` picks a build explicitly
 * (benchmarks and tests compare the two); by default the one wasmKernelKind() picks.
 */
export function instantiateKernels(kind: WasmKernelKind = wasmKernelKind()): KernelExports {
  const instance = new WebAssembly.Instance(compileKernels(kind), {
    env: {
      abort(): never {
        throw new Error('WASM kernel aborted');
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}

/** Whether this runtime can run WebAssembly SIMD at all (validates a one-instruction module). */
export function wasmSimdSupported(): boolean {
  // (module (func (result v128) v128.const i32x4 0 0 0 0))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);
  return WebAssembly.validate(probe);
}

/**
 * Whether this runtime validates relaxed SIMD, so the relaxed build can run (validates a
 * one-instruction module; validate() does not throw on unknown opcodes, it returns false).
 */
export function relaxedSimdSupported(): boolean {
  // (module (func (param v128 v128 v128) (result v128)
  //   (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))   relaxed_madd = 0xfd 0x85 0x02
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0,
    10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11]);
  return WebAssembly.validate(probe);
}
