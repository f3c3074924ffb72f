import { onMounted, onUnmounted } from 'vue';
import { useRoute, type RouteId } from './useRoute';

/** One keyboard shortcut: the key as KeyboardEvent.key reports it, and what it does in words. */
export interface Shortcut {
  key: string;
  label: string;
}

/** The views reachable by one key (also shown beside the sidebar's links). */
export const VIEW_KEYS: Partial<Record<RouteId, string>> = { overview: 'o', dataset: 'd', new: 'n', queue: 'q', history: 'h', compare: 'c' };

/** What the shortcut sheet lists, in its order. */
export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'n', label: 'New experiment' },
  { key: 'o', label: 'Go to Overview' },
  { key: 'd', label: 'Go to Dataset' },
  { key: 'q', label: 'Go to Queue' },
  { key: 'h', label: 'Go to History' },
  { key: 'c', label: 'Go to Compare' },
  { key: '/', label: 'Search (in views that have a search field, e.g. History)' },
  { key: '?', label: 'Show these shortcuts' },
  { key: 'Esc', label: 'Close this list or a dialog' },
];

/** Inputs whose keys are not text: a shortcut typed while one has focus still works. */
const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether keys typed now go into a field (text inputs, text areas, selects, editable text): shortcuts stay quiet then. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !NOT_TEXT.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * The view's search field: one marked `data-search`, an `<input type="search">`, or the control of
 * a label that starts with "Search" (History's). Null when the view has none.
 */
export function searchField(root: ParentNode = document): HTMLElement | null {
  const marked = root.querySelector<HTMLElement>('main [data-search], main input[type="search"]');
  if (marked) return marked;
  for (const label of root.querySelectorAll<HTMLLabelElement>('main label')) {
    if (label.textContent?.trim().toLowerCase().startsWith('search') && label.control) return label.control;
  }
  return null;
}

/**
 * The app's single-key shortcuts (ui.md: frequent actions by keyboard, a `?` sheet): n, o, d, q, h,
 * c move between views, `/` focuses the view's search field, `?` opens the sheet. Keys typed into
 * a field, with Ctrl, Alt or Meta held, or while a modal dialog is open do nothing here.
 */
export function useShortcuts(options: { openSheet: () => void }) {
  const { go } = useRoute();

  function onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    if (document.querySelector('dialog[open]')) return;
    if (e.key === '?') {
      e.preventDefault();
      options.openSheet();
      return;
    }
    if (e.key === '/') {
      const field = searchField();
      if (!field) return;
      e.preventDefault(); // the '/' is not typed into the field
      field.focus();
      return;
    }
    const view = (Object.keys(VIEW_KEYS) as RouteId[]).find((id) => VIEW_KEYS[id] === e.key);
    if (!view || e.repeat) return;
    e.preventDefault();
    go(view);
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onUnmounted(() => window.removeEventListener('keydown', onKey));
  return { shortcuts: SHORTCUTS };
}
