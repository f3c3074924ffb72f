/**
 * Which implementation of the kernels produced a result (recorded with every run): the native addon
 * with the CPU level it dispatched to, WebAssembly SIMD (relaxed where the runtime validates it) or
 * the float64 reference.
 */
export type KernelKind = 'native-avx512' | 'native-avx2' | 'native-portable' | 'wasm-relaxed-simd' | 'wasm-simd' | 'f64-reference';

/** Everything measured at the end of one epoch. Losses may be NaN or ±Infinity after divergence. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean cross-entropy over the epoch's training batches (as they were seen, weights changing). */
  trainLoss: number;
  trainAccuracy: number;
  /** trainLoss + λ/2·Σ‖W‖² with the weights at the end of the epoch. */
  objective: number;
  testLoss: number;
  testAccuracy: number;
  /** Learning rate used throughout this epoch. */
  learningRate: number;
  seconds: number;
  /** 10×10 test confusion matrix, row-major: row = true class, column = predicted class. */
  confusion: number[];
}

export type TrainStatus = 'finished' | 'diverged' | 'cancelled';

export interface TrainResult {
  status: TrainStatus;
  epochs: EpochMetrics[];
  /** Epoch at which the loss became NaN or infinite, when status is 'diverged'. */
  divergedEpoch: number | null;
  /** Highest test accuracy over the epochs and where it happened. */
  best: { epoch: number; testAccuracy: number } | null;
  kernel: KernelKind;
  parameterCount: number;
  /** The input map x = byte·scale[c] + shift[c] the run trained with (kept with its model). */
  transform: { scale: readonly number[]; shift: readonly number[] };
}

/** Progress within an epoch, for progress bars. */
export interface TrainProgress {
  epoch: number;
  batch: number;
  batches: number;
  /** Fraction of the whole run done, 0..1. */
  fraction: number;
}
