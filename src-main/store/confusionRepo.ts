import type { Db } from './database';

/** The test confusion matrix of each run's latest completed epoch. */
export class ConfusionRepo {
  private readonly upsertStmt;
  private readonly getStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare<[number, number, string]>(
      'INSERT INTO confusion (run_id, epoch, matrix_json) VALUES (?, ?, ?) ON CONFLICT(run_id) DO UPDATE SET epoch = excluded.epoch, matrix_json = excluded.matrix_json',
    );
    this.getStmt = db.prepare<[number], { epoch: number; matrix_json: string }>('SELECT epoch, matrix_json FROM confusion WHERE run_id = ?');
  }

  upsert(runId: number, epoch: number, matrix: number[]): void {
    this.upsertStmt.run(runId, epoch, JSON.stringify(matrix));
  }

  get(runId: number): { epoch: number; matrix: number[] } | null {
    const row = this.getStmt.get(runId);
    return row ? { epoch: row.epoch, matrix: JSON.parse(row.matrix_json) as number[] } : null;
  }
}
