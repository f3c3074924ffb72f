import type { TrainConfig } from '../config';
import { runSecondsOf, type EpochEstimate, type EstimateTier } from './runTime';
import { scheduleQueue, type QueuedTime, type QueueSchedule } from './schedule';

/** A run training now, as the Queue's estimate knows it. */
export interface RunningEstimate {
  runId: number;
  experimentId: number;
  /** The whole run's expected seconds (overhead included). */
  runSeconds: number;
  /** Fraction done by committed epochs, before any live progress. */
  done: number;
}

/** What the Queue view needs for its ETAs (the `queue/estimate` channel); the live progress is applied in the view. */
export interface QueueEstimate {
  workers: number;
  running: RunningEstimate[];
  /** Queued (and ASHA-waiting) runs in queue order, alike neighbours counted together. */
  queued: QueuedTime[];
  /** Experiments with runs left, in queue order. */
  experiments: { id: number; name: string; runsLeft: number }[];
  basis: string;
  tier: EstimateTier;
}

/** A run not yet ended, in queue order (running first). */
export interface PendingLike {
  id: number;
  experimentId: number;
  experimentName: string;
  status: 'queued' | 'running' | 'waiting';
  config: Pick<TrainConfig, 'epochs'>;
  epochsDone: number;
}

/** The queue's estimate from its pending runs and their seconds per epoch (one estimate per run, same order). */
export function buildQueueEstimate(pending: readonly PendingLike[], perEpoch: readonly EpochEstimate[], workers: number, basis: { basis: string; tier: EstimateTier }): QueueEstimate {
  const running: RunningEstimate[] = [];
  const queued: QueuedTime[] = [];
  const experiments = new Map<number, { id: number; name: string; runsLeft: number }>();
  pending.forEach((r, i) => {
    const e = perEpoch[i];
    const runSeconds = runSecondsOf(r.config.epochs, e);
    const done = Math.min(1, r.epochsDone / r.config.epochs);
    const x = experiments.get(r.experimentId) ?? { id: r.experimentId, name: r.experimentName, runsLeft: 0 };
    x.runsLeft += 1;
    experiments.set(r.experimentId, x);
    if (r.status === 'running') return void running.push({ runId: r.id, experimentId: r.experimentId, runSeconds, done });
    const seconds = runSeconds * (1 - done); // a waiting run continues from its checkpoint
    const last = queued.at(-1);
    if (last && last.experimentId === r.experimentId && Math.abs(last.seconds - seconds) < 1e-9) last.count += 1;
    else queued.push({ experimentId: r.experimentId, seconds, count: 1 });
  });
  return { workers: Math.max(1, workers), running, queued, experiments: [...experiments.values()], ...basis };
}

/** A running run's live progress: the fraction done and seconds since it started (null when unknown). */
export interface LiveProgress {
  fraction: number;
  elapsed: number | null;
}

/**
 * Seconds a running run still needs: the estimate's share left at its live progress; past a fifth
 * of the run, the pace it actually shows counts as much as the estimate.
 */
export function remainingSeconds(run: RunningEstimate, live: LiveProgress | undefined): number {
  const f = Math.min(1, Math.max(live?.fraction ?? run.done, run.done));
  const byEstimate = run.runSeconds * (1 - f);
  if (!live || live.elapsed === null || f < 0.2 || f >= 1) return byEstimate;
  const byPace = (live.elapsed * (1 - f)) / f;
  return (byEstimate + byPace) / 2;
}

/** When the queue and each of its experiments should be done, from now, at the runs' live progress. */
export function liveSchedule(estimate: QueueEstimate, live: ReadonlyMap<number, LiveProgress>): QueueSchedule {
  const running = estimate.running.map((r) => ({ experimentId: r.experimentId, remaining: remainingSeconds(r, live.get(r.runId)) }));
  return scheduleQueue(running, estimate.queued, estimate.workers);
}
