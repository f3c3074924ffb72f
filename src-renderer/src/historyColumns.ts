import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src-shared/config';
import { describeConfig } from '../../src-shared/configSummary';
import { FIELD_LABELS } from '../../src-shared/fieldLabels';
import { formatDuration } from '../../src-shared/format';
import { archiveEnds, type RunPageRow, type RunSortKey } from '../../src-shared/runs';
import { absoluteTime, formatWhen } from '../../src-shared/when';

/** One column the History table can show: its header (unit included), how it sorts and what a cell says. */
export interface RunColumn {
  id: string;
  label: string;
  /** The config key or what the column means, for the header's tooltip. */
  title?: string;
  group: 'Run' | 'Metrics' | 'Configuration';
  sort: RunSortKey | null;
  numeric: boolean;
  /** Its grid track. */
  width: string;
  text(r: RunPageRow, now: number): string;
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : Number.isFinite(v) ? (v * 100).toFixed(2) : String(v));
const fixed = (digits: number) => (v: number | null | undefined): string => (v === null || v === undefined ? '–' : Number.isFinite(v) ? v.toFixed(digits) : String(v));
const loss = fixed(4);

/** Wall time from start to finish (to now while it runs), in seconds; null before it started. */
export function runDuration(r: Pick<RunPageRow, 'startedAt' | 'finishedAt'>, now: number): number | null {
  if (!r.startedAt) return null;
  const end = r.finishedAt ? Date.parse(r.finishedAt) : now;
  return (end - Date.parse(r.startedAt)) / 1000;
}

const RUN_COLUMNS: RunColumn[] = [
  { id: 'id', label: 'Run', group: 'Run', sort: 'id', numeric: true, width: '4.5rem', text: (r) => String(r.id) },
  { id: 'experiment', label: 'Exp.', title: 'Experiment id', group: 'Run', sort: 'experiment', numeric: true, width: '3.5rem', text: (r) => String(r.experimentId) },
  { id: 'status', label: 'Status', group: 'Run', sort: 'status', numeric: false, width: '6.5rem', text: (r) => r.status },
  { id: 'summary', label: 'Configuration', title: 'What differs from the report defaults', group: 'Run', sort: null, numeric: false, width: 'minmax(14rem, 2fr)', text: (r) => describeConfig(r.config) },
  { id: 'tags', label: 'Tags', group: 'Run', sort: null, numeric: false, width: 'minmax(6rem, 1fr)', text: (r) => r.tags.join(', ') },
  { id: 'notes', label: 'Notes', group: 'Run', sort: null, numeric: false, width: 'minmax(8rem, 1fr)', text: (r) => r.notes.split('\n')[0] ?? '' },
  { id: 'created', label: 'Created', group: 'Run', sort: 'createdAt', numeric: false, width: '9rem', text: (r, now) => formatWhen(Date.parse(r.createdAt), now) },
  { id: 'duration', label: 'Duration', title: 'From start to finish (to now while it runs)', group: 'Run', sort: 'duration', numeric: true, width: '5.5rem', text: (r, now) => formatDuration(runDuration(r, now)) },
  { id: 'attempt', label: 'Re-queued from', title: 'The run this one is a new attempt of', group: 'Run', sort: null, numeric: true, width: '7rem', text: (r) => (r.requeuedFrom === null ? '' : String(r.requeuedFrom)) },
];

