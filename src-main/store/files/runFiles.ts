import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../../src-shared/config';
import { AppError } from '../../../src-shared/errors';
import type { DiskUsage, FileUse } from '../../../src-shared/settings';
import { writeFileAtomic, writeFileAtomicAsync } from './atomicFile';
import type { EncodeScratch } from './safetensors';
import { encodeCheckpoint, readCheckpointFile, type Checkpoint } from './checkpointFile';
import { encodeModel, type Model } from './modelFile';

/** What runs leave on disk, for the Overview. */
export type DiskUse = Pick<DiskUsage, 'checkpoints' | 'models'>;

/** The result of looking for a run's checkpoint: the newest valid one, and why any newer one was refused. */
export interface CheckpointLookup {
  checkpoint: Checkpoint | null;
  refused: string[];
}

/** Removes a file; one that is not there (or whose folder is not a folder) is already gone. */
function remove(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
  }
}

const RUN_FILE = /^(\d+)\.(ckpt|prev\.ckpt|safetensors|best\.safetensors)(\.tmp-\d+)?$/;

/** Which of a run's files may stay (see RunFiles.sweep). */
export interface FileKeep {
  checkpoint: boolean;
  model: boolean;
  /** Touch nothing of it, temporary files included: it trains or is about to, maybe in another process. */
  busy?: boolean;
}

/**
 * What the start-up sweep keeps of a run with this status (undefined: the run no longer exists).
 * A queued or running run is left alone whatever its lease says: another process sharing the home
 * may be training it (its final model is written just before it is marked finished). Models stay
 * as long as their run exists; checkpoints go once it can no longer continue (finished, diverged,
 * pruned); a run waiting at an ASHA rung keeps its checkpoint to continue from.
 */
export function keepFilesOf(status: string | undefined): FileKeep {
  if (status === undefined) return { checkpoint: false, model: false };
  if (status === 'queued' || status === 'running') return { checkpoint: true, model: true, busy: true };
  return { checkpoint: status !== 'finished' && status !== 'diverged' && status !== 'pruned', model: true };
}

/**
 * The files of runs in the home folder: `checkpoints/<run>.ckpt` (with the previous generation as
 * `<run>.prev.ckpt`) while a run can still continue, and `models/<run>.safetensors` (and
 * `<run>.best.safetensors` when kept) once it finished. Every write is atomic (see writeFileAtomic).
 */
export class RunFiles {
  readonly checkpoints: string;
  readonly models: string;

  constructor(readonly home: string) {
    this.checkpoints = join(home, 'checkpoints');
    this.models = join(home, 'models');
  }

  checkpointPath(runId: number): string {
    return join(this.checkpoints, `${runId}.ckpt`);
  }

  previousCheckpointPath(runId: number): string {
    return join(this.checkpoints, `${runId}.prev.ckpt`);
  }

  modelPath(runId: number, which: 'final' | 'best' = 'final'): string {
    return join(this.models, which === 'best' ? `${runId}.best.safetensors` : `${runId}.safetensors`);
  }

  /** Writes a checkpoint, keeping the one before it; returns its size in bytes. */
  writeCheckpoint(c: Checkpoint, config: TrainConfig): number {
    const bytes = encodeCheckpoint(c, config);
    mkdirSync(this.checkpoints, { recursive: true });
    writeFileAtomic(this.checkpointPath(c.runId), bytes, this.previousCheckpointPath(c.runId));
    return bytes.length;
  }

  /**
   * Encodes a checkpoint now (so the state's arrays may change as soon as this returns) into
   * `scratch`, and writes it on the thread pool; the promise settles when it is durable (with
   * `sync: false`, once it is in place but not fsynced). The next call with the same scratch must
   * wait for it.
   */
  saveCheckpoint(c: Checkpoint, config: TrainConfig, scratch: EncodeScratch, sync = true): { bytes: number; durable: Promise<void> } {
    const bytes = encodeCheckpoint(c, config, scratch);
    mkdirSync(this.checkpoints, { recursive: true });
    return { bytes: bytes.length, durable: writeFileAtomicAsync(this.checkpointPath(c.runId), bytes, this.previousCheckpointPath(c.runId), { sync }) };
  }

