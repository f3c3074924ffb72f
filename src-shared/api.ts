import { z } from 'zod';
import type { DatasetProgress, DatasetStatus, VerifyReport } from './dataset';
import { RUN_SORT_COLUMNS, type BulkSkip, type ExperimentSummary, type QueueStatus, type RunDetail, type RunEpochEvent, type RunPageRow, type RunProgressEvent, type RunSortKey, type RunStateEvent, type RunSummary, type StoreFailureEvent } from './runs';
import type { SweepSpec } from './sweep';
import type { SweepPreview } from './search/preview';
import type { RunWithEpochs } from './aggregate';
import type { CompareData } from './compareData';
import { MAX_COMPARE_RUNS } from './compareUrl';
import { CHANNEL_NAMES, type ChannelName, type EventNameList } from './channels';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './config';
import type { EngineStatus } from './engine';
import type { FirstLayerWeights, MisclassifiedPage, RunInsights } from './insights';
import type { DiskUsage, SettingsState } from './settings';
import type { SweepEstimate } from './estimate/sweepEstimate';
import type { QueueEstimate } from './estimate/queueEstimate';

const id = z.int().min(1);
const page = { limit: z.int().min(1).max(10_000).default(200), offset: z.int().min(0).default(0) };
const tag = z.string().trim().min(1).max(50);
const annotation = { notes: z.string().max(20_000).optional(), addTags: z.array(tag).max(20).optional(), removeTags: z.array(tag).max(20).optional() };
const modelWhich = z.enum(['final', 'best']).default('final');
const classIndex = z.int().min(0).max(9);
const metric = z.enum(['testAccuracy', 'testLoss', 'trainLoss', 'trainAccuracy', 'objective']);
const runStatus = z.enum(['queued', 'running', 'finished', 'failed', 'cancelled', 'diverged', 'interrupted', 'waiting', 'pruned']);
/** How many runs one bulk request may name (History's select all matching on a large history). */
export const MAX_BULK = 100_000;
const runIds = z.array(id).min(1).max(MAX_BULK);
const sortKeys = [...RUN_SORT_COLUMNS, ...Object.keys(DEFAULT_TRAIN_CONFIG).map((f) => `config.${f}`)] as [RunSortKey, ...RunSortKey[]];
/** What the runs table filters and sorts by (runs/page, runs/ids). */
const runFilters = {
  status: runStatus.optional(),
  experimentId: id.optional(),
  tag: z.string().min(1).max(100).optional(),
  /** Free text and field:value terms, parsed (and refused at `search`) by the store: see parseRunSearch. */
  search: z.string().min(1).max(500).optional(),
  configField: z.enum(Object.keys(DEFAULT_TRAIN_CONFIG) as [keyof TrainConfig, ...(keyof TrainConfig)[]]).optional(),
  configValue: z.string().max(200).optional(),
  /** The archive (runs deleted in History) instead of the runs. */
  archived: z.boolean().optional(),
  sort: z.enum(sortKeys).default('id'),
  direction: z.enum(['asc', 'desc']).default('asc'),
};

/**
 * The API contract: every channel with its request schema and response type. The main-process
 * implementation, the IPC and HTTP adapters, the preload and the renderer client are all derived from
 * this one map, so a call site can never name a channel or payload that does not exist.
 */
