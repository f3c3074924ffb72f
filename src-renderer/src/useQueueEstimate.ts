import { computed, onMounted, onUnmounted, ref, shallowRef, type ShallowRef } from 'vue';
import { liveSchedule, type LiveProgress, type QueueEstimate } from '../../src-shared/estimate/queueEstimate';
import type { RunDetail } from '../../src-shared/runs';
import { useApi } from './useApi';

/** Milliseconds between re-reads of the queue's estimate (runs queued from the CLI send no event here) and between ETA ticks. */
const REFRESH_MS = 15_000;
const TICK_MS = 2000;

/**
 * The Queue view's ETAs: the queue's runs with their estimated seconds (queue/estimate, read again
 * when a run changes state), played forward on the workers at the running runs' live progress.
 */
export function useQueueEstimate(running: ShallowRef<Map<number, RunDetail>>, progress: ShallowRef<Map<number, number>>) {
  const api = useApi();
  const estimate = shallowRef<QueueEstimate | null>(null);
  const now = ref(Date.now());
  let asked = 0;
  async function refresh(): Promise<void> {
    const ticket = ++asked;
    try {
      const e = await api.call('queue/estimate', {});
      if (ticket === asked) estimate.value = e;
    } catch {
      // the view keeps the last estimate; the queue's own errors are shown by useQueue
    }
  }
  let debounce: ReturnType<typeof setTimeout> | null = null;
  const timers: ReturnType<typeof setInterval>[] = [];
  let off: (() => void) | null = null;
  onMounted(() => {
    void refresh();
    off = api.on('run/state', () => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => void refresh(), 300);
    });
    timers.push(setInterval(() => void refresh(), REFRESH_MS), setInterval(() => (now.value = Date.now()), TICK_MS));
  });
  onUnmounted(() => {
    off?.();
    if (debounce) clearTimeout(debounce);
    timers.forEach(clearInterval);
  });

  const schedule = computed(() => {
    const e = estimate.value;
    if (!e) return null;
    const live = new Map<number, LiveProgress>();
    for (const [id, run] of running.value) {
      const fraction = progress.value.get(id) ?? run.epochsDone / run.config.epochs;
      live.set(id, { fraction, elapsed: run.startedAt ? (now.value - Date.parse(run.startedAt)) / 1000 : null });
    }
    return liveSchedule(e, live);
  });

  /** Experiments with runs left, each with the seconds until its last run should end. */
  const experiments = computed(() => (estimate.value?.experiments ?? []).map((x) => ({ ...x, seconds: schedule.value?.byExperiment.get(x.id) ?? null })));
  return { estimate, schedule, experiments, refresh };
}
