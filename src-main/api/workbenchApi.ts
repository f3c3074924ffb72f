import { describeIssues } from '../../src-shared/config';
import { requestSchemas, type Channel, type EventName, type Events, type ParsedRequest, type Request, type Response } from '../../src-shared/api';
import { AppError, ValidationError } from '../../src-shared/errors';
import type { BulkSkip, QueueStatus, RunDetail } from '../../src-shared/runs';
import { archiveExperiment, archiveRuns, purgeExpired, purgeRuns, restoreRuns, tagRuns } from '../store/runBulk';
import { existsSync } from 'node:fs';
import { parseSweepSpec, sweepPreview } from '../../src-shared/sweep';
import type { DatasetManager } from '../data/datasetManager';
import { AUTO_RESUME, type Runner } from '../runner/runner';
import { keepFilesOf, type RunFiles } from '../store/files/runFiles';
import type { Store } from '../store/store';
import { engineStatus } from './engineStatus';
import { processAlive } from './processAlive';
import { runFilesHandlers } from './runFilesHandlers';
import { insightHandlers, modelFileOf, type SaveDialog } from './insightHandlers';
import { estimateHandlers } from './estimateHandlers';
import { RunInsightsService } from './runInsights';
import type { ModelFileInfo } from './runModels';
import type { ModelWhich } from '../../src-shared/insights';
import type { QueueInUse } from '../../src-shared/settings';

type Handlers = { [K in Channel]: (req: ParsedRequest<K>) => Promise<Response<K>> };
type ApiEvent = { [E in EventName]: [event: E, payload: Events[E]] }[EventName];
type Listener = (...args: ApiEvent) => void;

export interface ApiDeps {
  dataset: DatasetManager;
  store?: Store;
  runner?: Runner;
  /** The home folder's checkpoints and models. */
  files?: RunFiles;
  /** The desktop app's save dialog (set with useSaveDialog); absent in browser mode and the CLI. */
  saveDialog?: SaveDialog;
  /** The queue the runner uses (default: the local one), as the settings channels report it. */
  queueInUse?: QueueInUse;
}

/**
 * The one implementation of the API contract. Transports (Electron IPC, HTTP, the CLI) only move
 * payloads: every request is validated here against the shared schema before a handler sees it.
 */
export class WorkbenchApi {
  private readonly listeners = new Set<Listener>();
  private readonly handlers: Handlers;
  private blocked: string | null = null;
  private insightService: RunInsightsService | null = null;

