import type { AshaDecision, AshaTable } from '../../src-shared/search/asha';
import type { AshaMetric } from '../../src-shared/search/searchSpec';
import { metricFromDb, type Db } from './database';
import { effectiveStatusSql } from './runQuery';

/** Metric names to their epochs columns: nothing else is spliced into SQL. */
const COLUMN: Record<AshaMetric, string> = { testAccuracy: 'test_accuracy', testLoss: 'test_loss', trainLoss: 'train_loss', trainAccuracy: 'train_accuracy', objective: 'objective' };

/** The runs of an experiment that count: a run re-queued as a new attempt is history. */
const CURRENT = 'r.experiment_id = ? AND NOT EXISTS (SELECT 1 FROM runs a WHERE a.requeued_from = r.id)';

/** Statuses of a seed that is still to train. */
const LIVE = new Set(['queued', 'running', 'waiting']);

/**
 * The asha_decisions table (each promotion or pruning of a configuration at a rung, which stands) and
 * the moves of runs that only ASHA makes: running → waiting at a rung, waiting (or a run being
 * stopped there) → queued when its configuration is promoted, queued or waiting → pruned. Every move
 * is guarded by the status it leaves, like the runs repo's.
 */
export class AshaRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      spec: db.prepare<[number], { spec: string }>('SELECT spec_json AS spec FROM experiments WHERE id = ?'),
      decisions: db.prepare<[number], { config: string; rung: number; decision: 'promoted' | 'pruned'; value: number | null; rank: number; of: number }>(
        'SELECT config_hash AS config, rung, decision, value, rank, of FROM asha_decisions WHERE experiment_id = ? ORDER BY rung, decided_at',
      ),
      ofConfig: db.prepare<[number, string], { rung: number; decision: 'promoted' | 'pruned' }>('SELECT rung, decision FROM asha_decisions WHERE experiment_id = ? AND config_hash = ?'),
      record: db.prepare<[number, string, number, string, number | null, number, number, string]>('INSERT OR IGNORE INTO asha_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      waitingExperiments: db.prepare<[], { id: number }>("SELECT DISTINCT experiment_id AS id FROM runs WHERE status = 'waiting'"),
      park: db.prepare<[number]>("UPDATE runs SET status = 'waiting', lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'running'"),
      requeue: db.prepare<[number]>(
        "UPDATE runs SET status = 'queued', error = NULL, finished_at = NULL, lease_owner = NULL, lease_until = NULL, resumes = resumes + 1 WHERE id = ? AND status IN ('running','waiting')",
      ),
      prune: db.prepare<[number, string, string, number]>("UPDATE runs SET status = 'pruned', pruned_epoch = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('queued','waiting')"),
      markPruned: db.prepare<[number, number]>("UPDATE runs SET pruned_epoch = ? WHERE id = ? AND status = 'running'"),
      cancelWaiting: db.prepare<[string, number]>("UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'waiting'"),
    };
  }

  /** The experiment's spec as stored (JSON), or undefined when it no longer exists. */
  specJson(experimentId: number): string | undefined {
    return this.s.spec.get(experimentId)?.spec;
  }

  /** Experiments with runs waiting at a rung: the ones a decision may be due in. */
  waitingExperiments(): number[] {
    return this.s.waitingExperiments.all().map((r) => r.id);
  }

  /**
   * The experiment as ASHA sees it at `now`: its configurations (config hash, in the order of their
   * first run), the current attempt of every seed, each seed's `metric` at the rung epochs, and the
   * decisions made so far.
   */
  table(experimentId: number, metric: AshaMetric, rungs: readonly number[], now = Date.now()): AshaTable {
    const runs = this.db
      .prepare<[number], { config: string; seed: number; status: string; epochsDone: number; epochs: number }>(
        `SELECT r.config_hash AS config, r.seed, ${effectiveStatusSql(now)} AS status, r.epochs_done AS epochsDone,
           json_extract(r.config_json, '$.epochs') AS epochs FROM runs r WHERE ${CURRENT} ORDER BY r.id`,
      )
      .all(experimentId);
    const configs = new Map<string, number>();
    for (const r of runs) if (!configs.has(r.config)) configs.set(r.config, r.epochs);
    const points = this.db
      .prepare<[number, string], { config: string; seed: number; epoch: number; value: unknown }>(
        `SELECT r.config_hash AS config, r.seed, e.epoch, e.${COLUMN[metric]} AS value FROM runs r JOIN epochs e ON e.run_id = r.id
         WHERE ${CURRENT} AND e.epoch IN (SELECT value FROM json_each(?))`,
      )
      .all(experimentId, JSON.stringify(rungs))
      .map((p) => ({ config: p.config, seed: p.seed, epoch: p.epoch, value: metricFromDb(p.value) ?? NaN }));
    return {
      configs: [...configs].map(([key, epochs]) => ({ key, epochs })),
      seeds: runs.map((r) => ({ config: r.config, seed: r.seed, epochsDone: r.epochsDone, live: LIVE.has(r.status), diverged: r.status === 'diverged' })),
      points,
      decisions: this.decisions(experimentId),
    };
  }

  decisions(experimentId: number): AshaDecision[] {
    return this.s.decisions.all(experimentId).map((d) => ({ ...d, value: d.value ?? NaN }));
  }

  /** One configuration's decisions, by rung. */
  decisionsOf(experimentId: number, configHash: string): Map<number, 'promoted' | 'pruned'> {
    return new Map(this.s.ofConfig.all(experimentId, configHash).map((d) => [d.rung, d.decision]));
  }

  record(experimentId: number, d: AshaDecision, now: string): void {
    this.s.record.run(experimentId, d.config, d.rung, d.decision, Number.isFinite(d.value) ? d.value : null, d.rank, d.of, now);
  }

  /** A running run stopped at a rung waits there (no lease: no process holds it). */
  park(runId: number): boolean {
    return this.s.park.run(runId).changes > 0;
  }

  /** A waiting run (or one being stopped at a rung) goes back to the queue, to continue from its checkpoint. */
  requeue(runId: number): boolean {
    return this.s.requeue.run(runId).changes > 0;
  }

  /** A queued or waiting run ends pruned at `rung`, with the reason. */
  prune(runId: number, rung: number, reason: string, now: string): boolean {
    return this.s.prune.run(rung, reason, now, runId).changes > 0;
  }

  /** The rung a running run is being stopped at (its status follows when its worker stops). */
  markPruned(runId: number, rung: number): void {
    this.s.markPruned.run(rung, runId);
  }

  cancelWaiting(runId: number, now: string): boolean {
    return this.s.cancelWaiting.run(now, runId).changes > 0;
  }
}
