import { ref } from 'vue';
import type { RunSummary } from '../../src-shared/runs';
import { useApi } from './useApi';

/**
 * "Run again": a new attempt of the run inside its own experiment (runs/requeue: same config and
 * seed, requeued_from set), which stands for it in Compare. "Clone" is the way to branch off into a
 * new experiment. Says where the attempt went, or why it was refused.
 */
export function useRunAgain(onQueued: (id: number) => void = () => undefined) {
  const api = useApi();
  const message = ref<string | null>(null);
  const error = ref<string | null>(null);
  const queuedId = ref<number | null>(null);

  async function again(run: Pick<RunSummary, 'id' | 'experimentId'>): Promise<void> {
    try {
      const { id } = await api.call('runs/requeue', { id: run.id });
      queuedId.value = id;
      message.value = `Queued as run ${id} in experiment ${run.experimentId}: a new attempt of run ${run.id}, which it stands for in Compare.`;
      error.value = null;
      onQueued(id);
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  return { again, message, error, queuedId };
}
