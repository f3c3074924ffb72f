import { createHash } from 'node:crypto';
import { completeStoredConfig, type TrainConfig } from '../../src-shared/config';
import { AppError } from '../../src-shared/errors';
import type { EpochMetrics } from '../../src-shared/metrics';
import type { ExperimentSummary, RunDetail, RunPageQuery, RunPageRow, RunStatus, RunSummary } from '../../src-shared/runs';
import { configKey, expandSweep, type SweepSpec } from '../../src-shared/sweep';
import type { Metric } from '../../src-shared/aggregate';
import type { CompareData } from '../../src-shared/compareData';
import { compareQuery } from './compareQuery';
import { ConfusionRepo } from './confusionRepo';
import { metricFromDb, metricToDb, openDatabase, type Db, type OpenOptions } from './database';
import { EpochsRepo } from './epochsRepo';
import { ExperimentsRepo, type ExperimentRow } from './experimentsRepo';
import { RunsRepo, type RunFilter, type RunRow } from './runsRepo';
import { prunedRefusal } from './prunedRefusal';
import { SettingsRepo } from './settingsRepo';
import { TagsRepo } from './tagsRepo';

/** Hash of a config without its seed: runs that share it differ only in the seed. */
export function configHash(config: TrainConfig): string {
  return createHash('sha256').update(configKey(config, true)).digest('hex').slice(0, 16);
}

const now = (): string => new Date().toISOString();

/** Why a run in the archive is left alone. */
const inArchive = (id: number): string => `Run ${id} is in the archive (deleted in History); restore it first`;

/** The statuses a run can be re-queued from: every one it can end in. */
const REQUEUEABLE = ['failed', 'cancelled', 'interrupted', 'diverged', 'finished'];

/**
 * Experiments, runs and their metrics in one SQLite file. Every multi-row change is one
 * transaction; an epoch is committed (metrics, run progress, confusion matrix) before the runner
 * reports it to anyone.
 */
export class Store {
  readonly db: Db;
  readonly experiments: ExperimentsRepo;
  readonly runs: RunsRepo;
  readonly epochs: EpochsRepo;
  readonly confusion: ConfusionRepo;
  readonly tags: TagsRepo;
  readonly settings: SettingsRepo;
  /** Why the database is open read-only (its folder or file cannot be written), or null. */
  readonly readOnly: string | null;

