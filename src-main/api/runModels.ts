import { copyFile, rename, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { AppError } from '../../src-shared/errors';
import { fsReason } from '../../src-shared/fsReasons';
import type { ModelWhich } from '../../src-shared/insights';
import type { RunDetail } from '../../src-shared/runs';
import { RunFiles } from '../store/files/runFiles';

/** A run's saved model file as it is on disk now. */
export interface ModelFileInfo {
  path: string;
  bytes: number;
  /** Changes whenever the file is rewritten (a resumed run saves a new model). */
  stamp: string;
  /** The name offered when it is exported: run-12.safetensors, run-12-best.safetensors. */
  filename: string;
}

/** Why a run has no model of the kind asked for, and what to do about it. */
export function noModelReason(run: Pick<RunDetail, 'id' | 'status' | 'epochsDone' | 'divergedEpoch'>, which: ModelWhich, finalExists: boolean): string {
  const name = `Run ${run.id}`;
  const resume = `resume it (Resume on its page, or workbench runs resume ${run.id})`;
  if (which === 'best' && finalExists) return `${name} kept no best-epoch model: keeping the best epoch's model was off when it ran. Its final model can be exported.`;
  switch (run.status) {
    case 'queued':
      return `${name} has no model yet: it is queued. Its model is saved when it finishes.`;
    case 'running':
      return `${name} has no model yet: it is still training. Its model is saved when it finishes.`;
    case 'interrupted':
      return `${name} has no model: it was interrupted after ${run.epochsDone} of its epochs. To finish training, ${resume}; its model is saved when it finishes.`;
    case 'cancelled':
      return `${name} has no model: it was cancelled after ${run.epochsDone} epochs. To finish training, ${resume}; its model is saved when it finishes.`;
    case 'diverged':
      return `${name} has no model: its loss diverged at epoch ${run.divergedEpoch ?? '?'}, so its weights are not usable. Try a smaller learning rate.`;
    case 'waiting':
      return `${name} has no model yet: it waits after epoch ${run.epochsDone} for ASHA to decide on its configuration. Its model is saved if it goes on and finishes.`;
    case 'pruned':
      return `${name} has no model: ASHA pruned its configuration after ${run.epochsDone} epochs (its seeds were not among the best there), and only runs that train all their epochs keep one.`;
    case 'failed':
      return `${name} has no model: it failed. Once its error is dealt with, ${resume}; its model is saved when it finishes.`;
    default:
      return `${name} has no saved model: it finished before this version of the workbench kept models (or its model file was removed). Run it again to get one.`;
  }
}

/**
 * Finds the model file of a run (by id, never by a path from a client), or throws NOT_FOUND with
 * the reason in the user's words.
 */
export function runModelFile(files: RunFiles, run: RunDetail, which: ModelWhich): ModelFileInfo {
  const path = files.modelPath(run.id, which);
  const stat = statOrNull(path);
  if (!stat) throw new AppError('NOT_FOUND', noModelReason(run, which, which === 'best' && statOrNull(files.modelPath(run.id, 'final')) !== null));
  return { path, bytes: stat.size, stamp: `${stat.mtimeMs}:${stat.size}:${stat.ino}`, filename: `run-${run.id}${which === 'best' ? '-best' : ''}.safetensors` };
}

function statOrNull(path: string): { size: number; mtimeMs: number; ino: number } | null {
  try {
    const s = statSync(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * Copies a model file to where the user chose (a path from a save dialog in main): through a
 * temporary file beside it, so a failed copy never leaves half a model under the chosen name.
 */
export async function copyModelTo(source: string, dest: string): Promise<void> {
  const tmp = `${dest}.tmp-${process.pid}`;
  try {
    await copyFile(source, tmp);
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const reason = fsReason(e) ?? (e as Error).message;
    throw new AppError('IO', `The model could not be saved to ${dest}: ${reason}. Choose another folder.`);
  }
}