const METRIC_COLUMNS: RunColumn[] = [
  { id: 'finalTestAccuracy', label: 'Final acc. (%)', title: 'Test accuracy at the last epoch', group: 'Metrics', sort: 'finalTestAccuracy', numeric: true, width: '8rem', text: (r) => pct(r.finalTestAccuracy) },
  { id: 'bestTestAccuracy', label: 'Best acc. (%)', title: 'Highest test accuracy of any epoch', group: 'Metrics', sort: 'bestTestAccuracy', numeric: true, width: '8rem', text: (r) => pct(r.bestTestAccuracy) },
  { id: 'bestEpoch', label: 'Best epoch', group: 'Metrics', sort: 'bestEpoch', numeric: true, width: '5.5rem', text: (r) => (r.bestEpoch === null ? '–' : String(r.bestEpoch)) },
  { id: 'epochs', label: 'Epochs', title: 'Done of planned', group: 'Metrics', sort: 'epochsDone', numeric: true, width: '5rem', text: (r) => `${r.epochsDone}/${r.config.epochs}` },
  { id: 'finalTestLoss', label: 'Final test loss', group: 'Metrics', sort: 'finalTestLoss', numeric: true, width: '8rem', text: (r) => loss(r.finalTestLoss) },
  { id: 'finalTrainLoss', label: 'Final train loss', group: 'Metrics', sort: 'finalTrainLoss', numeric: true, width: '8rem', text: (r) => loss(r.last?.trainLoss) },
  { id: 'finalTrainAccuracy', label: 'Final train acc. (%)', group: 'Metrics', sort: 'finalTrainAccuracy', numeric: true, width: '9.5rem', text: (r) => pct(r.last?.trainAccuracy) },
  { id: 'finalObjective', label: 'Final objective', title: 'Loss + λ/2·‖w‖² at the last epoch', group: 'Metrics', sort: 'finalObjective', numeric: true, width: '8rem', text: (r) => loss(r.last?.objective) },
  { id: 'finalLearningRate', label: 'Final γ', title: 'Learning rate of the last epoch (after the schedule)', group: 'Metrics', sort: null, numeric: true, width: '6rem', text: (r) => (r.last?.learningRate == null ? '–' : r.last.learningRate.toPrecision(3)) },
  { id: 'trainSeconds', label: 'Training time', title: 'Seconds of all its epochs, summed', group: 'Metrics', sort: 'trainSeconds', numeric: true, width: '6.5rem', text: (r) => (r.last ? formatDuration(r.last.seconds) : '–') },
];

const configText = (v: unknown): string => (Array.isArray(v) ? (v.length ? v.join('×') : 'none') : String(v));

const CONFIG_COLUMNS: RunColumn[] = (Object.keys(DEFAULT_TRAIN_CONFIG) as (keyof TrainConfig)[]).map((f) => ({
  id: `config.${f}`,
  label: FIELD_LABELS[f],
  title: f,
  group: 'Configuration',
  sort: `config.${f}` as RunSortKey,
  numeric: typeof DEFAULT_TRAIN_CONFIG[f] === 'number',
  width: f === 'hidden' ? '8rem' : '5rem',
  text: (r: RunPageRow) => configText(r.config[f]),
}));

/** The archive's own columns, shown before the chosen ones while History shows the archive. */
const ARCHIVE_COLUMNS: RunColumn[] = [
  { id: 'archivedAt', label: 'Deleted', title: 'When it was moved to the archive', group: 'Run', sort: 'archivedAt', numeric: false, width: '9rem', text: (r, now) => (r.archivedAt ? formatWhen(Date.parse(r.archivedAt), now) : '') },
  { id: 'purgedAt', label: 'Deleted for good', title: '30 days after it was moved to the archive', group: 'Run', sort: 'archivedAt', numeric: false, width: '10rem', text: (r) => (r.archivedAt ? absoluteTime(archiveEnds(r.archivedAt)) : '') },
];

/** Every column, in the chooser's order. */
export const ALL_COLUMNS: readonly RunColumn[] = [...RUN_COLUMNS, ...METRIC_COLUMNS, ...CONFIG_COLUMNS];
const BY_ID = new Map(ALL_COLUMNS.map((c) => [c.id, c]));

/** The table's columns until the user chooses others. */
export const DEFAULT_COLUMNS: readonly string[] = ['id', 'experiment', 'status', 'finalTestAccuracy', 'bestTestAccuracy', 'epochs', 'config.seed', 'summary', 'tags'];

/** The columns of these ids that exist, in the order given; the run id always comes first (then, in the archive, its dates). */
export function columnsOf(ids: readonly string[], archive = false): RunColumn[] {
  const known = ids.filter((id, i) => BY_ID.has(id) && ids.indexOf(id) === i && id !== 'id');
  return [BY_ID.get('id')!, ...(archive ? ARCHIVE_COLUMNS : []), ...known.map((id) => BY_ID.get(id)!)];
}

/**
 * A column's grid track and the least width it takes (rem): at least its own width, and wide enough
 * for its header with the sort arrow (semi-bold 14 px is about 0.56 rem a character).
 */
export function trackOf(c: RunColumn): { css: string; minRem: number } {
  const header = c.label.length * 0.56 + 1.6;
  const fixed = /^([\d.]+)rem$/.exec(c.width);
  if (fixed) {
    const rem = Math.max(Number(fixed[1]), header);
    return { css: `${rem.toFixed(2)}rem`, minRem: rem };
  }
  return { css: c.width, minRem: Number(/([\d.]+)rem/.exec(c.width)?.[1] ?? 6) };
}

/** Whether a value read back from storage is a list of column ids. */
export const isColumnList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
