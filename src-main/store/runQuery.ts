import { DEFAULT_TRAIN_CONFIG, LATER_FIELD_DEFAULTS } from '../../src-shared/config';
import type { RunPageQuery } from '../../src-shared/runs';
import { searchSql } from './runSearchSql';

/**
 * The status a reader sees: a running run whose lease ran out is interrupted (its process died),
 * whether or not a runner has written so yet. `now` is a millisecond timestamp (never request data).
 */
export function effectiveStatusSql(now: number): string {
  return `(CASE WHEN status = 'running' AND lease_until < ${Math.trunc(now)} THEN 'interrupted' ELSE status END)`;
}

/** A WHERE term matching runs by the status readers see (see effectiveStatusSql), keeping the status index usable. */
export function statusFilterSql(status: string, now: number): { sql: string; params: (string | number)[] } {
  if (status === 'running') return { sql: "(status = 'running' AND (lease_until IS NULL OR lease_until >= ?))", params: [now] };
  if (status === 'interrupted') return { sql: "(status = 'interrupted' OR (status = 'running' AND lease_until < ?))", params: [now] };
  return { sql: 'status = ?', params: [status] };
}

/** A metric of the run's last epoch (a finite number, else NULL), looked up by primary key. */
const lastEpoch = (column: string): string =>
  `(SELECT CASE WHEN typeof(e.${column}) = 'real' AND abs(e.${column}) <= 1.7976931348623157e308 THEN e.${column} END FROM epochs e WHERE e.run_id = runs.id ORDER BY e.epoch DESC LIMIT 1)`;

/** Sortable columns, mapped to SQL; nothing from the request is ever spliced into SQL but these. */
const SORT_SQL: Record<Exclude<RunPageQuery['sort'], 'status' | 'duration' | `config.${string}`>, string> = {
  id: 'id',
  seed: 'seed',
  experiment: 'experiment_id',
  finalTestAccuracy: "CASE WHEN typeof(final_test_accuracy) = 'real' THEN final_test_accuracy END",
  bestTestAccuracy: "CASE WHEN typeof(best_test_accuracy) = 'real' THEN best_test_accuracy END",
  epochsDone: 'epochs_done',
  createdAt: 'created_at',
  archivedAt: 'archived_at',
  finalTestLoss: "CASE WHEN typeof(final_test_loss) = 'real' THEN final_test_loss END",
  bestEpoch: 'best_epoch',
  finalTrainLoss: lastEpoch('train_loss'),
  finalTrainAccuracy: lastEpoch('train_accuracy'),
  finalObjective: lastEpoch('objective'),
  trainSeconds: '(SELECT TOTAL(e.seconds) FROM epochs e WHERE e.run_id = runs.id)',
};

/** The SQL a sort key orders by: a column, a last-epoch metric, the wall time or a config value. */
function sortSql(sort: RunPageQuery['sort'], now: number): string {
  if (sort === 'status') return effectiveStatusSql(now);
  // started → finished (or now, while it runs); NULL for a run that never started
  if (sort === 'duration') return `(julianday(COALESCE(finished_at, '${new Date(now).toISOString()}')) - julianday(started_at))`;
  if (sort.startsWith('config.')) {
    const field = sort.slice('config.'.length) as keyof typeof DEFAULT_TRAIN_CONFIG;
    if (!(field in DEFAULT_TRAIN_CONFIG)) return 'id';
    const later = LATER_FIELD_DEFAULTS[field];
    const value = `json_extract(config_json, '$.${field}')`;
    return later === undefined ? value : `COALESCE(${value}, '${String(later)}')`;
  }
  return SORT_SQL[sort as keyof typeof SORT_SQL] ?? 'id';
}

/**
 * WHERE clause and parameters for a page of runs: status (as readers see it at `now`), experiment,
 * tag, the History search (free text against what the table shows, `field:value` terms: see
 * runSearchSql) and an exact config value (`json_extract` on a known field).
 */
export function runQuerySql(q: RunPageQuery, now = Date.now()): { where: string; params: (string | number)[]; order: string } {
  // the archive (runs deleted in History) is a table of its own to readers
  const where: string[] = [q.archived ? 'archived_at IS NOT NULL' : 'archived_at IS NULL'];
  const params: (string | number)[] = [];
  if (q.status) {
    const status = statusFilterSql(q.status, now);
    where.push(status.sql);
    params.push(...status.params);
  }
  if (q.experimentId) {
    where.push('experiment_id = ?');
    params.push(q.experimentId);
  }
  if (q.tag) {
    where.push("EXISTS (SELECT 1 FROM tags t WHERE t.entity = 'run' AND t.entity_id = runs.id AND t.tag = ?)");
    params.push(q.tag);
  }
  if (q.search) {
    const search = searchSql(q.search, effectiveStatusSql(now), (status) => statusFilterSql(status, now));
    where.push(...search.sql);
    params.push(...search.params);
  }
  if (q.configField && q.configValue !== undefined && q.configField in DEFAULT_TRAIN_CONFIG) {
    // a config stored before a field existed counts as holding that field's default
    const later = LATER_FIELD_DEFAULTS[q.configField];
    const value = `json_extract(config_json, '$.${q.configField}')`;
    where.push(`CAST(${later === undefined ? value : `COALESCE(${value}, ?)`} AS TEXT) = ?`);
    if (later !== undefined) params.push(String(later));
    params.push(q.configValue);
  }
  const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
  const sort = sortSql(q.sort, now);
  return { where: `WHERE ${where.join(' AND ')}`, params, order: `ORDER BY ${sort} ${dir} NULLS LAST, id ${dir}` };
}
