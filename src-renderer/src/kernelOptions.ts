import { BUILD_NATIVE_HINT, kernelKindName, type EngineStatus } from '../../src-shared/engine';
import type { KernelChoice } from '../../src-shared/config';

/** One choice of the New experiment form's "Kernels" select. */
export interface KernelOption {
  value: KernelChoice;
  label: string;
  disabled: boolean;
}

/**
 * The choices of the "Kernels" select in the user's words: auto says what it resolves to on this
 * machine, and native is marked unavailable where the addon did not load (`status` null = not known yet).
 */
export function kernelOptions(status: EngineStatus | null): KernelOption[] {
  const missing = status !== null && !status.nativeAvailable;
  const level = status?.nativeLevel ? ` (${kernelKindName(`native-${status.nativeLevel}`)})` : '';
  return [
    { value: 'auto', label: status ? `auto (recommended): ${status.kernel}` : 'auto (recommended)', disabled: false },
    { value: 'native', label: missing ? 'native (not available here)' : `native${level}`, disabled: missing },
    { value: 'wasm', label: 'WebAssembly', disabled: false },
    { value: 'f64', label: 'float64 reference (slow)', disabled: false },
  ];
}

/** The hint beside the select: why native is missing and what to do, else what the choice changes. */
export function kernelHint(status: EngineStatus | null): string {
  if (status && !status.nativeAvailable) return `Native kernels not available: ${status.reason}. To use them, ${BUILD_NATIVE_HINT}.`;
  const here = status ? `auto uses ${kernelKindName(status.kernel)} here. ` : '';
  return `${here}The choice changes the speed, not the model: results differ only by rounding.`;
}
