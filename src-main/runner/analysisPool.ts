import { Worker } from 'node:worker_threads';
import { AppError, fromWireError } from '../../src-shared/errors';
import type { AnalysisResult, AnalysisTask, FromAnalysisWorker } from './analysisMessages';

/** Starts an analysis worker: the bundled JavaScript in the built app, the TypeScript source through tsx otherwise. */
function spawnAnalysisWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './analysisWorkerSource.mjs' : './analysisWorker.js', import.meta.url);
  return new Worker(url, { resourceLimits: { maxOldGenerationSizeMb: 512 } });
}

interface Pending {
  taskId: number;
  task: AnalysisTask;
  resolve(r: AnalysisResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
  idleTimer: NodeJS.Timeout | null;
}

export interface AnalysisPoolOptions {
  /** Workers at most (default 1: training keeps the other cores). */
  size?: number;
  /** An idle worker is stopped after this long (default 60 s); the next task starts a new one. */
  idleMs?: number;
}

/**
 * Worker threads started on demand for looking inside saved models, so that forward passes over the
 * test split and PNG encoding never run on the main thread (which serves the UI). Tasks queue
 * when every worker is busy. A worker that dies fails only its own task, with the reason; idle
 * workers do not keep the process alive and stop after a while.
 */
export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly size: number;
  private readonly idleMs: number;

  constructor(options: AnalysisPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 1);
    this.idleMs = options.idleMs ?? 60_000;
  }

  /** Workers currently started (for tests and diagnostics). */
  get workers(): number {
    return this.slots.length;
  }

  run(task: AnalysisTask): Promise<AnalysisResult> {
    if (this.closed) return Promise.reject(new AppError('CANCELLED', 'The workbench is closing; the analysis was not started'));
    return new Promise((resolve, reject) => {
      this.queue.push({ taskId: this.nextId++, task, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < this.size) slot = this.startSlot();
      if (!slot) return;
      const job = this.queue.shift()!;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.busy = job;
      slot.worker.ref();
      slot.worker.postMessage({ taskId: job.taskId, task: job.task });
    }
  }

  private startSlot(): Slot {
    const slot: Slot = { worker: spawnAnalysisWorker(), busy: null, idleTimer: null };
    let lastError: (Error & { code?: string }) | null = null;
    slot.worker.on('message', (m: FromAnalysisWorker) => {
      if ('type' in m) return;
      const job = slot.busy;
      if (!job || job.taskId !== m.taskId) return;
      slot.busy = null;
      if (m.ok) job.resolve(m.result);
      else job.reject(fromWireError(m.error));
      this.idle(slot);
      this.pump();
    });
    slot.worker.on('error', (e) => (lastError = e));
    slot.worker.on('exit', () => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      const job = slot.busy;
      slot.busy = null;
      if (job) {
        const e = lastError;
        const why = e?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : this.closed ? 'the workbench is closing' : `it stopped (${e?.message ?? 'exited unexpectedly'})`;
        job.reject(new AppError(this.closed ? 'CANCELLED' : 'INTERNAL', `The analysis of the model could not finish: ${why}. Try again; nothing saved was changed.`));
      }
      if (!this.closed) this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  /** An idle worker lets the process exit and is stopped after idleMs. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => void slot.worker.terminate(), this.idleMs);
    slot.idleTimer.unref();
  }

  /** Stops every worker; queued and running tasks fail as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new AppError('CANCELLED', 'The workbench is closing; the analysis was not started'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
