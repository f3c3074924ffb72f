import type { Metric, RunWithEpochs, SeriesPoint } from './aggregate';
import type { CompareGroup } from './compareData';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './config';
import { toCsv, type CsvColumn } from './csv';
import type { RunSummary } from './runs';

const configFields = Object.keys(DEFAULT_TRAIN_CONFIG) as (keyof TrainConfig)[];

/** One row per run: ids, status, every config field as its own column, final and best metrics. */
export function runsCsv(runs: readonly RunSummary[]): string {
  const columns: CsvColumn<RunSummary>[] = [
    { header: 'run_id', kind: 'number', value: (r) => r.id },
    { header: 'experiment_id', kind: 'number', value: (r) => r.experimentId },
    { header: 'status', kind: 'text', value: (r) => r.status },
    { header: 'repeat_index', kind: 'number', value: (r) => r.repeatIndex },
    ...configFields.map<CsvColumn<RunSummary>>((f) => ({
      header: f,
      kind: typeof DEFAULT_TRAIN_CONFIG[f] === 'number' ? 'number' : 'text',
      value: (r) => (Array.isArray(r.config[f]) ? (r.config[f] as number[]).join('x') : r.config[f]),
    })),
    { header: 'epochs_done', kind: 'number', value: (r) => r.epochsDone },
    { header: 'final_test_accuracy', kind: 'number', value: (r) => r.finalTestAccuracy },
    { header: 'final_test_loss', kind: 'number', value: (r) => r.finalTestLoss },
    { header: 'best_test_accuracy', kind: 'number', value: (r) => r.bestTestAccuracy },
    { header: 'best_epoch', kind: 'number', value: (r) => r.bestEpoch },
    { header: 'diverged_epoch', kind: 'number', value: (r) => r.divergedEpoch },
    { header: 'config_hash', kind: 'text', value: (r) => r.configHash },
    { header: 'error', kind: 'text', value: (r) => r.error },
    { header: 'notes', kind: 'text', value: (r) => r.notes },
  ];
  return toCsv(columns, runs);
}

/** Every epoch of every run, long format (one row per run and epoch), for pandas and R. */
export function epochsCsv(runs: readonly RunWithEpochs[]): string {
  type Row = RunWithEpochs['epochs'][number] & { runId: number };
  const rows: Row[] = runs.flatMap((r) => r.epochs.map((e) => ({ ...e, runId: r.id })));
  const columns: CsvColumn<Row>[] = [
    { header: 'run_id', kind: 'number', value: (r) => r.runId },
    { header: 'epoch', kind: 'number', value: (r) => r.epoch },
    { header: 'train_loss', kind: 'number', value: (r) => r.trainLoss },
    { header: 'train_accuracy', kind: 'number', value: (r) => r.trainAccuracy },
    { header: 'objective', kind: 'number', value: (r) => r.objective },
    { header: 'test_loss', kind: 'number', value: (r) => r.testLoss },
    { header: 'test_accuracy', kind: 'number', value: (r) => r.testAccuracy },
    { header: 'learning_rate', kind: 'number', value: (r) => r.learningRate },
    { header: 'seconds', kind: 'number', value: (r) => r.seconds },
  ];
  return toCsv(columns, rows);
}

/**
 * The aggregated series of one metric per group, exactly as a mean ± spread chart draws it: the
 * group's label in the user's words ("SGD · γ 0.01"), then each field that tells the groups apart
 * in a column of its own under its config key (`optimizer`, `learningRate`), for scripts.
 */
export function seriesCsv(groups: readonly CompareGroup[], metric: Metric): string {
  type Row = SeriesPoint & { excluded: number; config: TrainConfig };
  const rows: Row[] = groups.flatMap((g) => g.series.map((p) => ({ ...p, excluded: g.excluded.length, config: g.config })));
  const columns: CsvColumn<Row>[] = [
    { header: 'group', kind: 'text', value: (r) => r.group },
    ...(groups[0]?.fields ?? []).map<CsvColumn<Row>>((f) => ({
      header: f,
      kind: typeof DEFAULT_TRAIN_CONFIG[f] === 'number' ? 'number' : 'text',
      value: (r) => (Array.isArray(r.config[f]) ? (r.config[f] as number[]).join('x') : r.config[f]),
    })),
    { header: 'metric', kind: 'text', value: () => metric },
    { header: 'epoch', kind: 'number', value: (r) => r.epoch },
    { header: 'n', kind: 'number', value: (r) => r.n },
    { header: 'mean', kind: 'number', value: (r) => r.mean },
    { header: 'std', kind: 'number', value: (r) => r.std },
    { header: 'se', kind: 'number', value: (r) => r.se },
    { header: 'ci95_low', kind: 'number', value: (r) => r.ciLow },
    { header: 'ci95_high', kind: 'number', value: (r) => r.ciHigh },
    { header: 'min', kind: 'number', value: (r) => r.min },
    { header: 'max', kind: 'number', value: (r) => r.max },
    { header: 'runs_not_averaged', kind: 'number', value: (r) => r.excluded },
  ];
  return toCsv(columns, rows);
}
