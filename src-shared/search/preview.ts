import { rungsFor } from './asha';
import type { AshaSpec } from './searchSpec';

/** What a sweep will cost, before it is queued: the form's preview line and `workbench sweep --preview`. */
export interface SweepPreview {
  /** Runs queued: configurations × repeats. */
  runs: number;
  configurations: number;
  /** Epochs trained if no run is stopped early (every run to its epochs). */
  fullEpochs: number;
  /**
   * The most epochs the strategy trains: fullEpochs for a grid or random search; with ASHA the bound
   * its promotion rule guarantees (at most ⌈n/η⌉ of n configurations pass a rung), however the
   * metrics come out.
   */
  maxEpochs: number;
}

/**
 * The epochs ASHA can train at most, for configurations of these epochs and `seeds` runs each: at each
 * rung, ⌈n/η⌉ of the n configurations that reach it go on (taken as the longest, the costliest case).
 */
export function ashaMaxEpochs(epochs: readonly number[], seeds: number, asha: Pick<AshaSpec, 'minEpochs' | 'reductionFactor'>): number {
  const rungs = rungsFor(Math.max(0, ...epochs), asha.minEpochs, asha.reductionFactor);
  let alive = [...epochs];
  let used = 0;
  let done = 0;
  for (const rung of rungs) {
    for (const e of alive) used += Math.max(0, Math.min(e, rung) - done);
    const judged = alive.filter((e) => e > rung).sort((a, b) => b - a);
    alive = judged.slice(0, Math.ceil(judged.length / asha.reductionFactor));
    done = rung;
  }
  for (const e of alive) used += Math.max(0, e - done);
  return used * seeds;
}

/** The preview of a sweep whose configurations train `epochs` epochs each (in order), `repeats` seeds each. */
export function previewOf(epochs: readonly number[], repeats: number, asha: AshaSpec | undefined): SweepPreview {
  const fullEpochs = epochs.reduce((s, e) => s + e, 0) * repeats;
  return { runs: epochs.length * repeats, configurations: epochs.length, fullEpochs, maxEpochs: asha ? ashaMaxEpochs(epochs, repeats, asha) : fullEpochs };
}