  /**
   * The newest valid checkpoint of a run whose history holds `committedEpochs` epochs. A damaged
   * file, one of another config, one more than one epoch ahead of the history, or one that `fits`
   * says does not fit the network (its reason) is refused (with the reason) and the previous
   * generation tried; null means start from epoch 1.
   */
  loadCheckpoint(runId: number, config: TrainConfig, committedEpochs: number, fits: (c: Checkpoint) => string | null = () => null): CheckpointLookup {
    const refused: string[] = [];
    for (const path of [this.checkpointPath(runId), this.previousCheckpointPath(runId)]) {
      try {
        statSync(path);
      } catch {
        continue;
      }
      try {
        const c = readCheckpointFile(path, runId, config);
        if (c.state.epoch > committedEpochs + 1) throw new AppError('MODEL_INVALID', `The checkpoint ${path} is at epoch ${c.state.epoch}, more than one epoch past the ${committedEpochs} saved in the history`);
        const misfit = fits(c);
        if (misfit !== null) throw new AppError('MODEL_INVALID', `The checkpoint ${path} does not fit run ${runId}'s network: ${misfit}`);
        return { checkpoint: c, refused };
      } catch (e) {
        refused.push((e as Error).message);
      }
    }
    return { checkpoint: null, refused };
  }

  /** Writes a model file whole; `sync: false` skips the fsync (a copy whose durable one lives elsewhere). */
  writeModel(runId: number, model: Model, which: 'final' | 'best' = 'final', sync = true): number {
    const bytes = encodeModel(model);
    mkdirSync(this.models, { recursive: true });
    writeFileAtomic(this.modelPath(runId, which), bytes, undefined, { sync });
    return bytes.length;
  }

  /**
   * Encodes a model now (a copy: the state's arrays may change as soon as this returns) and writes
   * it on the thread pool; the promise settles when it is durable.
   */
  saveModel(runId: number, model: Model, which: 'final' | 'best'): { bytes: number; durable: Promise<void> } {
    const bytes = encodeModel(model);
    mkdirSync(this.models, { recursive: true });
    return { bytes: bytes.length, durable: writeFileAtomicAsync(this.modelPath(runId, which), bytes) };
  }

  /** Stores a checkpoint made elsewhere (by a remote worker), atomically, keeping the one before. */
  writeCheckpointBytes(runId: number, bytes: Uint8Array): void {
    mkdirSync(this.checkpoints, { recursive: true });
    writeFileAtomic(this.checkpointPath(runId), bytes, this.previousCheckpointPath(runId));
  }

  /** Stores model bytes made elsewhere (by a remote worker), atomically. */
  writeModelBytes(runId: number, bytes: Uint8Array, which: 'final' | 'best' = 'final'): void {
    mkdirSync(this.models, { recursive: true });
    writeFileAtomic(this.modelPath(runId, which), bytes);
  }

  removeCheckpoints(runId: number): void {
    for (const p of [this.checkpointPath(runId), this.previousCheckpointPath(runId)]) remove(p);
  }

  /** Deletes every file of a run (checkpoints and models). */
  removeRun(runId: number): void {
    this.removeCheckpoints(runId);
    for (const which of ['final', 'best'] as const) remove(this.modelPath(runId, which));
  }

  private *entries(folder: string): Generator<{ name: string; runId: number; kind: string; temp: boolean; bytes: number }> {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const m = RUN_FILE.exec(name);
      if (!m) continue;
      let bytes = 0;
      try {
        bytes = statSync(join(folder, name)).size;
      } catch {
        continue;
      }
      yield { name, runId: Number(m[1]), kind: m[2], temp: m[3] !== undefined, bytes };
    }
  }

  diskUse(): DiskUse {
    const use = (folder: string): FileUse => {
      const out = { files: 0, bytes: 0 };
      for (const e of this.entries(folder)) {
        out.files += 1;
        out.bytes += e.bytes;
      }
      return out;
    };
    return { checkpoints: use(this.checkpoints), models: use(this.models) };
  }

  /**
   * Removes what no run needs any more (after a crash between a database change and the file
   * change): checkpoints of runs that cannot continue, files of deleted runs, temporary files whose
   * process `tempOf(pid)` says is gone. `keep(runId)` says what a run may have (see keepFilesOf);
   * a busy run's files are not touched. Returns the number of files removed.
   */
  sweep(keep: (runId: number) => FileKeep, tempOf: (pid: number) => boolean = () => false): number {
    let removed = 0;
    for (const folder of [this.checkpoints, this.models]) {
      for (const e of [...this.entries(folder)]) {
        const k = keep(e.runId);
        if (k.busy) continue;
        const pid = e.temp ? Number(/tmp-(\d+)$/.exec(e.name)![1]) : 0;
        const stale = e.temp ? !tempOf(pid) : folder === this.checkpoints ? !k.checkpoint : !k.model;
        if (!stale) continue;
        rmSync(join(folder, e.name), { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
