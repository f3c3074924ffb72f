/**
 * The training engine: pure TypeScript + WebAssembly, no electron, fs, sqlite or worker_threads,
 * so the same code runs in a worker thread, a test and the CLI.
 */
export { train, type TrainHooks, type TrainOptions } from './trainer';
export type { Backend, Mat, Batch, ActivationKind } from './backend';
export type { Dataset, DatasetSplit, InputTransform } from './dataset';
export { F64Backend } from './f64/f64Backend';
export { WasmBackend } from './wasm/wasmBackend';
export { compileKernels, wasmSimdSupported } from './wasm/kernels';
import type { KernelKind } from '../../src-shared/metrics';
import type { Backend } from './backend';
import { F64Backend } from './f64/f64Backend';
import { WasmBackend } from './wasm/wasmBackend';

/** A fresh backend of the given kind (each has its own memory; one per run). */
export function createBackend(kind: KernelKind = 'wasm-simd'): Backend {
  return kind === 'wasm-simd' ? new WasmBackend() : new F64Backend();
}
