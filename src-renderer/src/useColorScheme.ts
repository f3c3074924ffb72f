import { readonly, ref } from 'vue';

const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
const scheme = ref<'light' | 'dark'>(query?.matches ? 'dark' : 'light');
query?.addEventListener('change', (e) => (scheme.value = e.matches ? 'dark' : 'light'));

/**
 * The theme the app is drawn in (style.css follows prefers-color-scheme), for what CSS cannot
 * reach: the SVG charts drawn as strings. Changes with the system setting while the app is open.
 */
export function useColorScheme() {
  return readonly(scheme);
}
