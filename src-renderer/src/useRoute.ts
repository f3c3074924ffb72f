import { readonly, ref } from 'vue';

/** The app's views, addressed by the URL hash (#/dataset), so reload and back keep the place. */
export const ROUTES = [
  { id: 'overview', label: 'Overview' },
  { id: 'dataset', label: 'Dataset' },
  { id: 'new', label: 'New experiment' },
] as const;
export type RouteId = (typeof ROUTES)[number]['id'];

function parse(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '');
  return (ROUTES.find((r) => r.id === id)?.id ?? 'overview') as RouteId;
}

const current = ref<RouteId>(parse(location.hash));
window.addEventListener('hashchange', () => (current.value = parse(location.hash)));

export function useRoute() {
  return {
    route: readonly(current),
    go(id: RouteId): void {
      location.hash = `#/${id}`;
    },
  };
}
