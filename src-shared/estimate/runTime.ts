import type { TrainConfig } from '../config';

/** CIFAR-10's image sizes: every run reads 3,072 inputs, predicts 10 classes and tests on 10,000 images. */
const INPUTS = 3072;
const CLASSES = 10;
const TRAIN_IMAGES = 50_000;
const TEST_IMAGES = 10_000;
/** A test image costs a forward pass only: about a third of a training image's forward + backward pass. */
const TEST_SHARE = 1 / 3;

/** What a run's time per epoch depends on: the same shape on the same kernel takes the same time. */
export interface RunShape {
  hidden: readonly number[];
  batchSize: number;
  /** Training images per epoch (trainLimit, or all 50,000). */
  trainImages: number;
  optimizer: string;
}

/**
 * Measured epochs of one shape on one kernel, summed over runs (the store's `timingSamples`): what
 * the estimate learns from.
 */
export interface TimingSample extends RunShape {
  /** The kernel kind the runs recorded (native-avx512, wasm-simd …). */
  kernel: string;
  /** Epochs measured and their seconds (training + the test pass, as the epochs table stores them). */
  epochs: number;
  seconds: number;
  /**
   * The same without each run's first epoch: the steady pace. A run's first epoch on a fresh worker
   * thread pays one-off costs (first-touched memory, compilation), so a history of short runs read
   * as a mean overstates every later epoch.
   */
  steadyEpochs: number;
  steadySeconds: number;
  /** Of runs that ended finished in one go after at least WALL_MIN_EPOCHS epochs: how many, their wall seconds and epochs. */
  wallRuns: number;
  wallSeconds: number;
  wallEpochs: number;
}

/** Runs shorter than this teach no overhead: their wall time is mostly a worker thread starting. */
export const WALL_MIN_EPOCHS = 5;

/** How much an estimate rests on measurements, best first. */
export type EstimateTier = 'same-shape' | 'scaled' | 'default';

/** Seconds per epoch of one shape, and what they rest on. */
export interface EpochEstimate {
  seconds: number;
  tier: EstimateTier;
  /** Measured epochs the figure comes from (0 for the default). */
  fromEpochs: number;
  /** The kernel kind of those epochs (or the one asked for, for the default). */
  kernel: string;
  /** A multiplier on the epochs: DEFAULT_OVERHEAD while no ended run shows the real cost (then perRun is 0), else 1. */
  overhead: number;
  /**
   * Seconds a run takes beyond its epochs at the steady pace (set-up, the slower first epoch, the
   * final model, commits): paid once per run, so a 50-epoch sweep learnt from 5-epoch runs is not
   * charged it fifty times.
   */
  perRun: number;
}

/** A run's expected seconds: its epochs at the pace, times the overhead, plus its one-off cost. */
export const runSecondsOf = (epochs: number, e: EpochEstimate): number => epochs * e.seconds * e.overhead + e.perRun;

/**
 * Seconds per epoch of the report defaults (3072-100-100-10, batch 64, 50,000 images, SGD) per kernel
 * family when nothing was measured yet: docs/benchmarks.md measured 0.54–0.79 s on native-avx512 and
 * 1.9–2.4 s on WebAssembly per worker; the float64 reference is far slower. A rough guess, said so.
 */
export const DEFAULT_REPORT_EPOCH_SECONDS: Record<'native' | 'wasm' | 'f64', number> = { native: 0.8, wasm: 2.4, f64: 20 };
/** Wall ÷ epoch seconds assumed with no ended run to measure it (per-run set-up, a commit per epoch). */
export const DEFAULT_OVERHEAD = 1.05;
/** Fewer measured epochs than this of one shape are not trusted alone. */
const MIN_EPOCHS = 2;

/** Weights and biases of an MLP of these hidden layers on CIFAR-10. */
export function parameterCount(hidden: readonly number[]): number {
  const sizes = [INPUTS, ...hidden, CLASSES];
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += (sizes[i - 1] + 1) * sizes[i];
  return n;
}

/** The shape of a run's config. */
export function shapeOf(config: Pick<TrainConfig, 'hidden' | 'batchSize' | 'trainLimit' | 'optimizer'>): RunShape {
  const trainImages = config.trainLimit > 0 ? Math.min(config.trainLimit, TRAIN_IMAGES) : TRAIN_IMAGES;
  return { hidden: config.hidden, batchSize: config.batchSize, trainImages, optimizer: config.optimizer };
}

/** Work of one epoch in parameter × image units: what the time scales with between shapes. */
export function epochWork(shape: RunShape): number {
  return parameterCount(shape.hidden) * (shape.trainImages + TEST_IMAGES * TEST_SHARE);
}

const sameShape = (a: RunShape, b: RunShape): boolean =>
  a.batchSize === b.batchSize && a.trainImages === b.trainImages && a.optimizer === b.optimizer && a.hidden.length === b.hidden.length && a.hidden.every((h, i) => h === b.hidden[i]);

