import type { RunStatus, RunSummary } from '../../src-shared/runs';
import type { WorkbenchApi } from '../api/workbenchApi';

/** The run statuses a new attempt can be queued for (the API refuses the others). */
export const REQUEUEABLE: readonly RunStatus[] = ['interrupted', 'failed', 'cancelled', 'diverged'];

/** Every run of an experiment, oldest first, read through the API a page at a time. */
export async function experimentRuns(api: WorkbenchApi, experimentId: number): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (;;) {
    const page = await api.call('runs/list', { experimentId, limit: 10_000, offset: runs.length });
    runs.push(...page);
    if (page.length < 10_000) return runs;
  }
}

/**
 * The runs that count: a run re-queued as a new attempt is history, the attempt stands for it. So
 * a sweep whose interrupted run was re-queued and then finished has every run finished.
 */
export function latestAttempts(runs: readonly RunSummary[]): RunSummary[] {
  const superseded = new Set(runs.map((r) => r.requeuedFrom).filter((id) => id !== null));
  return runs.filter((r) => !superseded.has(r.id));
}

/** Queues a new attempt of each run through the API; returns `old → new` pairs in the same order. */
export async function requeueRuns(api: WorkbenchApi, runs: readonly RunSummary[]): Promise<{ from: number; to: number }[]> {
  const pairs: { from: number; to: number }[] = [];
  for (const r of runs) pairs.push({ from: r.id, to: (await api.call('runs/requeue', { id: r.id })).id });
  return pairs;
}

/** `3 → 9, 4 → 10` */
export function pairsText(pairs: readonly { from: number; to: number }[]): string {
  return pairs.map((p) => `${p.from} → ${p.to}`).join(', ');
}

const ids = (runs: readonly RunSummary[]): string => runs.map((r) => r.id).join(', ');
const plural = (runs: readonly RunSummary[], one: string, many: string): string => (runs.length === 1 ? `Run ${ids(runs)} ${one}` : `Runs ${ids(runs)} ${many}`);

/**
 * Why not every run of an experiment finished (diverged and pruned count as finished: they are results), one line
 * per status with what to do about it; empty when every run finished.
 */
export function unfinishedLines(experimentId: number, latest: readonly RunSummary[]): string[] {
  const by = (s: RunStatus) => latest.filter((r) => r.status === s);
  const requeue = (s: RunStatus) => `re-queue with \`workbench runs requeue --experiment ${experimentId} --status ${s}\``;
  const lines: string[] = [];
  const failed = by('failed');
  if (failed.length) lines.push(`${plural(failed, 'failed', 'failed')} (\`workbench runs show ${failed[0].id}\` says why); ${requeue('failed')}.`);
  const cancelled = by('cancelled');
  if (cancelled.length) lines.push(`${plural(cancelled, 'was cancelled', 'were cancelled')}: a sweep does not run cancelled runs again; ${requeue('cancelled')}.`);
  const interrupted = by('interrupted');
  if (interrupted.length) lines.push(`${plural(interrupted, 'was interrupted', 'were interrupted')}; continue from the last checkpoint with \`workbench runs resume --experiment ${experimentId}\`, or start over: ${requeue('interrupted')}.`);
  const queued = by('queued');
  if (queued.length) lines.push(`${plural(queued, 'is still queued', 'are still queued')} (the queue is paused or cannot start); run the sweep again to continue.`);
  const waiting = by('waiting');
  if (waiting.length) lines.push(`${plural(waiting, 'waits', 'wait')} at an ASHA rung for the rest of their configurations; run the sweep again to continue.`);
  const running = by('running');
  if (running.length) lines.push(`${plural(running, 'is still running', 'are still running')} in another process.`);
  return lines;
}
