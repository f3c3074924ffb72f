import { onUnmounted, reactive, ref, watch } from 'vue';
import { compareAddress, parseCompareQuery, type CompareUrlState } from '../../src-shared/compareUrl';
import { useRoute } from './useRoute';

/**
 * The Compare view's choices, kept in the URL (see compareUrl.ts): read from the address when the
 * view opens or the address is edited, written back in place on every change, so a reload, a
 * bookmark or a link (#/compare/7, History's #/compare?runs=3,5,9) shows the same view. `ignored` names what
 * of the address could not be used.
 */
export function useCompareState() {
  const { route, replaceQuery } = useRoute();
  const first = parseCompareQuery(route.value.query, route.value.param);
  const state = reactive<CompareUrlState>(first.state);
  const ignored = ref<string[]>(first.ignored);
  watch(
    () => compareAddress(state),
    ({ param, query }) => replaceQuery(query, param),
    { deep: true, immediate: true },
  );
  // an address typed, pasted or followed while the view is open (#/compare/7 from #/compare/8 keeps it
  // mounted): a real navigation, which replaceQuery never fires
  const follow = (): void => {
    if (route.value.id !== 'compare') return;
    const next = parseCompareQuery(route.value.query, route.value.param);
    if (JSON.stringify(compareAddress(next.state)) === JSON.stringify(compareAddress(state))) return;
    Object.assign(state, next.state);
    ignored.value = next.ignored;
  };
  window.addEventListener('hashchange', follow);
  onUnmounted(() => window.removeEventListener('hashchange', follow));
  return { state, ignored };
}