export const requestSchemas = {
  'data/status': z.object({}).strict(),
  'data/download': z.object({ url: z.url({ protocol: /^https?$/ }).optional() }).strict(),
  'data/import': z.object({ path: z.string().min(1) }).strict(),
  'data/cancel': z.object({}).strict(),
  'data/verify': z.object({}).strict(),
  'data/image': z
    .object({ split: z.enum(['train', 'test']), index: z.int().min(0), scale: z.int().min(1).max(8).default(1) })
    .strict(),
  'data/samples': z.object({ split: z.enum(['train', 'test']), perClass: z.int().min(1).max(50).default(8) }).strict(),
  /** The spec is checked in depth by parseSweepSpec (field by field); here only its envelope. */
  'experiments/preview': z.object({ spec: z.unknown() }).strict(),
  'experiments/create': z.object({ spec: z.unknown(), clientRequestId: z.string().min(1).max(200).optional() }).strict(),
  'experiments/list': z.object(page).strict(),
  'experiments/get': z.object({ id }).strict(),
  'experiments/results': z.object({ id }).strict(),
  /** The runs of one or more experiments aggregated for one metric (per config and epoch, per run's final and best). */
  'experiments/compare': z.object({ ids: z.array(id).min(1).max(100), metric: metric.default('testAccuracy') }).strict(),
  'experiments/cancel': z.object({ id }).strict(),
  /** Hand-picked runs aggregated like experiments/compare (History's "Compare selected"; #/compare?runs=3,5,9). */
  'runs/compare': z.object({ ids: z.array(id).min(1).max(MAX_COMPARE_RUNS), metric: metric.default('testAccuracy') }).strict(),
  'runs/list': z.object({ experimentId: id.optional(), status: runStatus.optional(), ...page }).strict(),
  'runs/page': z.object({ ...runFilters, ...page }).strict(),
  /** The ids of every run the filters match (History's "select all matching"), or of a range of them. */
  'runs/ids': z.object({ ...runFilters, limit: z.int().min(1).max(MAX_BULK).default(MAX_BULK), offset: z.int().min(0).default(0) }).strict(),
  /** Tags added to and removed from many runs at once. */
  'runs/tag': z.object({ ids: runIds, addTags: annotation.addTags, removeTags: annotation.removeTags }).strict(),
  /** A new attempt of each run in its own experiment (see runs/requeue); runs that cannot be re-queued are skipped with why. */
  'runs/requeueMany': z.object({ ids: runIds }).strict(),
  /** Moves runs to the archive (restorable for ARCHIVE_DAYS); queued ones are cancelled first, running ones skipped with why. */
  'runs/delete': z.object({ ids: runIds }).strict(),
  /** Brings runs back from the archive. */
  'runs/restore': z.object({ ids: runIds }).strict(),
  /** Deletes runs of the archive for good, with their metrics and files. */
  'runs/purge': z.object({ ids: runIds }).strict(),
  'runs/annotate': z.object({ id, ...annotation }).strict(),
  'experiments/annotate': z.object({ id, ...annotation }).strict(),
  'experiments/delete': z.object({ id }).strict(),
  'runs/get': z.object({ id }).strict(),
  'runs/cancel': z.object({ id }).strict(),
  'runs/requeue': z.object({ id }).strict(),
  'queue/status': z.object({}).strict(),
  'queue/pause': z.object({}).strict(),
  'queue/resume': z.object({}).strict(),
  'engine/status': z.object({}).strict(),
  'runs/resume': z.object({ id }).strict(),
  /** Resumes the experiment's interrupted runs. */
  'experiments/resume': z.object({ id }).strict(),
  'settings/get': z.object({}).strict(),
  /** The queue settings take effect at the next start; redisUrl is checked (and refused with a password in it). */
  'settings/set': z
    .object({
      autoResume: z.boolean().optional(),
      keepBestModel: z.boolean().optional(),
      queueBackend: z.enum(['local', 'redis']).optional(),
      redisUrl: z.string().trim().max(2000).optional(),
      redisTls: z.boolean().optional(),
      /** Sweeps estimated longer than this many hours ask for a confirmation before they are queued. */
      confirmAboveHours: z.number().gt(0).max(10_000).optional(),
    })
    .strict(),
  'files/usage': z.object({}).strict(),
  /** Measures of the run's saved model on the test split (computed in a worker, then cached). */
  'runs/insights': z.object({ id, which: modelWhich }).strict(),
  /** A page of the test images of one confusion cell, most confident first. */
  'runs/misclassified': z
    .object({ id, which: modelWhich, trueClass: classIndex, predictedClass: classIndex, offset: z.int().min(0).default(0), limit: z.int().min(1).max(100).default(24) })
    .strict(),
  'runs/firstLayer': z.object({ id, which: modelWhich, limit: z.int().min(1).max(4096).default(4096) }).strict(),
  /** Desktop app: saves the model through a save dialog in main (browser mode downloads GET /api/runs/:id/model). */
  'runs/exportModel': z.object({ id, which: modelWhich }).strict(),
  /** A sweep's expected wall time from this machine's measured epochs, before it is queued (workers: the pool's by default). */
  'experiments/estimate': z.object({ spec: z.unknown(), workers: z.int().min(1).max(1024).optional() }).strict(),
  /** The queue's runs with their expected seconds, for the Queue view's ETAs at the live progress. */
  'queue/estimate': z.object({}).strict(),
} as const satisfies Record<ChannelName, z.ZodType>;