  /** Opens the database at `path`; throws a specific AppError if it is damaged or cannot be opened (see openDatabase). */
  constructor(readonly path: string, private readonly appVersion: string, options: OpenOptions = {}) {
    const opened = openDatabase(path, options);
    this.db = opened.db;
    this.readOnly = opened.readOnly;
    this.experiments = new ExperimentsRepo(this.db);
    this.runs = new RunsRepo(this.db);
    this.epochs = new EpochsRepo(this.db);
    this.confusion = new ConfusionRepo(this.db);
    this.tags = new TagsRepo(this.db);
    this.settings = new SettingsRepo(this.db);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Creates an experiment and queues all its runs. The same client request id twice returns the
   * first experiment instead of creating another (a retried or double-clicked submit).
   */
  createExperiment(spec: SweepSpec, clientRequestId: string | null): { id: number; created: boolean } {
    return this.db.transaction(() => {
      if (clientRequestId) {
        const existing = this.experiments.byClientRequest(clientRequestId);
        if (existing) return { id: existing.id, created: false };
      }
      const created = now();
      const id = this.experiments.insert(spec.name, spec.description, JSON.stringify(spec), clientRequestId, created, spec.priority ?? 0);
      for (const run of expandSweep(spec)) {
        this.runs.insert({
          experimentId: id, configJson: JSON.stringify(run.config), configHash: configHash(run.config), seed: run.config.seed,
          repeatIndex: run.repeatIndex, appVersion: this.appVersion, createdAt: created, requeuedFrom: null,
        });
      }
      return { id, created: true };
    }).immediate();
  }

  /** Commits one finished epoch of a running run; false if the run is no longer running. */
  recordEpoch(runId: number, m: EpochMetrics, best: { epoch: number; testAccuracy: number } | null, leaseUntil: number): boolean {
    return this.db.transaction(() => {
      const row = this.runs.get(runId);
      if (!row || row.status !== 'running') return false;
      // reported again by a run resumed from an older checkpoint (a remote worker's): the first stands
      if (m.epoch <= row.epochs_done) return true;
      this.epochs.insert(runId, m);
      this.confusion.upsert(runId, m.epoch, m.confusion);
      return this.runs.recordProgress(runId, m.epoch, metricToDb(m.testAccuracy), metricToDb(m.testLoss), metricToDb(best?.testAccuracy ?? null), best?.epoch ?? null, leaseUntil);
    }).immediate();
  }

  finishRun(runId: number, status: RunStatus, error: string | null = null, divergedEpoch: number | null = null): boolean {
    return this.runs.finish(runId, status, error, divergedEpoch, now());
  }

  /**
   * Queues a new attempt of a run that ended (failed, cancelled, interrupted, diverged, or finished:
   * "Run again") in its own experiment, with requeued_from set. The old run stays as history and the
   * attempt stands for it (Compare averages the attempt, not both); so a run already re-queued is
   * refused: its latest attempt is the one to run again.
   */
  requeue(runId: number): number {
    return this.db.transaction(() => {
      // as the user sees it: a run whose process died is interrupted even before a runner writes so
      const row = this.runs.read(runId);
      if (!row) throw new AppError('NOT_FOUND', `No run ${runId}`);
      if (row.archived_at) throw new AppError('VALIDATION', inArchive(runId));
      if (row.status === 'pruned') throw new AppError('VALIDATION', prunedRefusal(row, 're-queued'));
      if (!REQUEUEABLE.includes(row.status)) {
        throw new AppError('VALIDATION', `Run ${runId} is ${row.status}; only failed, cancelled, interrupted, diverged or finished runs can be re-queued`);
      }
      const attempt = this.runs.latestAttempt(runId);
      if (attempt) {
        throw new AppError('VALIDATION', `Run ${runId} was already re-queued as run ${attempt.id} (${attempt.status}); re-queue run ${attempt.id} instead if it needs another attempt`);
      }
      return this.runs.insert({
        experimentId: row.experiment_id, configJson: row.config_json, configHash: row.config_hash, seed: row.seed,
        repeatIndex: row.repeat_index, appVersion: this.appVersion, createdAt: now(), requeuedFrom: row.id,
      });
    }).immediate();
  }

  /**
   * Queues runs to continue from their checkpoints under their own ids (interrupted, cancelled or
   * failed ones; with `onlyInterrupted`, only those). Returns the ids queued.
   */
  resume(runIds: number[], onlyInterrupted = false): number[] {
    return this.db.transaction(() => {
      // a run whose process died reads as interrupted; write it so before changing it
      this.runs.expireLeases(Date.now(), now());
      const out: number[] = [];
      for (const id of runIds) {
        const row = this.runs.get(id);
        if (!row) throw new AppError('NOT_FOUND', `No run ${id}`);
        if (row.archived_at) {
          if (runIds.length > 1) continue;
          throw new AppError('VALIDATION', inArchive(id));
        }
        const allowed = onlyInterrupted ? ['interrupted'] : ['interrupted', 'cancelled', 'failed'];
        if (!allowed.includes(row.status)) {
          if (runIds.length > 1) continue;
          if (row.status === 'pruned') throw new AppError('VALIDATION', prunedRefusal(row, 'resumed'));
          throw new AppError('VALIDATION', `Run ${id} is ${row.status}; only ${allowed.join(', ')} runs can be resumed${row.status === 'diverged' ? ' (a diverged run would diverge again: re-queue it with another config)' : ''}`);
        }
        if (this.runs.resume(id)) out.push(id);
      }
      return out;
    }).immediate();
  }

  /** The ids of an experiment's runs in one status, as readers see it. */
  runIds(experimentId: number, status?: RunStatus): number[] {
    return this.runs.list({ experimentId, status, limit: 1_000_000, offset: 0 }).map((r) => r.id);
  }

  private summary(row: RunRow): RunSummary {
    return {
      id: row.id, experimentId: row.experiment_id, status: row.status as RunStatus, seed: row.seed, repeatIndex: row.repeat_index,
      configHash: row.config_hash, config: completeStoredConfig(JSON.parse(row.config_json) as TrainConfig), epochsDone: row.epochs_done,
      finalTestAccuracy: metricFromDb(row.final_test_accuracy), finalTestLoss: metricFromDb(row.final_test_loss),
      bestTestAccuracy: metricFromDb(row.best_test_accuracy), bestEpoch: row.best_epoch, divergedEpoch: row.diverged_epoch, prunedEpoch: row.pruned_epoch ?? null,
      error: row.error, createdAt: row.created_at, startedAt: row.started_at, finishedAt: row.finished_at,
      requeuedFrom: row.requeued_from, tags: this.tags.list('run', row.id), notes: row.notes,
      resumedEpoch: row.resumed_epoch, resumeNote: row.resume_note, archivedAt: row.archived_at ?? null,
    };
  }

  listRuns(filter: RunFilter): RunSummary[] {
    return this.runs.list(filter).map((r) => this.summary(r));
  }

  /** A page of the runs table, each run with its last epoch's metrics (the table's metric columns). */
  pageRuns(q: RunPageQuery): { rows: RunPageRow[]; total: number } {
    const { rows, total } = this.runs.page(q);
    return { rows: rows.map((r) => ({ ...this.summary(r), last: this.epochs.last(r.id) })), total };
  }

  /** The ids of the runs matching a runs-table query, in its order (a range of them with limit and offset). */
  runIdsMatching(q: RunPageQuery): number[] {
    return this.runs.ids(q);
  }

  /** Notes and tags of a run or an experiment. */
  annotate(entity: 'run' | 'experiment', id: number, change: { notes?: string; addTags?: string[]; removeTags?: string[] }): void {
    this.db.transaction(() => {
      if (entity === 'run' ? !this.runs.get(id) : !this.experiments.get(id)) throw new AppError('NOT_FOUND', `No ${entity} ${id}`);
      if (change.notes !== undefined) (entity === 'run' ? this.runs : this.experiments).setNotes(id, change.notes);
      for (const t of change.addTags ?? []) this.tags.add(entity, id, t);
      for (const t of change.removeTags ?? []) this.tags.remove(entity, id, t);
    })();
  }

  /** Deletes an experiment with its runs and metrics; refused while any of its runs is running. Returns the deleted runs' ids (their files go next). */
  deleteExperiment(id: number): number[] {
    return this.db.transaction(() => {
      if (!this.experiments.get(id)) throw new AppError('NOT_FOUND', `No experiment ${id}`);
      const running = this.runs.statusCounts(id).running ?? 0;
      if (running > 0) throw new AppError('VALIDATION', `Experiment ${id} has ${running} running run(s); cancel them before deleting it`);
      this.db.prepare("DELETE FROM tags WHERE entity = 'run' AND entity_id IN (SELECT id FROM runs WHERE experiment_id = ?)").run(id);
      this.db.prepare("DELETE FROM tags WHERE entity = 'experiment' AND entity_id = ?").run(id);
      const runIds = this.db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE experiment_id = ?').all(id).map((r) => r.id);
      this.experiments.delete(id);
      return runIds;
    }).immediate();
  }

  getRun(id: number): RunDetail {
    const row = this.runs.read(id);
    if (!row) throw new AppError('NOT_FOUND', `No run ${id}`);
    return {
      ...this.summary(row), epochs: this.epochs.list(id), confusion: this.confusion.get(id), appVersion: row.app_version,
      datasetSha256: row.dataset_sha256, kernel: row.kernel as RunDetail['kernel'], supersededBy: this.runs.latestAttempt(id)?.id ?? null,
    };
  }

  /** Every run of an experiment with its per-epoch metrics, for comparison and export. */
  experimentResults(experimentId: number): (RunSummary & { epochs: ReturnType<EpochsRepo['list']>; confusion: { epoch: number; matrix: number[] } | null })[] {
    return this.runs
      .list({ experimentId, limit: 1_000_000, offset: 0 })
      .map((r) => ({ ...this.summary(r), epochs: this.epochs.list(r.id), confusion: this.confusion.get(r.id) }));
  }

  /**
   * The comparison of experiments' runs (one or several), aggregated in SQL for one metric: what the
   * Compare view and chart exports draw (see compareQuery). Unknown experiment ids are refused.
   */
  compareResults(experimentIds: readonly number[], metric: Metric): CompareData {
    for (const id of experimentIds) if (!this.experiments.get(id)) throw new AppError('NOT_FOUND', `No experiment ${id}`);
    return this.db.transaction(() => compareQuery(this.db, { experimentIds }, metric))();
  }

  /**
   * The same comparison of hand-picked runs (History's "Compare selected"), grouped the same way
   * across their experiments. Runs that do not exist (deleted since the link was made) are refused by id.
   */
  compareRuns(runIds: readonly number[], metric: Metric): CompareData {
    return this.db.transaction(() => {
      const known = new Set(this.db.prepare<[string], { id: number }>('SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(runIds)).map((r) => r.id));
      const missing = runIds.filter((id) => !known.has(id));
      if (missing.length) {
        const list = missing.length > 10 ? `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more` : missing.join(', ');
        throw new AppError('NOT_FOUND', `No run ${list} (deleted?): compare the others without ${missing.length === 1 ? 'it' : 'them'}`);
      }
      return compareQuery(this.db, { runIds }, metric);
    })();
  }

  private experimentSummary(row: ExperimentRow): ExperimentSummary {
    const statusCounts = this.runs.statusCounts(row.id) as ExperimentSummary['statusCounts'];
    return {
      id: row.id, name: row.name, description: row.description, notes: row.notes, tags: this.tags.list('experiment', row.id),
      createdAt: row.created_at, runCount: Object.values(statusCounts).reduce((s, n) => s + (n ?? 0), 0), statusCounts,
    };
  }

  listExperiments(limit = 100, offset = 0): ExperimentSummary[] {
    return this.experiments.list(limit, offset).map((r) => this.experimentSummary(r));
  }

  getExperiment(id: number): ExperimentSummary & { spec: SweepSpec } {
    const row = this.experiments.get(id);
    if (!row) throw new AppError('NOT_FOUND', `No experiment ${id}`);
    return { ...this.experimentSummary(row), spec: JSON.parse(row.spec_json) as SweepSpec };
  }
}
