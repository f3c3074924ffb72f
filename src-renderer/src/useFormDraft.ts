import { ref, watch } from 'vue';
import type { SweepSpecInput } from '../../src-shared/sweep';
import { storedDraft } from './storedDraft';
import { isFormText, type FormText, type useSweepForm } from './useSweepForm';

const DRAFT = storedDraft('workbench.newExperiment.draft', isFormText);
const REPLACED = storedDraft('workbench.newExperiment.replacedDraft', isFormText);

/** A spec that fills the form with its defaults and nothing typed ("Start over"). */
const BLANK: SweepSpecInput = { name: '', axes: [], repeats: 10 };

/**
 * The New experiment form's draft: everything typed is kept in localStorage as it is typed, so a
 * reload or a visit to another view loses nothing; it is put back when the form opens and forgotten
 * once the experiment is queued. A preset, a cloned config or "Start over" replaces the form, and the
 * draft it replaced is kept too, to be brought back with one click.
 */
export function useFormDraft(form: ReturnType<typeof useSweepForm>) {
  const pristine = JSON.stringify(form.snapshot());
  /** The draft put back when the form opened (the form shows that it was). */
  const restored = ref(false);
  const replaced = ref<FormText | null>(REPLACED.read());
  /** The browser refused to keep the draft (storage full or disabled). */
  const notKept = ref(false);

  function keep(text: string): void {
    if (text === pristine) DRAFT.clear();
    else notKept.value = !DRAFT.write(JSON.parse(text) as FormText);
  }

  /**
   * Stashes what the form holds, then lets `change` replace it. An untouched form has nothing to
   * stash: an older replaced draft stays on offer, unless it is the one coming back (`swap`).
   */
  function replace(change: () => void, swap = false): void {
    const now = form.snapshot();
    if (JSON.stringify(now) !== pristine) {
      REPLACED.write(now);
      replaced.value = now;
    } else if (swap) {
      REPLACED.clear();
      replaced.value = null;
    }
    restored.value = false;
    change();
  }

  /** Fills the form when it opens: a spec handed over by another view, else the kept draft; then keeps every change. */
  function start(pending: SweepSpecInput | null): void {
    const kept = DRAFT.read();
    if (pending) replace(() => form.load(pending));
    else if (kept) {
      form.restore(kept);
      restored.value = JSON.stringify(kept) !== pristine;
    }
    watch(() => JSON.stringify(form.snapshot()), keep, { immediate: true });
  }

  /** Brings back the replaced draft; what the form held instead becomes the replaced one. */
  function restoreReplaced(): void {
    const back = replaced.value;
    if (back) replace(() => form.restore(back), true);
  }

  function startOver(): void {
    replace(() => form.load(BLANK));
  }

  /** The experiment was queued: nothing is left to keep. */
  function queued(): void {
    DRAFT.clear();
    REPLACED.clear();
    replaced.value = null;
    restored.value = false;
  }

  return { restored, replaced, notKept, start, replace, restoreReplaced, startOver, queued };
}
