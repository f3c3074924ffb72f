import { computed, shallowRef, triggerRef } from 'vue';
import type { RunPageRow } from '../../src-shared/runs';
import { useApi } from './useApi';
import type { RunFilters } from './useRunPages';

/**
 * The runs ticked in the History table: a set of ids that survives scrolling, sorting and another
 * search (a bulk action acts on what is ticked, nothing else). Shift-click ticks the range from the
 * last row clicked, also over rows not loaded yet (their ids are asked for); "select all matching"
 * ticks every run the current search matches.
 */
export function useRunSelection(filters: () => RunFilters, rowAt: (index: number) => RunPageRow | undefined) {
  const api = useApi();
  const ids = shallowRef(new Set<number>());
  const error = shallowRef<string | null>(null);
  let anchor: number | null = null;

  function set(next: Set<number>): void {
    ids.value = next;
    triggerRef(ids);
  }

  /** The ids of rows first..last (inclusive) in the table's order: from the loaded pages, else from the API. */
  async function idsBetween(first: number, last: number): Promise<number[]> {
    const loaded = Array.from({ length: last - first + 1 }, (_, k) => rowAt(first + k)?.id);
    if (loaded.every((id) => id !== undefined)) return loaded as number[];
    return (await api.call('runs/ids', { ...filters(), offset: first, limit: last - first + 1 })).ids;
  }

  /** A click on a row's checkbox: toggles it, or with shift ticks every row from the last one clicked. */
  async function toggle(index: number, id: number, shift: boolean): Promise<void> {
    if (shift && anchor !== null && anchor !== index) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      anchor = index;
      try {
        const range = await idsBetween(a, b);
        set(new Set([...ids.value, ...range]));
      } catch (e) {
        error.value = (e as Error).message;
      }
      return;
    }
    anchor = index;
    const next = new Set(ids.value);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set(next);
  }

  async function selectAllMatching(): Promise<void> {
    try {
      const all = await api.call('runs/ids', { ...filters() });
      set(new Set([...ids.value, ...all.ids]));
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  function clear(): void {
    anchor = null;
    set(new Set());
  }

  /** Forgets runs that no longer exist (after a delete). */
  function drop(gone: readonly number[]): void {
    const next = new Set(ids.value);
    for (const id of gone) next.delete(id);
    set(next);
  }

  return { ids, count: computed(() => ids.value.size), has: (id: number) => ids.value.has(id), toggle, selectAllMatching, clear, drop, error };
}
