import { completeStoredConfig, type TrainConfig } from '../../src-shared/config';
import { shapeOf, WALL_MIN_EPOCHS, type TimingSample } from '../../src-shared/estimate/runTime';
import type { Db } from './database';

/** The most recent runs the estimate learns from: this machine as it is now, not years of history. */
const RECENT_RUNS = 2000;

interface SampleRow {
  kernel: string;
  config: string;
  epochs: number;
  seconds: number;
  /** Seconds of the run's first epoch (0 when it has none stored). */
  first: number;
  has_first: number;
  wall: number | null;
}

interface PendingRow {
  id: number;
  experiment_id: number;
  name: string;
  status: 'queued' | 'running' | 'waiting';
  config: string;
  epochs_done: number;
}

/** A run still to train, in queue order (running first). */
export interface PendingRun {
  id: number;
  experimentId: number;
  experimentName: string;
  status: 'queued' | 'running' | 'waiting';
  config: TrainConfig;
  epochsDone: number;
}

/**
 * What the time estimates read from the history: measured epochs per shape and kernel (diverged
 * runs left out, their last epoch being cut short), with and without each run's first epoch, and the
 * runs still to train. A run's wall time
 * counts only for runs that ended finished in one go outside ASHA sweeps (a resumed run or one
 * held at a rung waited between its epochs).
 */
export class TimingQuery {
  private readonly samplesStmt;
  private readonly pendingStmt;

  constructor(db: Db) {
    this.samplesStmt = db.prepare<[number], SampleRow>(
      `SELECT r.kernel, r.config_json AS config,
         (SELECT COUNT(*) FROM epochs e WHERE e.run_id = r.id) AS epochs,
         (SELECT TOTAL(seconds) FROM epochs e WHERE e.run_id = r.id) AS seconds,
         (SELECT TOTAL(seconds) FROM epochs e WHERE e.run_id = r.id AND e.epoch = 1) AS first,
         (SELECT COUNT(*) FROM epochs e WHERE e.run_id = r.id AND e.epoch = 1) AS has_first,
         CASE WHEN r.status = 'finished' AND r.resumes = 0 AND r.started_at IS NOT NULL AND r.finished_at IS NOT NULL
                AND x.spec_json NOT LIKE '%"asha"%'
              THEN (julianday(r.finished_at) - julianday(r.started_at)) * 86400 END AS wall
       FROM runs r JOIN experiments x ON x.id = r.experiment_id
       WHERE r.kernel IS NOT NULL AND r.status != 'diverged' AND r.epochs_done > 0
       ORDER BY r.id DESC LIMIT ?`,
    );
    this.pendingStmt = db.prepare<[], PendingRow>(
      `SELECT r.id, r.experiment_id, x.name, r.status, r.config_json AS config, r.epochs_done
       FROM runs r JOIN experiments x ON x.id = r.experiment_id
       WHERE r.status IN ('queued','running','waiting')
       ORDER BY r.status != 'running', x.priority DESC, r.id`,
    );
  }

  /** Measured epochs of recent runs, summed per kernel and shape. */
  samples(): TimingSample[] {
    const byKey = new Map<string, TimingSample>();
    for (const row of this.samplesStmt.iterate(RECENT_RUNS)) {
      let config: TrainConfig;
      try {
        config = completeStoredConfig(JSON.parse(row.config) as TrainConfig);
      } catch {
        continue; // a config no longer readable teaches nothing
      }
      const shape = shapeOf(config);
      const key = JSON.stringify([row.kernel, shape]);
      const s = byKey.get(key) ?? { ...shape, kernel: row.kernel, epochs: 0, seconds: 0, steadyEpochs: 0, steadySeconds: 0, wallRuns: 0, wallSeconds: 0, wallEpochs: 0 };
      s.epochs += row.epochs;
      s.seconds += row.seconds;
      s.steadyEpochs += row.epochs - row.has_first;
      s.steadySeconds += row.seconds - row.first;
      if (row.wall !== null && row.wall > 0 && row.epochs >= WALL_MIN_EPOCHS) {
        s.wallRuns += 1;
        s.wallSeconds += row.wall;
        s.wallEpochs += row.epochs;
      }
      byKey.set(key, s);
    }
    return [...byKey.values()];
  }

  /** Running, queued and waiting runs, in the order the runner takes them. */
  pending(): PendingRun[] {
    return this.pendingStmt.all().map((r) => ({
      id: r.id,
      experimentId: r.experiment_id,
      experimentName: r.name,
      status: r.status,
      config: completeStoredConfig(JSON.parse(r.config) as TrainConfig),
      epochsDone: r.epochs_done,
    }));
  }
}