  constructor(private readonly deps: ApiDeps) {
    const progress = (p: Events['data/progress']): void => this.emit('data/progress', p);
    const { dataset } = deps;
    deps.runner?.on((...args) => this.emit(...args));
    this.handlers = {
      'data/status': () => dataset.status(),
      'data/download': (req) => dataset.download({ url: req.url, onProgress: progress }),
      'data/import': (req) => dataset.import(req.path, { onProgress: progress }),
      'data/cancel': async () => ({ cancelled: dataset.cancel() }),
      'data/verify': () => dataset.verify({ onProgress: progress }),
      'data/image': async (req) => {
        const img = await dataset.image(req.split, req.index, req.scale);
        return { pngBase64: img.png.toString('base64'), label: img.label, className: img.className };
      },
      'data/samples': (req) => dataset.samples(req.split, req.perClass),
      'experiments/preview': async (req) => {
        const parsed = parseSweepSpec(req.spec);
        return { ...parsed, preview: sweepPreview(parsed.spec) };
      },
      'experiments/create': async (req) => {
        const { spec, count } = parseSweepSpec(req.spec);
        const result = this.store.createExperiment(spec, req.clientRequestId ?? null);
        await this.kick();
        return { ...result, count };
      },
      'experiments/list': async (req) => this.store.listExperiments(req.limit, req.offset),
      'experiments/get': async (req) => this.store.getExperiment(req.id),
      'experiments/results': async (req) => this.store.experimentResults(this.store.getExperiment(req.id).id),
      'experiments/compare': async (req) => this.store.compareResults([...new Set(req.ids)], req.metric),
      'runs/compare': async (req) => this.store.compareRuns([...new Set(req.ids)], req.metric),
      'experiments/cancel': async (req) => ({ cancelled: this.runner.cancelExperiment(this.store.getExperiment(req.id).id) }),
      'runs/list': async (req) => this.store.listRuns(req),
      'runs/get': async (req) => this.runDetail(req.id),
      'runs/page': async (req) => {
        // the archive shows what is still in it: runs whose time is up go first
        if (req.archived) this.purgeArchive();
        return this.store.pageRuns(req);
      },
      'runs/ids': async (req) => ({ ids: this.store.runIdsMatching(req) }),
      'runs/tag': async ({ ids, ...change }) => tagRuns(this.store, ids, change),
      'runs/requeueMany': async (req) => {
        const queued: { from: number; to: number }[] = [];
        const skipped: BulkSkip[] = [];
        for (const id of new Set(req.ids)) {
          try {
            queued.push({ from: id, to: this.runner.requeue(id) });
          } catch (e) {
            if (!(e instanceof AppError) || (e.code !== 'VALIDATION' && e.code !== 'NOT_FOUND')) throw e;
            skipped.push({ id, reason: e.message });
          }
        }
        await this.kick();
        return { queued, skipped };
      },
      'runs/delete': async (req) => {
        // queued and waiting runs are cancelled by the runner (here or on the Redis queue) before they go
        this.runner.cancelPending([...new Set(req.ids)]);
        return archiveRuns(this.store, req.ids);
      },
      'runs/restore': async (req) => restoreRuns(this.store, req.ids),
      'runs/purge': async (req) => {
        const result = purgeRuns(this.store, req.ids);
        this.removeRunFiles(result.deleted);
        return result;
      },
      'runs/annotate': async ({ id, ...change }) => {
        this.store.annotate('run', id, change);
        return this.store.getRun(id);
      },
      'experiments/annotate': async ({ id, ...change }) => {
        this.store.annotate('experiment', id, change);
        return this.store.getExperiment(id);
      },
      'experiments/delete': async (req) => {
        // as History's run Delete: queued and waiting runs are cancelled, then all go to the archive, in
        // one transaction: a running run refuses the whole delete with nothing cancelled, and the views
        // hear of the cancellations once the runs are in the archive
        let archived: number[] = [];
        this.runner.cancelPending(this.store.runIds(req.id), () => void ({ archived } = archiveExperiment(this.store, req.id)));
        return { deleted: req.id, archived };
      },
      'runs/cancel': async (req) => ({ cancelled: this.runner.cancelRun(this.store.getRun(req.id).id) }),
      'runs/requeue': async (req) => {
        const id = this.runner.requeue(req.id);
        await this.kick();
        return { id };
      },
      'queue/status': async () => this.queueStatus(),
      'queue/pause': async () => {
        this.runner.pause();
        return this.queueStatus();
      },
      'queue/resume': async () => {
        this.runner.resume();
        await this.kick();
        return this.queueStatus();
      },
      'engine/status': () => engineStatus(),
      ...runFilesHandlers({ store: () => this.store, runner: () => this.runner, files: deps.files, kick: () => this.kick(), queueInUse: deps.queueInUse ?? { backend: 'local', url: null, problem: null, named: false } }),
      ...insightHandlers({ store: () => this.store, service: () => this.insights, saveDialog: () => this.deps.saveDialog ?? null }),
      ...estimateHandlers({ store: () => this.store, workers: () => this.deps.runner?.status().workers ?? 1 }),
    };
  }

  private runDetail(id: number): RunDetail {
    const run = this.store.getRun(id);
    const files = this.deps.files;
    if (!files) return run;
    const exists = (p: string): boolean => existsSync(p);
    return { ...run, files: { checkpoint: exists(files.checkpointPath(id)) || exists(files.previousCheckpointPath(id)), model: exists(files.modelPath(id)), bestModel: exists(files.modelPath(id, 'best')) } };
  }

  /**
   * Removes the files of deleted runs: one listing of the checkpoint and model folders, not four
   * removals per run (10,000 runs, most without files, took a second). Temporary files are left to
   * the writer that owns them and to the start-up sweep.
   */
  private removeRunFiles(runIds: readonly number[]): void {
    const deleted = new Set(runIds);
    try {
      this.deps.files?.sweep((runId) => (deleted.has(runId) ? { checkpoint: false, model: false } : { checkpoint: true, model: true }), () => true);
    } catch {
      // the start-up sweep removes files of runs that no longer exist
    }
  }

