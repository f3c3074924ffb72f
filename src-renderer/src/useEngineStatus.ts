import { shallowRef, type ShallowRef } from 'vue';
import type { EngineStatus } from '../../src-shared/engine';
import { useApi } from './useApi';

const status = shallowRef<EngineStatus | null>(null);
const error = shallowRef<string | null>(null);
let asked = false;

/**
 * Which kernels training uses on this machine, asked once per window: the answer cannot change
 * while the app runs, so every view that mentions it shares one request.
 */
export function useEngineStatus(): { status: ShallowRef<EngineStatus | null>; error: ShallowRef<string | null> } {
  if (!asked) {
    asked = true;
    useApi()
      .call('engine/status', {})
      .then((s) => (status.value = s))
      .catch((e: Error) => {
        asked = false;
        error.value = e.message;
      });
  }
  return { status, error };
}
