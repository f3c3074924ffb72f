import type { EngineStatus } from '../../src-shared/engine';
import type { KernelReport } from '../engine/index';

/** The engine's kernel report in the API's shape (flat, JSON-friendly, no file paths). */
export function toEngineStatus(report: KernelReport): EngineStatus {
  const { native } = report;
  return {
    kernel: report.auto,
    nativeAvailable: native.available,
    nativeLevel: native.available ? native.level : null,
    reason: native.available ? null : native.reason,
    message: report.message,
  };
}

let cached: Promise<EngineStatus> | null = null;

/**
 * Which kernels training uses in this process, computed once: whether the addon loads cannot
 * change while the app runs. The engine is imported lazily so the main process only loads the
 * addon (and the embedded WebAssembly) when someone asks.
 */
export function engineStatus(): Promise<EngineStatus> {
  cached ??= import('../engine/index').then(({ kernelReport }) => toEngineStatus(kernelReport()));
  return cached;
}
