import { onMounted, onUnmounted, ref, shallowRef } from 'vue';
import type { DatasetProgress, DatasetStatus } from '../../src-shared/dataset';
import { useApi } from './useApi';

/**
 * The dataset cache as the Dataset view sees it: its status, the one long operation that may be
 * running (download, import, verify) with live progress, and the last error or verification result.
 */
export function useDataset() {
  const api = useApi();
  const status = shallowRef<DatasetStatus | null>(null);
  const progress = shallowRef<DatasetProgress | null>(null);
  const busy = ref<'download' | 'import' | 'verify' | null>(null);
  const error = ref<string | null>(null);
  const message = ref<string | null>(null);

  async function refresh(): Promise<void> {
    try {
      status.value = await api.call('data/status', {});
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function run(kind: 'download' | 'import' | 'verify', work: () => Promise<void>): Promise<void> {
    busy.value = kind;
    error.value = null;
    message.value = null;
    progress.value = null;
    try {
      await work();
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      busy.value = null;
      progress.value = null;
      await refresh();
    }
  }

  const importPath = (path: string) => run('import', async () => void (status.value = await api.call('data/import', { path })));
  const download = (url?: string) => run('download', async () => void (status.value = await api.call('data/download', url ? { url } : {})));
  const verify = () =>
    run('verify', async () => {
      const report = await api.call('data/verify', {});
      message.value = report.ok ? 'Every file matches its sha256 in the manifest.' : null;
      if (!report.ok) error.value = report.problems.join('; ');
    });
  const cancel = () => api.call('data/cancel', {});

  let off: (() => void) | null = null;
  onMounted(() => {
    void refresh();
    off = api.on('data/progress', (p) => (progress.value = p));
  });
  onUnmounted(() => off?.());

  return { status, progress, busy, error, message, refresh, importPath, download, verify, cancel };
}
