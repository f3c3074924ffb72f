import { statSync } from 'node:fs';
import type { ParsedRequest, Response } from '../../src-shared/api';
import { AppError } from '../../src-shared/errors';
import type { FileUse, QueueInUse, SettingsState } from '../../src-shared/settings';
import { AUTO_RESUME, KEEP_BEST_MODEL, type Runner } from '../runner/runner';
import type { RunFiles } from '../store/files/runFiles';
import type { Store } from '../store/store';
import { checkQueueSettings, saveQueueSettings, storedQueueSettings } from './queueBackendSetting';
import { CONFIRM_ABOVE_HOURS, confirmAboveHours } from './estimateHandlers';

export interface RunFilesDeps {
  store: () => Store;
  runner: () => Runner;
  files: RunFiles | undefined;
  /** Starts the workers when runs are queued. */
  kick: () => Promise<void>;
  /** The queue this process uses (the saved backend takes effect at the next start). */
  queueInUse: QueueInUse;
}

function settings(store: Store, queueInUse: QueueInUse): SettingsState {
  return { autoResume: store.settings.get(AUTO_RESUME) === 'true', keepBestModel: store.settings.get(KEEP_BEST_MODEL) === 'true', ...storedQueueSettings(store), confirmAboveHours: confirmAboveHours(store), queueInUse };
}

function fileUse(paths: string[]): FileUse {
  const out = { files: 0, bytes: 0 };
  for (const p of paths) {
    try {
      out.bytes += statSync(p).size;
      out.files += 1;
    } catch {
      // absent (no WAL right now)
    }
  }
  return out;
}

/**
 * The API channels about what runs keep on disk: resuming from checkpoints, the settings that
 * decide what is kept, and the disk it takes.
 */
export function runFilesHandlers(deps: RunFilesDeps) {
  const resumed = async (ids: number[]): Promise<{ resumed: number[] }> => {
    const out = deps.runner().continueRuns(ids);
    await deps.kick();
    return { resumed: out };
  };
  return {
    'runs/resume': (req: ParsedRequest<'runs/resume'>) => resumed([deps.store().getRun(req.id).id]),
    'experiments/resume': async (req: ParsedRequest<'experiments/resume'>) => {
      const store = deps.store();
      const ids = store.runIds(store.getExperiment(req.id).id, 'interrupted');
      if (ids.length === 0) throw new AppError('VALIDATION', `Experiment ${req.id} has no interrupted runs to resume`);
      return resumed(ids);
    },
    'settings/get': async (): Promise<Response<'settings/get'>> => settings(deps.store(), deps.queueInUse),
    'settings/set': async (req: ParsedRequest<'settings/set'>): Promise<Response<'settings/set'>> => {
      const store = deps.store();
      const { queueBackend, redisUrl, redisTls } = req;
      const queueChange = queueBackend !== undefined || redisUrl !== undefined || redisTls !== undefined;
      const saved = storedQueueSettings(store);
      const queue = { queueBackend: queueBackend ?? saved.queueBackend, redisUrl: redisUrl ?? saved.redisUrl, redisTls: redisTls ?? saved.redisTls };
      if (queueChange) checkQueueSettings(queue); // refused whole: nothing of this change is saved
      store.db.transaction(() => {
        if (req.autoResume !== undefined) store.settings.set(AUTO_RESUME, String(req.autoResume));
        if (req.keepBestModel !== undefined) store.settings.set(KEEP_BEST_MODEL, String(req.keepBestModel));
        if (req.confirmAboveHours !== undefined) store.settings.set(CONFIRM_ABOVE_HOURS, String(req.confirmAboveHours));
        if (queueChange) saveQueueSettings(store, queue);
      })();
      return settings(store, deps.queueInUse);
    },
    'files/usage': async (): Promise<Response<'files/usage'>> => {
      const path = deps.store().path;
      const disk = deps.files?.diskUse() ?? { checkpoints: { files: 0, bytes: 0 }, models: { files: 0, bytes: 0 } };
      return { ...disk, database: fileUse([path, `${path}-wal`, `${path}-shm`]) };
    },
  };
}