export type Channel = keyof typeof requestSchemas;
export type Request<K extends Channel> = z.input<(typeof requestSchemas)[K]>;
export type ParsedRequest<K extends Channel> = z.output<(typeof requestSchemas)[K]>;

/** A change to the tags and notes of a run or an experiment (the same fields on both channels). */
export type AnnotationChange = Omit<Request<'runs/annotate'>, 'id'>;

export interface Responses {
  'data/status': DatasetStatus;
  'data/download': DatasetStatus;
  'data/import': DatasetStatus;
  'data/cancel': { cancelled: boolean };
  'data/verify': VerifyReport;
  'data/image': { pngBase64: string; label: number; className: string };
  'data/samples': { classNames: string[]; samples: { label: number; index: number }[] };
  /** The spec as it will be stored, its run count, and the runs and most epochs it trains (see sweepPreview). */
  'experiments/preview': { count: number; spec: SweepSpec; preview: SweepPreview };
  'experiments/create': { id: number; created: boolean; count: number };
  'experiments/list': ExperimentSummary[];
  'experiments/get': ExperimentSummary & { spec: SweepSpec };
  'experiments/results': RunWithEpochs[];
  'experiments/compare': CompareData;
  'runs/compare': CompareData;
  'experiments/cancel': { cancelled: number };
  'runs/list': RunSummary[];
  'runs/page': { rows: RunPageRow[]; total: number };
  'runs/ids': { ids: number[] };
  'runs/tag': { changed: number[]; skipped: BulkSkip[] };
  'runs/requeueMany': { queued: { from: number; to: number }[]; skipped: BulkSkip[] };
  'runs/delete': { archived: number[]; skipped: BulkSkip[] };
  'runs/restore': { restored: number[]; skipped: BulkSkip[] };
  'runs/purge': { deleted: number[]; skipped: BulkSkip[] };
  'runs/annotate': RunDetail;
  'experiments/annotate': ExperimentSummary;
  /** The experiment's runs went to the archive (restorable for ARCHIVE_DAYS): `archived` are their ids. */
  'experiments/delete': { deleted: number; archived: number[] };
  'runs/get': RunDetail;
  'runs/cancel': { cancelled: boolean };
  'runs/requeue': { id: number };
  'queue/status': QueueStatus;
  'queue/pause': QueueStatus;
  'queue/resume': QueueStatus;
  'engine/status': EngineStatus;
  'runs/resume': { resumed: number[] };
  'experiments/resume': { resumed: number[] };
  'settings/get': SettingsState;
  'settings/set': SettingsState;
  'files/usage': DiskUsage;
  'runs/insights': RunInsights;
  'runs/misclassified': MisclassifiedPage;
  'runs/firstLayer': FirstLayerWeights;
  /** saved false when the dialog was cancelled. */
  'runs/exportModel': { saved: boolean; path: string | null; bytes: number };
  'experiments/estimate': SweepEstimate;
  'queue/estimate': QueueEstimate;
}
export type Response<K extends Channel> = Responses[K];

/** Events pushed from main to every subscriber (renderer over IPC or SSE, the CLI's progress bar). */
export interface Events {
  'data/progress': DatasetProgress;
  'run/progress': RunProgressEvent;
  'run/epoch': RunEpochEvent;
  'run/state': RunStateEvent;
  /** The database refused a write: the queue is paused; shown as a banner on every view. */
  'store/failure': StoreFailureEvent;
}
export type EventName = keyof Events;

export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

// compile-time checks that the name lists and the maps agree in both directions
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const channelListsAgree: Same<Channel, ChannelName> & Same<keyof Responses, ChannelName> & Same<EventName, EventNameList> = true;
