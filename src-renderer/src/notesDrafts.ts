import { ref } from 'vue';
import { storedDraft } from './storedDraft';

/** Unsaved notes: what was typed, and the saved notes it was typed over. */
export interface NotesDraft {
  text: string;
  base: string;
}

const isNotesDraft = (v: unknown): v is NotesDraft =>
  typeof v === 'object' && v !== null && typeof (v as NotesDraft).text === 'string' && typeof (v as NotesDraft).base === 'string';

/** Bumped on every change, so a view showing "unsaved notes" reads localStorage again. */
const changes = ref(0);
const storeOf = (key: string) => storedDraft(`workbench.notesDraft.${key}`, isNotesDraft);

/**
 * Notes typed on a run or an experiment and not saved yet, by a key naming what they belong to
 * (`run-42`, `experiment-5`), kept in localStorage so leaving the view or reloading loses nothing.
 */
export function notesDraft(key: string) {
  const store = storeOf(key);
  return {
    read: store.read,
    write(draft: NotesDraft): boolean {
      changes.value++;
      return store.write(draft);
    },
    clear(): void {
      changes.value++;
      store.clear();
    },
  };
}

/** Whether `key` has unsaved notes (reactive). */
export function hasNotesDraft(key: string): boolean {
  void changes.value;
  return storeOf(key).read() !== null;
}
