import type { KernelKind } from './metrics';

/**
 * Which kernels training uses on this machine, and why (the `engine/status` channel). Computed once
 * in the main process, since it cannot change while the app runs; views and the CLI say it once.
 */
export interface EngineStatus {
  /** What kernel `auto` resolves to here (e.g. native-avx512, wasm-simd). */
  kernel: KernelKind;
  nativeAvailable: boolean;
  /** The CPU level the native kernels dispatch to (avx512, avx2, portable), when available. */
  nativeLevel: string | null;
  /** Why the native kernels are not available, when they are not. */
  reason: string | null;
  /** One plain sentence saying which kernels training uses, and why when not native. */
  message: string;
}

/** The command that compiles the native kernels once a C compiler is installed. */
export const BUILD_NATIVE_COMMAND = 'npm run build:native';

/** What a user without the native kernels can do about it. */
export const BUILD_NATIVE_HINT = `install a C compiler and run ${BUILD_NATIVE_COMMAND}`;

const KIND_NAMES: Record<KernelKind, string> = {
  'native-avx512': 'AVX-512',
  'native-avx2': 'AVX2',
  'native-portable': 'portable C',
  'wasm-relaxed-simd': 'WebAssembly relaxed SIMD',
  'wasm-simd': 'WebAssembly SIMD',
  'f64-reference': 'float64 reference',
};

/** The name a person reads for a kernel kind ("AVX-512", "WebAssembly SIMD"); unknown kinds as they are. */
export function kernelKindName(kind: string): string {
  return (KIND_NAMES as Record<string, string>)[kind] ?? kind;
}
