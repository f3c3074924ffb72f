import type { KernelChoice } from '../../src-shared/config';
import { AppError } from '../../src-shared/errors';
import type { KernelKind } from '../../src-shared/metrics';
import type { Backend } from './backend';
import { F64Backend } from './f64/f64Backend';
import { NativeArena } from './native/nativeArena';
import { nativeKernels, nativeStatus, type NativeStatus } from './native/nativeAddon';
import { NativeBackend } from './native/nativeBackend';
import { wasmKernelKind } from './wasm/kernels';
import { WasmBackend } from './wasm/wasmBackend';

/** What `auto` resolves to in this thread, and why, in words a user can act on. */
export interface KernelReport {
  auto: KernelKind;
  native: NativeStatus;
  message: string;
}

/** Which kernels `auto` trains with here: the native addon when it loaded, else WebAssembly SIMD. */
export function kernelReport(): KernelReport {
  const native = nativeStatus();
  if (native.available) {
    return { auto: `native-${native.level}`, native, message: `Training uses the native kernels (native-${native.level}).` };
  }
  const wasm = wasmKernelKind();
  return { auto: wasm, native, message: `Training uses WebAssembly SIMD (${wasm}), slower than native: the native kernels are not available: ${native.reason}.` };
}

let threadArena: NativeArena | null = null;

/**
 * A backend for a run's kernel choice (each has its own memory; one per run). `native` fails with
 * the reason when the addon is unavailable; `auto` falls back to WebAssembly instead. With
 * `reuseMemory`, a native backend takes its tensors from this thread's arena, handed out again for
 * every such backend: a worker training one run after another passes it, and must not use the
 * previous run's backend afterwards.
 */
export function createBackend(choice: KernelChoice = 'auto', options: { reuseMemory?: boolean } = {}): Backend {
  switch (choice) {
    case 'f64':
      return new F64Backend();
    case 'wasm':
      return new WasmBackend();
    case 'native': {
      const status = nativeStatus();
      if (!status.available) throw new AppError('KERNEL_UNAVAILABLE', `This run asks for the native kernels, which are not available: ${status.reason}. Choose kernel auto or wasm.`);
      return nativeBackend(options.reuseMemory === true);
    }
    default:
      return nativeStatus().available ? nativeBackend(options.reuseMemory === true) : new WasmBackend();
  }
}

function nativeBackend(reuseMemory: boolean): NativeBackend {
  if (!reuseMemory) return new NativeBackend();
  if (!threadArena) {
    const kernels = nativeKernels();
    threadArena = new NativeArena((raw) => kernels.alignOffset(raw, 4));
  }
  threadArena.reset();
  return new NativeBackend(undefined, threadArena);
}