const sum = (xs: readonly TimingSample[], f: (s: TimingSample) => number): number => xs.reduce((t, s) => t + f(s), 0);

/** The kernel family of a kind or a config choice: native-avx512 → native. */
export function kernelFamily(kind: string): 'native' | 'wasm' | 'f64' {
  return kind.startsWith('wasm') ? 'wasm' : kind.startsWith('f64') ? 'f64' : 'native';
}

/** Seconds per epoch at the steady pace of these samples: later epochs when there are enough, else all. */
function steadyPace(samples: readonly TimingSample[]): { seconds: number; epochs: number } {
  const later = sum(samples, (s) => s.steadyEpochs);
  if (later >= MIN_EPOCHS) return { seconds: sum(samples, (s) => s.steadySeconds), epochs: later };
  return { seconds: sum(samples, (s) => s.seconds), epochs: sum(samples, (s) => s.epochs) };
}

/**
 * The one-off cost of a run of `shape` (see EpochEstimate.perRun), from ended runs of these samples:
 * their wall time beyond their epochs at their pace, scaled by work per epoch to `shape`; null when
 * none ended in one go after enough epochs. Bounded by 10 epochs at the pace, for a run that waited.
 */
function perRunOf(samples: readonly TimingSample[], shape: RunShape): number | null {
  let extra = 0;
  let runs = 0;
  for (const s of samples) {
    if (s.wallRuns <= 0 || s.wallSeconds <= 0) continue;
    const pace = steadyPace([s]);
    const perEpoch = pace.seconds / pace.epochs;
    extra += Math.min(10 * perEpoch * s.wallRuns, Math.max(0, s.wallSeconds - s.wallEpochs * perEpoch)) * (epochWork(shape) / epochWork(s));
    runs += s.wallRuns;
  }
  return runs > 0 ? extra / runs : null;
}

/** Overhead and one-off cost: measured ones of the same shape, else of the others scaled, else the default multiplier. */
function costs(same: readonly TimingSample[], all: readonly TimingSample[], shape: RunShape): Pick<EpochEstimate, 'overhead' | 'perRun'> {
  const perRun = perRunOf(same, shape) ?? perRunOf(all, shape);
  return perRun === null ? { overhead: DEFAULT_OVERHEAD, perRun: 0 } : { overhead: 1, perRun };
}

/** The most common kernel kind among samples (by epochs). */
function mainKernel(samples: readonly TimingSample[], fallback: string): string {
  const by = new Map<string, number>();
  for (const s of samples) by.set(s.kernel, (by.get(s.kernel) ?? 0) + s.epochs);
  return [...by].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
}

/**
 * Seconds per epoch of `shape` on `kernel` (a kind, or the samples the caller already narrowed to
 * its kernel): the steady pace of measured epochs of the same shape (runs' first epochs left out
 * when enough later ones exist; what a run costs beyond its epochs at that pace is its one-off cost,
 * from runs long enough to show it); else measured epochs of other shapes scaled by parameters × images
 * (those with the same batch size and optimizer when there are enough, since small batches and Adam
 * cost more per image); else the documented default, scaled the same way.
 */
export function estimateEpoch(shape: RunShape, samples: readonly TimingSample[], kernel: string): EpochEstimate {
  const measured = samples.filter((s) => s.epochs > 0 && s.seconds > 0);
  const same = measured.filter((s) => sameShape(s, shape));
  const sameEpochs = sum(same, (s) => s.epochs);
  if (sameEpochs >= MIN_EPOCHS) {
    const pace = steadyPace(same);
    return { seconds: pace.seconds / pace.epochs, tier: 'same-shape', fromEpochs: sameEpochs, kernel: mainKernel(same, kernel), ...costs(same, measured, shape) };
  }
  const alike = measured.filter((s) => s.batchSize === shape.batchSize && s.optimizer === shape.optimizer);
  const basis = sum(alike, (s) => s.epochs) >= MIN_EPOCHS ? alike : measured;
  const basisEpochs = sum(basis, (s) => s.epochs);
  if (basisEpochs >= MIN_EPOCHS) {
    const steady = sum(basis, (s) => s.steadyEpochs) >= MIN_EPOCHS;
    const perWork = steady
      ? sum(basis, (s) => s.steadySeconds) / sum(basis, (s) => s.steadyEpochs * epochWork(s))
      : sum(basis, (s) => s.seconds) / sum(basis, (s) => s.epochs * epochWork(s));
    return { seconds: perWork * epochWork(shape), tier: 'scaled', fromEpochs: basisEpochs, kernel: mainKernel(basis, kernel), ...costs([], measured, shape) };
  }
  const report = epochWork({ hidden: [100, 100], batchSize: 64, trainImages: TRAIN_IMAGES, optimizer: 'sgd' });
  return { seconds: (DEFAULT_REPORT_EPOCH_SECONDS[kernelFamily(kernel)] * epochWork(shape)) / report, tier: 'default', fromEpochs: 0, kernel, overhead: DEFAULT_OVERHEAD, perRun: 0 };
}
