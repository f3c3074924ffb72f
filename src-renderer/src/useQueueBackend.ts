import { computed, onMounted, ref, watch } from 'vue';
import { ValidationError } from '../../src-shared/errors';
import type { QueueBackend, SettingsState } from '../../src-shared/settings';
import { storedDraft } from './storedDraft';
import { useApi } from './useApi';

/** The queue settings as the form holds them. */
export interface QueueForm {
  queueBackend: QueueBackend;
  redisUrl: string;
  redisTls: boolean;
}

const isQueueForm = (v: unknown): v is QueueForm => {
  const f = v as QueueForm | null;
  return !!f && (f.queueBackend === 'local' || f.queueBackend === 'redis') && typeof f.redisUrl === 'string' && typeof f.redisTls === 'boolean';
};
const DRAFT = storedDraft('workbench.queueBackend.draft', isQueueForm);

/** A Redis URL as the Queue status shows it (no password, normalised), to compare saved and in use. */
function shown(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * The queue backend setting (local or Redis, its URL and TLS): what is saved, what this process uses
 * now (a change takes effect at the next start), and the form, whose unsaved text is kept in
 * localStorage so a reload or an error loses nothing; a refused URL gets its message at the field.
 */
export function useQueueBackend() {
  const api = useApi();
  const state = ref<SettingsState | null>(null);
  const form = ref<QueueForm>({ queueBackend: 'local', redisUrl: '', redisTls: false });
  const fieldError = ref<string | null>(null);
  const error = ref<string | null>(null);
  const saved = ref(false);
  const saving = ref(false);

  const savedForm = computed<QueueForm | null>(() => state.value && { queueBackend: state.value.queueBackend, redisUrl: state.value.redisUrl, redisTls: state.value.redisTls });
  const dirty = computed(() => !!savedForm.value && JSON.stringify(form.value) !== JSON.stringify(savedForm.value));
  /** The saved choice differs from what runs on now: it applies once the app is restarted. */
  const restartNeeded = computed(() => {
    const s = state.value;
    if (!s || s.queueInUse.named) return false;
    if (s.queueBackend !== s.queueInUse.backend) return !s.queueInUse.problem;
    return s.queueBackend === 'redis' && shown(s.redisUrl) !== shown(s.queueInUse.url);
  });

  watch(form, (f) => (dirty.value ? DRAFT.write(f) : DRAFT.clear()), { deep: true });

  async function load(): Promise<void> {
    try {
      state.value = await api.call('settings/get', {});
      form.value = DRAFT.read() ?? { ...savedForm.value! };
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function save(): Promise<void> {
    saving.value = true;
    saved.value = false;
    try {
      state.value = await api.call('settings/set', { ...form.value, redisUrl: form.value.redisUrl.trim() });
      form.value = { ...savedForm.value! };
      DRAFT.clear();
      fieldError.value = null;
      error.value = null;
      saved.value = true;
    } catch (e) {
      const field = e instanceof ValidationError ? e.issues.find((i) => i.path === 'redisUrl') : undefined;
      if (field) fieldError.value = field.message;
      else error.value = (e as Error).message;
    } finally {
      saving.value = false;
    }
  }

  watch(() => form.value.redisUrl, () => (fieldError.value = null));
  onMounted(() => void load());
  return { state, form, fieldError, error, saved, saving, dirty, restartNeeded, save };
}
