import { reactive, ref, watch } from 'vue';
import { compareUrlQuery, parseCompareQuery, type CompareUrlState } from '../../src-shared/compareUrl';
import { useRoute } from './useRoute';

/**
 * The Compare view's choices, kept in the URL (see compareUrl.ts): read from the address when the
 * view opens or the address is edited, written back in place on every change, so a reload, a
 * bookmark or a link from History (#/compare?runs=3,5,9) shows the same view. `ignored` names what
 * of the address could not be used.
 */
export function useCompareState() {
  const { route, replaceQuery } = useRoute();
  const first = parseCompareQuery(route.value.query, route.value.param);
  const state = reactive<CompareUrlState>(first.state);
  const ignored = ref<string[]>(first.ignored);
  let written = '';
  watch(
    () => compareUrlQuery(state),
    (q) => {
      written = JSON.stringify(q);
      replaceQuery(q, null);
    },
    { deep: true, immediate: true },
  );
  // an address typed or pasted while the view is open (same view, so it is not mounted again)
  watch(
    () => route.value.query,
    (q) => {
      if (JSON.stringify(q) === written) return;
      const next = parseCompareQuery(q, route.value.param);
      Object.assign(state, next.state);
      ignored.value = next.ignored;
    },
  );
  return { state, ignored };
}
