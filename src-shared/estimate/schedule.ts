/** Runs still to train, `count` alike in a row, in queue order: seconds each, with overhead. */
export interface QueuedTime {
  experimentId: number;
  seconds: number;
  count: number;
}

/** A run training now: the seconds it still needs. */
export interface RunningTime {
  experimentId: number;
  remaining: number;
}

/** When the queue is expected to be empty, and each experiment's last run to end (seconds from now). */
export interface QueueSchedule {
  total: number;
  byExperiment: Map<number, number>;
}

/**
 * The queue played forward: running runs hold their workers until they end, then each queued run,
 * in queue order, starts on the first worker free, as the runner hands them out. With more runs in
 * flight than workers (remote workers that left) each still ends on its own clock.
 */
export function scheduleQueue(running: readonly RunningTime[], queued: readonly QueuedTime[], workers: number): QueueSchedule {
  const free: number[] = Array.from({ length: Math.max(1, Math.floor(workers)) }, () => 0);
  const byExperiment = new Map<number, number>();
  const ends = (id: number, at: number): void => void byExperiment.set(id, Math.max(byExperiment.get(id) ?? 0, at));
  const sortedRunning = [...running].sort((a, b) => a.remaining - b.remaining);
  sortedRunning.forEach((r, i) => {
    const at = Math.max(0, r.remaining);
    ends(r.experimentId, at);
    const slot = i % free.length;
    free[slot] = Math.max(free[slot], at);
  });
  for (const q of queued) {
    for (let k = 0; k < q.count; k++) {
      let slot = 0;
      for (let w = 1; w < free.length; w++) if (free[w] < free[slot]) slot = w;
      free[slot] += Math.max(0, q.seconds);
      ends(q.experimentId, free[slot]);
    }
  }
  return { total: Math.max(0, ...byExperiment.values()), byExperiment };
}

/**
 * Wall seconds of a new sweep's runs (in queue order) on `workers` idle workers. `bound` caps the
 * work when a strategy stops runs early (ASHA's most epochs): the total is then that work spread
 * over the workers, never less than its longest run.
 */
export function sweepWallSeconds(runSeconds: readonly number[], workers: number, bound?: { seconds: number }): number {
  if (bound) {
    const longest = Math.max(0, ...runSeconds);
    return Math.max(longest, bound.seconds / Math.max(1, Math.min(workers, runSeconds.length)));
  }
  return scheduleQueue([], runSeconds.map((seconds) => ({ experimentId: 0, seconds, count: 1 })), workers).total;
}
