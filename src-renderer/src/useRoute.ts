import { readonly, ref } from 'vue';

/** The app's views, addressed by the URL hash (#/dataset, #/run/42), so reload and back keep the place. */
export const ROUTES = [
  { id: 'overview', label: 'Overview' },
  { id: 'dataset', label: 'Dataset' },
  { id: 'new', label: 'New experiment' },
  { id: 'queue', label: 'Queue' },
  // #/history/7 and #/compare/7 open on experiment 7
  { id: 'history', label: 'History', takesExperiment: true },
  { id: 'compare', label: 'Compare', takesExperiment: true },
] as const;
export type RouteId = (typeof ROUTES)[number]['id'] | 'run';

interface Route {
  id: RouteId;
  /** The numeric parameter of routes that take one: the run of #/run/42, the experiment of #/compare/7 and #/history/7. */
  param: number | null;
}

function parse(hash: string): Route {
  const [id, param] = hash.replace(/^#\/?/, '').split('/');
  const numeric = /^\d+$/.test(param ?? '') ? Number(param) : null;
  if (id === 'run' && numeric !== null) return { id: 'run', param: numeric };
  const known = ROUTES.find((r) => r.id === id);
  return { id: known?.id ?? 'overview', param: known && 'takesExperiment' in known ? numeric : null };
}

const current = ref<Route>(parse(location.hash));
window.addEventListener('hashchange', () => (current.value = parse(location.hash)));

export function useRoute() {
  return {
    route: readonly(current),
    go(id: RouteId, param?: number): void {
      location.hash = param === undefined ? `#/${id}` : `#/${id}/${param}`;
    },
  };
}
