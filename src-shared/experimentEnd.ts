import type { ExperimentSummary, RunStatus } from './runs';

/** Run states that end a run on their own (an interrupted run ends only because the app stopped). */
const ENDING: readonly RunStatus[] = ['finished', 'failed', 'cancelled', 'diverged', 'pruned'];

/** Whether a run state event can be the one that ends its experiment. */
export const endsARun = (status: RunStatus): boolean => ENDING.includes(status);

/**
 * Whether nothing of the experiment is left to train (no run queued, running or waiting at a rung).
 * One with no run to count (deleted in History: its runs are in the archive) has not ended: its
 * deletion cancels its queued runs, which must not read as the experiment ending.
 */
export function experimentEnded(summary: Pick<ExperimentSummary, 'statusCounts'>): boolean {
  const c = summary.statusCounts;
  return Object.values(c).some((n) => n) && !c.queued && !c.running && !c.waiting && !c.interrupted;
}

/** The notification of an ended experiment: "Experiment 7 finished" / "Report Fig. 1 — L2: 28 finished · 2 failed". */
export function endedNotice(summary: Pick<ExperimentSummary, 'id' | 'name' | 'statusCounts'>): { title: string; body: string } {
  const counts = Object.entries(summary.statusCounts)
    .filter(([, n]) => n)
    .map(([status, n]) => `${n!.toLocaleString('en-US')} ${status}`)
    .join(' · ');
  const allFinished = Object.entries(summary.statusCounts).every(([s, n]) => !n || s === 'finished');
  return { title: `Experiment ${summary.id} ${allFinished ? 'finished' : 'ended'}`, body: `${summary.name}: ${counts}` };
}

/**
 * Calls `notify` once per experiment whose last run has just ended, whatever the number of events:
 * the desktop app's system notifications and browser mode's. `get` reads the experiment's counts.
 */
export function experimentEndWatcher(get: (id: number) => Promise<ExperimentSummary>, notify: (notice: { title: string; body: string }, experimentId: number) => void) {
  const notified = new Set<number>();
  const checking = new Set<number>();
  return async (event: { experimentId: number; status: RunStatus }): Promise<void> => {
    if (!endsARun(event.status) || notified.has(event.experimentId) || checking.has(event.experimentId)) return;
    checking.add(event.experimentId);
    try {
      const summary = await get(event.experimentId);
      if (!experimentEnded(summary) || notified.has(summary.id)) return;
      notified.add(summary.id);
      notify(endedNotice(summary), summary.id);
    } catch {
      // a deleted experiment has nothing to announce
    } finally {
      checking.delete(event.experimentId);
    }
  };
}
