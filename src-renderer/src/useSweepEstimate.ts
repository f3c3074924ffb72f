import { computed, onUnmounted, ref, shallowRef, watch } from 'vue';
import type { SweepEstimate } from '../../src-shared/estimate/sweepEstimate';
import { hoursText } from '../../src-shared/estimate/words';
import { useApi } from './useApi';

/** Milliseconds the form waits after the last keystroke before asking for an estimate. */
const DEBOUNCE_MS = 250;

/**
 * The time estimate of the sweep the form holds (experiments/estimate), asked again as the spec
 * changes; `over` says whether queueing it needs a confirmation (the user's threshold, a setting
 * changed here with setThreshold). `settled` waits for the estimate of the spec as it is now, so a
 * submit right after a keystroke still asks when it should.
 */
export function useSweepEstimate(spec: () => unknown) {
  const api = useApi();
  const estimate = shallowRef<SweepEstimate | null>(null);
  const error = ref<string | null>(null);
  let ticket = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: Promise<void> = Promise.resolve();
  let release: (() => void) | null = null;

  function ask(): void {
    const mine = ++ticket;
    const current = spec();
    if (current === null) {
      estimate.value = null;
      pending = Promise.resolve();
      return;
    }
    // the name does not change the estimate: one not typed yet must not make the request fail (a
    // 400 the browser logs) before the user gets to it
    const named = typeof current === 'object' && !Array.isArray(current) && !String((current as { name?: unknown }).name ?? '').trim() ? { ...(current as object), name: 'estimate' } : current;
    pending = api.call('experiments/estimate', { spec: named }).then(
      (e) => {
        if (mine !== ticket) return;
        estimate.value = e;
        error.value = null;
      },
      (e: Error) => {
        if (mine !== ticket) return;
        estimate.value = null;
        error.value = e.message;
      },
    );
  }

  const key = computed(() => JSON.stringify(spec()));
  watch(
    key,
    () => {
      if (timer) clearTimeout(timer);
      const waiting = release; // whoever waited on the replaced spec waits for this one
      let done!: () => void;
      pending = new Promise((resolve) => (done = resolve));
      release = done;
      void pending.then(() => waiting?.());
      timer = setTimeout(() => {
        timer = null;
        release = null;
        ask();
        void pending.then(done);
      }, DEBOUNCE_MS);
    },
    { immediate: true },
  );
  onUnmounted(() => {
    if (timer) clearTimeout(timer);
  });

  /** Changes the threshold (hours) for every later sweep, then estimates again. */
  async function setThreshold(hours: number): Promise<void> {
    await api.call('settings/set', { confirmAboveHours: hours });
    ask();
    await pending;
  }

  return {
    estimate,
    error,
    over: computed(() => estimate.value?.overThreshold ?? false),
    settled: (): Promise<void> => pending,
    setThreshold,
    /** What the confirmation says about time: "about 3 h on 2 workers (from …), more than the 2 h you set". */
    confirmText: (runs: string): string => {
      const e = estimate.value;
      if (!e) return `This experiment queues ${runs}.`;
      const over = e.overThreshold ? `, more than the ${hoursText(e.confirmAboveSeconds / 3600)} above which you asked to confirm` : '';
      return `This experiment queues ${runs}: ${e.text} (${e.basis})${over}.`;
    },
  };
}

export type SweepEstimateState = ReturnType<typeof useSweepEstimate>;
