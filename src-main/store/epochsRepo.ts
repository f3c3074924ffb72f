import type { EpochMetrics } from '../../src-shared/metrics';
import type { RunLastEpoch } from '../../src-shared/runs';
import { metricFromDb, metricToDb, type Db } from './database';

interface EpochRow {
  epoch: number;
  train_loss: unknown;
  train_accuracy: unknown;
  objective: unknown;
  test_loss: unknown;
  test_accuracy: unknown;
  learning_rate: number;
  seconds: number;
}

/**
 * Per-epoch metrics of runs; NaN and ±Infinity survive the round trip. An epoch written again (a run
 * resumed from a checkpoint older than its history recomputes it) replaces the row.
 */
export class EpochsRepo {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly lastStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR REPLACE INTO epochs (run_id, epoch, train_loss, train_accuracy, objective, test_loss, test_accuracy, learning_rate, seconds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.listStmt = db.prepare<[number], EpochRow>('SELECT * FROM epochs WHERE run_id = ? ORDER BY epoch');
    this.lastStmt = db.prepare<[number], EpochRow>(
      'SELECT e.*, (SELECT TOTAL(seconds) FROM epochs t WHERE t.run_id = e.run_id) AS seconds FROM epochs e WHERE e.run_id = ? ORDER BY e.epoch DESC LIMIT 1',
    );
  }

  /** A run's last epoch with the seconds of all its epochs summed (primary-key lookups), or null before its first. */
  last(runId: number): RunLastEpoch | null {
    const r = this.lastStmt.get(runId);
    if (!r) return null;
    const finite = (v: unknown): number | null => {
      const x = metricFromDb(v);
      return x !== null && Number.isFinite(x) ? x : null;
    };
    return { trainLoss: finite(r.train_loss), trainAccuracy: finite(r.train_accuracy), objective: finite(r.objective), learningRate: finite(r.learning_rate), seconds: r.seconds };
  }

  insert(runId: number, m: EpochMetrics): void {
    this.insertStmt.run(runId, m.epoch, metricToDb(m.trainLoss), metricToDb(m.trainAccuracy), metricToDb(m.objective), metricToDb(m.testLoss), metricToDb(m.testAccuracy), m.learningRate, m.seconds);
  }

  list(runId: number): Omit<EpochMetrics, 'confusion'>[] {
    return this.listStmt.all(runId).map((r) => ({
      epoch: r.epoch,
      trainLoss: metricFromDb(r.train_loss)!,
      trainAccuracy: metricFromDb(r.train_accuracy)!,
      objective: metricFromDb(r.objective)!,
      testLoss: metricFromDb(r.test_loss)!,
      testAccuracy: metricFromDb(r.test_accuracy)!,
      learningRate: r.learning_rate,
      seconds: r.seconds,
    }));
  }
}
