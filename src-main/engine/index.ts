/**
 * The training engine: pure TypeScript + WebAssembly + the native addon, no electron, fs, sqlite or
 * worker_threads, so the same code runs in a worker thread, a test and the CLI.
 */
export { train, type TrainHooks, type TrainOptions } from './trainer';
export type { Backend, Mat, Batch, ActivationKind } from './backend';
export type { Dataset, DatasetSplit, InputTransform } from './dataset';
export { F64Backend } from './f64/f64Backend';
export { WasmBackend } from './wasm/wasmBackend';
export { NativeBackend } from './native/nativeBackend';
export { nativeStatus, type NativeStatus } from './native/nativeAddon';
export { compileKernels, wasmSimdSupported } from './wasm/kernels';
export { createBackend, kernelReport, type KernelReport } from './kernelChoice';
export { captureState, restoreState, type TrainState, type StateTensor } from './trainState';
export { inferSplit, loadMlp, splitFromPixels, INFER_BLOCK, type Inference, type LayerWeights } from './inference';