  /** Deletes for good the runs of the archive whose time is up, with their files; a failure waits for the next try. */
  private purgeArchive(): void {
    try {
      this.removeRunFiles(purgeExpired(this.store));
    } catch {
      // a read-only or full database: the runs stay in the archive until a later try
    }
  }

  /**
   * What the app and browser mode do when they open: delete for good the runs whose time in the
   * archive is up, remove files no run needs (left by a crash
   * between a database change and its file change), continue interrupted runs when the user asked
   * for that, and start the workers if runs are queued.
   */
  async startUp(): Promise<void> {
    const { store, files, runner } = this.deps;
    if (store && !store.readOnly) this.purgeArchive();
    if (store && files) {
      try {
        // as stored, not as read: a run whose lease lapsed may still be training in another process
        files.sweep((runId) => keepFilesOf(store.runs.get(runId)?.status), processAlive);
      } catch {
        // a file that cannot be removed now is tried again at the next start
      }
    }
    if (store && runner && store.settings.get(AUTO_RESUME) === 'true') {
      try {
        runner.continueRuns(store.runs.list({ status: 'interrupted', limit: 1_000_000, offset: 0 }).map((r) => r.id), true);
      } catch {
        // a refused write pauses the queue and is shown as the store-failure banner
      }
    }
    await this.kick();
    // with a Redis queue, connect now (once there is a dataset to check workers against): the Queue
    // view lists the workers, and runs an earlier coordinator left in flight are taken over
    if (runner && this.deps.queueInUse?.backend === 'redis' && (await this.deps.dataset.status()).state === 'ready') {
      await runner.start().catch(() => undefined); // a dataset that cannot load is reported when runs are queued
    }
  }

  /** Looks inside runs' saved models, in worker threads started on first use. */
  private get insights(): RunInsightsService {
    this.insightService ??= new RunInsightsService(this.deps.dataset, this.deps.files);
    return this.insightService;
  }

  /** Lets the desktop app's main process offer its save dialog to runs/exportModel. */
  useSaveDialog(dialog: SaveDialog): void {
    this.deps.saveDialog = dialog;
  }

  /** A run's model file by id (never by a client's path), for the browser-mode download route. */
  modelFile(id: number, which: ModelWhich): ModelFileInfo {
    return modelFileOf({ store: () => this.store, service: () => this.insights }, id, which);
  }

  /** Stops the analysis workers (the runner and the store are closed by their owner). */
  async close(): Promise<void> {
    await this.insightService?.close();
  }

  private get store(): Store {
    if (!this.deps.store) throw new AppError('INTERNAL', 'This API instance has no experiment store');
    return this.deps.store;
  }

  private get runner(): Runner {
    if (!this.deps.runner) throw new AppError('INTERNAL', 'This API instance has no runner');
    return this.deps.runner;
  }

  private queueStatus(): QueueStatus {
    return { ...this.runner.status(), blocked: this.blocked };
  }

  /** Starts the workers if runs are waiting; without a dataset the runs stay queued and the reason is reported. */
  async kick(): Promise<void> {
    if (!this.deps.runner || this.runner.status().queued === 0) return;
    try {
      await this.runner.start();
      this.blocked = null;
      this.runner.pump();
    } catch (e) {
      this.blocked = (e as Error).message;
    }
  }

  /** Validates the payload for `channel` and runs its handler. */
  async call<K extends Channel>(channel: K, payload: Request<K> | unknown): Promise<Response<K>> {
    if (!Object.hasOwn(requestSchemas, channel)) throw new AppError('NOT_FOUND', `Unknown API channel '${String(channel)}'`);
    const parsed = requestSchemas[channel].safeParse(payload ?? {});
    if (!parsed.success) throw new ValidationError(describeIssues(parsed.error.issues, {}), `Invalid request for ${channel}`);
    const handler = this.handlers[channel] as (req: unknown) => Promise<Response<K>>;
    return handler(parsed.data);
  }

  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(...args: ApiEvent): void {
    for (const l of this.listeners) l(...args);
  }
}
