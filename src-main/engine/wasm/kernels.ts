import { KERNELS_WASM_BASE64 } from './generated/kernelsWasm';

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

let compiled: WebAssembly.Module | null = null;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Compiles the embedded module once per thread. A worker calls it at start-up so that its first run
 * does not pay for the compile; throws where the runtime lacks WebAssembly SIMD.
 */
export function compileKernels(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
  return compiled;
}

/** A fresh instance of the compiled kernels, with its own memory. */
export function instantiateKernels(): KernelExports {
  const instance = new WebAssembly.Instance(compileKernels(), {
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
