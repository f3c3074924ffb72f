import { onMounted, onUnmounted, reactive, ref, shallowRef, triggerRef, watch } from 'vue';
import type { RunPageQuery, RunPageRow } from '../../src-shared/runs';
import { coalesce } from './coalesce';
import { useApi } from './useApi';

export const PAGE_SIZE = 200;
/** How long after a run changes state the loaded rows are asked again (a burst of changes is one ask). */
const LIVE_DELAY_MS = 500;

export type RunFilters = Omit<RunPageQuery, 'limit' | 'offset'>;

/**
 * The runs table's data: only the pages the user scrolls to are fetched (200 rows each) and kept;
 * any change of filters or sort starts again from an empty cache. `query()` is what is asked for
 * now (the filters cleaned of empty values), for actions on every run that matches. When a run
 * changes state (it starts, ends, is cancelled elsewhere) the loaded pages are fetched again in
 * place, so statuses and results stay live without emptying the table; `onLive` runs then too.
 */
export function useRunPages(onLive?: () => void) {
  const api = useApi();
  const filters = reactive<RunFilters>({ sort: 'id', direction: 'desc' });
  const total = ref<number | null>(null);
  const pages = shallowRef(new Map<number, RunPageRow[]>());
  const error = ref<string | null>(null);
  const loading = new Set<number>();
  let generation = 0;

  function clean(): RunFilters {
    const f: RunFilters = { sort: filters.sort, direction: filters.direction };
    if (filters.status) f.status = filters.status;
    if (filters.tag?.trim()) f.tag = filters.tag.trim();
    if (filters.search?.trim()) f.search = filters.search.trim();
    if (filters.experimentId) f.experimentId = filters.experimentId;
    if (filters.archived) f.archived = true;
    if (filters.configField && filters.configValue?.trim()) {
      f.configField = filters.configField;
      f.configValue = filters.configValue.trim();
    }
    return f;
  }

  async function fetchPage(index: number): Promise<void> {
    if (pages.value.has(index) || loading.has(index)) return;
    loading.add(index);
    const mine = generation;
    try {
      const page = await api.call('runs/page', { ...clean(), limit: PAGE_SIZE, offset: index * PAGE_SIZE });
      if (mine !== generation) return;
      total.value = page.total;
      pages.value.set(index, page.rows);
      triggerRef(pages);
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loading.delete(index);
    }
  }

  /** Makes sure the rows first..last are loaded (or loading). */
  function ensure(first: number, last: number): void {
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(Math.max(first, last) / PAGE_SIZE); p++) void fetchPage(p);
  }

  function rowAt(i: number): RunPageRow | undefined {
    return pages.value.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];
  }

  function reset(): void {
    generation += 1;
    pages.value = new Map();
    loading.clear();
    void fetchPage(0);
  }

  /** The loaded pages fetched again in place (a run changed state): rows update, the table is not emptied. */
  const refresh = coalesce(async (): Promise<void> => {
    const mine = generation;
    const indexes = [...pages.value.keys()];
    try {
      const fresh = await Promise.all(indexes.map((i) => api.call('runs/page', { ...clean(), limit: PAGE_SIZE, offset: i * PAGE_SIZE })));
      if (mine !== generation) return;
      fresh.forEach((page, k) => pages.value.set(indexes[k], page.rows));
      if (fresh.length) total.value = fresh[0].total;
      triggerRef(pages);
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  });
  let live: ReturnType<typeof setTimeout> | null = null;
  let off: (() => void) | null = null;
  onMounted(() => {
    off = api.on('run/state', () => {
      live ??= setTimeout(() => {
        live = null;
        void refresh();
        onLive?.();
      }, LIVE_DELAY_MS);
    });
  });
  onUnmounted(() => {
    off?.();
    if (live) clearTimeout(live);
  });

  let timer: ReturnType<typeof setTimeout> | null = null;
  watch(
    () => JSON.stringify(clean()),
    () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(reset, 200);
    },
  );
  reset();

  return { filters, total, rowAt, ensure, reset, error, query: clean };
}
