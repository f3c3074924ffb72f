import type { KernelChoice, TrainConfig } from '../config';
import { estimateEpoch, kernelFamily, runSecondsOf, shapeOf, type EpochEstimate, type EstimateTier, type TimingSample } from './runTime';
import { sweepWallSeconds } from './schedule';
import { estimateText } from './words';

/** Confirmation is asked before queueing a sweep estimated longer than this, unless the user set another. */
export const DEFAULT_CONFIRM_HOURS = 2;

/** A sweep's expected wall time before it is queued (the `experiments/estimate` channel). */
export interface SweepEstimate {
  /** Expected wall seconds on `workers` workers, set-up between epochs included. */
  seconds: number;
  workers: number;
  /** "about 1 h 40 min on 2 workers". */
  text: string;
  /** What the figure rests on: "from 240 epochs of runs of the same shape on native-avx512" or "no similar runs yet: rough guess". */
  basis: string;
  tier: EstimateTier;
  runs: number;
  /** Epochs the estimate counts (the most the strategy trains: ASHA's bound). */
  epochs: number;
  /** The user's threshold: a longer sweep is queued only after a confirmation. */
  confirmAboveSeconds: number;
  overThreshold: boolean;
}

/** The measured epochs that stand for a kernel choice: `auto` is the kind it resolves to here, others their family. */
export function samplesForKernel(samples: readonly TimingSample[], choice: KernelChoice, autoKind: string): { samples: TimingSample[]; kernel: string } {
  if (choice === 'auto') return { samples: samples.filter((s) => s.kernel === autoKind), kernel: autoKind };
  const family = choice === 'f64' ? 'f64' : choice;
  return { samples: samples.filter((s) => kernelFamily(s.kernel) === family), kernel: kernelFamily(autoKind) === family ? autoKind : family };
}

type Config = Pick<TrainConfig, 'hidden' | 'batchSize' | 'trainLimit' | 'optimizer' | 'epochs' | 'kernel'>;

/** Seconds per epoch (with overhead) of each config, estimated once per shape and kernel. */
export function epochEstimates(configs: readonly Config[], samples: readonly TimingSample[], autoKind: string): EpochEstimate[] {
  const memo = new Map<string, EpochEstimate>();
  return configs.map((c) => {
    const shape = shapeOf(c);
    const key = JSON.stringify([shape, c.kernel]);
    let e = memo.get(key);
    if (!e) {
      const { samples: own, kernel } = samplesForKernel(samples, c.kernel, autoKind);
      e = estimateEpoch(shape, own, kernel);
      memo.set(key, e);
    }
    return e;
  });
}

/** What the estimates of a sweep's shapes rest on, in words: the weakest of them decides. */
export function basisText(estimates: readonly EpochEstimate[]): { tier: EstimateTier; basis: string } {
  const distinct = [...new Set(estimates)];
  const measured = distinct.filter((e) => e.tier !== 'default');
  const epochs = new Map<string, number>();
  for (const e of measured) epochs.set(`${e.tier}|${e.kernel}|${e.fromEpochs}`, e.fromEpochs);
  const n = Math.max(0, ...epochs.values());
  const kernels = [...new Set(measured.map((e) => e.kernel))].join(', ');
  if (!measured.length) return { tier: 'default', basis: 'no similar runs yet: rough guess' };
  if (measured.length < distinct.length) return { tier: 'default', basis: `partly a rough guess: some shapes have no similar runs yet (the others from ${n.toLocaleString('en-US')} epochs on ${kernels})` };
  if (measured.some((e) => e.tier === 'scaled')) return { tier: 'scaled', basis: `from ${n.toLocaleString('en-US')} epochs of similar runs on ${kernels}, scaled by size` };
  return { tier: 'same-shape', basis: `from ${n.toLocaleString('en-US')} epochs of similar runs on ${kernels}` };
}

/**
 * The wall time of a sweep's runs (configs in queue order, seeds included) on `workers` idle workers,
 * from the measured epochs of this machine (see estimateEpoch). `maxEpochs` below the runs' epochs
 * (ASHA) bounds the work by the strategy's preview.
 */
export function estimateSweep(
  configs: readonly Config[],
  opts: { samples: readonly TimingSample[]; autoKind: string; workers: number; maxEpochs: number; confirmAboveSeconds: number },
): SweepEstimate {
  const perEpoch = epochEstimates(configs, opts.samples, opts.autoKind);
  const runSeconds = configs.map((c, i) => runSecondsOf(c.epochs, perEpoch[i]));
  const fullEpochs = configs.reduce((t, c) => t + c.epochs, 0);
  const epochs = Math.min(fullEpochs, opts.maxEpochs);
  const meanEpoch = fullEpochs > 0 ? runSeconds.reduce((a, b) => a + b, 0) / fullEpochs : 0;
  const workers = Math.max(1, opts.workers);
  const seconds = sweepWallSeconds(runSeconds, workers, epochs < fullEpochs ? { seconds: epochs * meanEpoch } : undefined);
  return {
    seconds,
    workers,
    text: estimateText(seconds, workers),
    ...basisText(perEpoch),
    runs: configs.length,
    epochs,
    confirmAboveSeconds: opts.confirmAboveSeconds,
    overThreshold: seconds > opts.confirmAboveSeconds,
  };
}
