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
  /** What follows '?' in the hash (#/compare/7?metric=testLoss): a view's state, so a bookmark or reload reopens it. */
  query: Readonly<Record<string, string>>;
}

function parse(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const [id, param] = (q < 0 ? body : body.slice(0, q)).split('/');
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : body.slice(q + 1)));
  const numeric = /^\d+$/.test(param ?? '') ? Number(param) : null;
  if (id === 'run' && numeric !== null) return { id: 'run', param: numeric, query };
  const known = ROUTES.find((r) => r.id === id);
  return { id: known?.id ?? 'overview', param: known && 'takesExperiment' in known ? numeric : null, query };
}

/** The hash of a route: #/id, #/id/param, with ?query when it has any. */
export function routeHash(id: RouteId, param: number | null = null, query: Record<string, string> = {}): string {
  // commas and colons stay readable (#/compare?exp=7,8); URLSearchParams reads them back either way
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%3A/g, ':')}`)
    .join('&');
  return `#/${id}${param === null ? '' : `/${param}`}${search ? `?${search}` : ''}`;
}

const current = ref<Route>(parse(location.hash));
window.addEventListener('hashchange', () => (current.value = parse(location.hash)));

export function useRoute() {
  return {
    route: readonly(current),
    go(id: RouteId, param?: number, query?: Record<string, string>): void {
      location.hash = routeHash(id, param ?? null, query);
    },
    /**
     * The current view's state into the URL in place (no history entry, and the view stays mounted:
     * `route.id` and `route.param` keep what it was opened with, only `route.query` follows), so a
     * reload or a bookmark of the address reopens the view as it is now. `param` null drops #/x/7's 7.
     */
    replaceQuery(query: Record<string, string>, param: number | null = current.value.param): void {
      const hash = routeHash(current.value.id, param, query);
      if (hash !== location.hash) history.replaceState(history.state, '', hash);
      current.value = { ...current.value, query: parse(hash).query };
    },
  };
}
