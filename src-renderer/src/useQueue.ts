import { onMounted, onUnmounted, ref, shallowRef, triggerRef } from 'vue';
import type { QueueStatus, RunDetail, RunSummary } from '../../src-shared/runs';
import { coalesce } from './coalesce';
import { useApi } from './useApi';

/** Milliseconds between batched appends of arrived epochs to the live curves. */
const EPOCH_FLUSH_MS = 250;
/** Milliseconds between reads of the status while runs train behind Redis (workers report by heartbeat, not by events). */
const REMOTE_POLL_MS = 2000;

/**
 * The live queue: running runs with their epochs so far and progress within the run, the queued
 * runs, and the most recent finished ones. Updated from run events; refetched on state changes.
 */
export function useQueue() {
  const api = useApi();
  const status = shallowRef<QueueStatus | null>(null);
  const running = shallowRef<Map<number, RunDetail>>(new Map());
  const progress = shallowRef<Map<number, number>>(new Map());
  const queued = shallowRef<RunSummary[]>([]);
  const recent = shallowRef<RunSummary[]>([]);
  const error = ref<string | null>(null);

  const refresh = coalesce(async (): Promise<void> => {
    try {
      const s = await api.call('queue/status', {});
      const details = await Promise.all(s.running.map((id) => api.call('runs/get', { id })));
      status.value = s;
      running.value = new Map(details.map((d) => [d.id, d]));
      queued.value = await api.call('runs/list', { status: 'queued', limit: 100 });
      // newest first, one small page: enough to find the last ten that ended
      const latest = await api.call('runs/page', { sort: 'id', direction: 'desc', limit: 50 });
      recent.value = latest.rows.filter((r) => r.status !== 'queued' && r.status !== 'running').slice(0, 10);
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  });

  /**
   * Behind Redis the workers, their heartbeats and the connection change without an event: the
   * status is read again every few seconds, and everything when the runs in flight changed. The
   * local queue is left to its events.
   */
  async function pollRemote(): Promise<void> {
    let s: QueueStatus;
    try {
      s = await api.call('queue/status', {});
    } catch {
      return; // the next poll or event tries again; a lasting failure shows at the next refresh
    }
    if (!s.remote && !status.value?.remote) return;
    const before = status.value;
    if (!before || s.running.join() !== before.running.join() || s.queued !== before.queued) await refresh();
    else status.value = s;
  }

  // Epochs can arrive hundreds a second (small runs on the native kernels): they are appended in
  // batches a few times a second, so the charts redraw at that rate and the page stays responsive.
  const arrived = new Map<number, RunDetail['epochs']>();
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  function flushEpochs(): void {
    flushTimer = null;
    for (const [runId, epochs] of arrived) {
      const run = running.value.get(runId);
      if (run) running.value.set(runId, { ...run, epochs: run.epochs.concat(epochs), epochsDone: epochs[epochs.length - 1].epoch });
    }
    arrived.clear();
    triggerRef(running);
  }

  const offs: (() => void)[] = [];
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  onMounted(() => {
    void refresh();
    pollTimer = setInterval(() => void pollRemote(), REMOTE_POLL_MS);
    offs.push(
      api.on('run/progress', (p) => {
        progress.value.set(p.runId, p.fraction);
        triggerRef(progress);
      }),
      api.on('run/epoch', (e) => {
        const { confusion: _c, ...metrics } = e.metrics;
        const list = arrived.get(e.runId);
        if (list) list.push(metrics);
        else arrived.set(e.runId, [metrics]);
        flushTimer ??= setTimeout(flushEpochs, EPOCH_FLUSH_MS);
      }),
      api.on('run/state', () => void refresh()),
    );
  });
  onUnmounted(() => {
    offs.forEach((off) => off());
    if (flushTimer) clearTimeout(flushTimer);
    if (pollTimer) clearInterval(pollTimer);
  });

  const act = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (e) {
      error.value = (e as Error).message;
    }
    await refresh();
  };

  return {
    status, running, progress, queued, recent, error, refresh,
    pause: () => act(() => api.call('queue/pause', {})),
    resume: () => act(() => api.call('queue/resume', {})),
    cancel: (id: number) => act(() => api.call('runs/cancel', { id })),
  };
}

/** Milliseconds between reads of the counts beside the sidebar's Queue link. */
const COUNTS_POLL_MS = 2000;

/**
 * The queue's counts alone (running, queued, paused), for the sidebar on every view: read at once,
 * on every run state change, and every COUNTS_POLL_MS (a sweep queued while the queue is paused,
 * or from the CLI, sends no event here). One small call each time, never the runs themselves.
 */
export function useQueueCounts() {
  const api = useApi();
  const status = shallowRef<QueueStatus | null>(null);
  let asked = 0;
  const refresh = coalesce(async (): Promise<void> => {
    const ticket = ++asked;
    try {
      const s = await api.call('queue/status', {});
      if (ticket === asked) status.value = s;
    } catch {
      // the next event or poll tries again; the views say what failed
    }
  });
  let off: (() => void) | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  onMounted(() => {
    void refresh();
    off = api.on('run/state', () => void refresh());
    timer = setInterval(() => void refresh(), COUNTS_POLL_MS);
  });
  onUnmounted(() => {
    off?.();
    if (timer) clearInterval(timer);
  });
  return { status };
}

/** "2 running · 40 queued", with "· paused" when it is: the one wording of the queue's counts. */
export function queueCountsText(s: Pick<QueueStatus, 'running' | 'queued' | 'paused'>): string {
  return `${s.running.length} running · ${s.queued.toLocaleString('en-US')} queued${s.paused ? ' · paused' : ''}`;
}

/** Seconds left for a run from its start time and the fraction done. */
export function etaSeconds(startedAt: string | null, fraction: number | undefined): number | null {
  if (!startedAt || !fraction || fraction <= 0) return null;
  const elapsed = (Date.now() - Date.parse(startedAt)) / 1000;
  return (elapsed * (1 - fraction)) / fraction;
}
