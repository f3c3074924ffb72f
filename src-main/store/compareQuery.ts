import type { Metric } from '../../src-shared/aggregate';
import { classAccuracy, higherIsBetter, toWire, type CompareConfig, type CompareData, type CompareRun, type WireMoments } from '../../src-shared/compareData';
import { completeStoredConfig, type TrainConfig } from '../../src-shared/config';
import type { RunStatus } from '../../src-shared/runs';
import { momentsOf } from '../../src-shared/stats';
import { metricFromDb, type Db } from './database';
import { effectiveStatusSql } from './runQuery';

/** Metric names to their epochs columns: nothing from a request is spliced into SQL but these. */
const COLUMN: Record<Metric, string> = { testAccuracy: 'test_accuracy', testLoss: 'test_loss', trainLoss: 'train_loss', trainAccuracy: 'train_accuracy', objective: 'objective' };

/** A metric cell as a finite number, else NULL (NaN is stored as the text 'NaN'; ±Infinity as reals). */
const finite = (cell: string): string => `(CASE WHEN typeof(${cell}) IN ('real', 'integer') AND abs(${cell}) <= 1.7976931348623157e308 THEN ${cell} END)`;

/** What is compared: the runs of experiments, or hand-picked runs (History's "Compare selected"). */
export type CompareScope = { experimentIds: readonly number[] } | { runIds: readonly number[] };

/**
 * The SQL of a scope, its ids as one JSON array parameter (@ids): one prepared statement whatever
 * their number. `inScope` follows a runs table's alias (`r.` or nothing). A run re-queued as a new
 * attempt is history, the attempt stands for it (looked up by runs_by_requeued_from); among
 * hand-picked runs only an attempt also picked does, so a run picked alone is compared as itself.
 */
function scopeSql(scope: CompareScope): { inScope: string; attempt: string } {
  const byRuns = 'runIds' in scope;
  return {
    // runs in the archive (deleted in History) are compared by nobody, and supersede nothing
    inScope: `${byRuns ? 'id' : 'experiment_id'} IN (SELECT value FROM json_each(@ids)) AND archived_at IS NULL`,
    attempt: `s.requeued_from = r.id AND s.archived_at IS NULL${byRuns ? ' AND s.id IN (SELECT value FROM json_each(@ids))' : ''}`,
  };
}

/** A stored metric as it travels: null unless a finite number (JSON has no NaN or infinities). */
const num = (v: unknown): number | null => {
  const x = metricFromDb(v);
  return x !== null && Number.isFinite(x) ? x : null;
};

// (`+r.status` keeps SQLite on the experiment index instead of every finished run of the history;
// `v CROSS JOIN m` scans the rows once against the small per-epoch table instead of indexing the rows)

/**
 * The comparison of experiments' runs, aggregated by SQLite: per run its final and best value of
 * `metric` (looked up by index, one grouped pass over its epochs), per config hash and epoch the moments of `metric`
 * over finished runs that no newer attempt supersedes (two passes: the mean, exactly the value when all are equal, then the squared
 * deviations from it), and per config hash the confusion matrices summed. Nothing loads a run's
 * epochs into objects; a 10,000-run experiment of 20 epochs answers in a fraction of a second.
 */
export function compareQuery(db: Db, scope: CompareScope, metric: Metric, now = Date.now()): CompareData {
  const ids = { ids: JSON.stringify('runIds' in scope ? scope.runIds : scope.experimentIds) };
  const { inScope: IN_SCOPE, attempt } = scopeSql(scope);
  const NOT_SUPERSEDED = `NOT EXISTS (SELECT 1 FROM runs s WHERE ${attempt})`;
  const col = COLUMN[metric];
  const runs = db
    .prepare<[{ ids: string }], { id: number; experimentId: number; status: RunStatus; configHash: string; final: unknown; best: unknown; bestAcc: unknown; supersededBy: number | null }>(
      `SELECT r.id, r.experiment_id AS experimentId, ${effectiveStatusSql(now)} AS status, r.config_hash AS configHash,
         (SELECT MAX(s.id) FROM runs s WHERE ${attempt}) AS supersededBy,
         (SELECT e.${col} FROM epochs e WHERE e.run_id = r.id ORDER BY e.epoch DESC LIMIT 1) AS final, b.best, b.bestAcc
       FROM runs r LEFT JOIN (
         SELECT e.run_id, ${higherIsBetter(metric) ? 'MAX' : 'MIN'}(${finite(`e.${col}`)}) AS best, MAX(${finite('e.test_accuracy')}) AS bestAcc
         FROM epochs e WHERE e.run_id IN (SELECT id FROM runs WHERE ${IN_SCOPE}) GROUP BY e.run_id
       ) b ON b.run_id = r.id
       WHERE r.${IN_SCOPE} ORDER BY r.id`,
    )
    .all(ids)
    .map((r): CompareRun => ({
      id: r.id, experimentId: r.experimentId, status: r.status, configHash: r.configHash, final: num(r.final), best: num(r.best), bestTestAccuracy: num(r.bestAcc),
      supersededBy: r.supersededBy,
    }));

  const configs = new Map<string, CompareConfig>();
  for (const c of db
    .prepare<[{ ids: string }], { configHash: string; configJson: string }>(
      `SELECT config_hash AS configHash, config_json AS configJson, MIN(id) AS first FROM runs WHERE ${IN_SCOPE} GROUP BY config_hash ORDER BY first`,
    )
    .all(ids)) {
    configs.set(c.configHash, { configHash: c.configHash, config: completeStoredConfig(JSON.parse(c.configJson) as TrainConfig), epochs: [], confusion: null });
  }

  const moments = db.prepare<[{ ids: string }], { h: string; epoch: number; n: number; mean: number | null; lo: number | null; hi: number | null; m2: number }>(
    `WITH v AS MATERIALIZED (
       SELECT r.config_hash AS h, e.epoch AS epoch, ${finite(`e.${col}`)} AS x
       FROM runs r JOIN epochs e ON e.run_id = r.id
       WHERE r.${IN_SCOPE} AND +r.status = 'finished' AND ${NOT_SUPERSEDED}
     ), m AS MATERIALIZED (
       SELECT h, epoch, COUNT(x) AS n, CASE WHEN MIN(x) = MAX(x) THEN MIN(x) ELSE AVG(x) END AS mean, MIN(x) AS lo, MAX(x) AS hi
       FROM v GROUP BY h, epoch
     )
     SELECT m.h, m.epoch, m.n, m.mean, m.lo, m.hi, TOTAL((v.x - m.mean) * (v.x - m.mean)) AS m2
     FROM v CROSS JOIN m ON v.h = m.h AND v.epoch = m.epoch GROUP BY m.h, m.epoch`,
  );
  for (const row of moments.all(ids)) {
    const c = configs.get(row.h);
    if (!c) continue;
    const at: WireMoments = { n: row.n, mean: num(row.mean), m2: row.n ? row.m2 : 0, min: num(row.lo), max: num(row.hi) };
    while (c.epochs.length < row.epoch - 1) c.epochs.push(toWire(momentsOf([])));
    c.epochs[row.epoch - 1] = at;
  }

  // one row per finished run: summed here in one pass (100 integers each), in run order
  const confusion = new Map<string, { n: number; sum: number[]; perClass: number[][] }>();
  const matrices = db.prepare<[{ ids: string }], { h: string; matrix: string }>(
    `SELECT r.config_hash AS h, c.matrix_json AS matrix FROM confusion c JOIN runs r ON r.id = c.run_id
     WHERE r.${IN_SCOPE} AND +r.status = 'finished' AND ${NOT_SUPERSEDED} ORDER BY r.id`,
  );
  for (const row of matrices.iterate(ids)) {
    const m = JSON.parse(row.matrix) as unknown;
    if (!Array.isArray(m) || m.length !== 100) continue;
    const acc = confusion.get(row.h) ?? { n: 0, sum: new Array<number>(100).fill(0), perClass: Array.from({ length: 10 }, () => []) };
    acc.n += 1;
    for (let k = 0; k < 100; k++) acc.sum[k] += Number(m[k]);
    for (let k = 0; k < 10; k++) acc.perClass[k].push(classAccuracy(m as number[], k));
    confusion.set(row.h, acc);
  }
  for (const [h, acc] of confusion) {
    const c = configs.get(h);
    if (c) c.confusion = { n: acc.n, sum: acc.sum, perClass: acc.perClass.map((values) => toWire(momentsOf(values))) };
  }
  return { metric, runs, configs: [...configs.values()] };
}
