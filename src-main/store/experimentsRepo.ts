import type { Db } from './database';

export interface ExperimentRow {
  id: number;
  name: string;
  description: string;
  spec_json: string;
  client_request_id: string | null;
  notes: string;
  created_at: string;
  /** Higher starts first (migration 6). */
  priority: number;
}

/** The experiments table: one row per submitted sweep. */
export class ExperimentsRepo {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byRequestStmt;
  private readonly listStmt;
  private readonly countsStmt;
  private readonly notesStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string | null, string, number]>(
      'INSERT INTO experiments (name, description, spec_json, client_request_id, created_at, priority) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.byIdStmt = db.prepare<[number], ExperimentRow>('SELECT * FROM experiments WHERE id = ?');
    this.byRequestStmt = db.prepare<[string], ExperimentRow>('SELECT * FROM experiments WHERE client_request_id = ?');
    // an experiment all of whose runs are in the archive (History's Delete) is listed no more
    this.listStmt = db.prepare<[number, number], ExperimentRow>(
      'SELECT * FROM experiments x WHERE EXISTS (SELECT 1 FROM runs r WHERE r.experiment_id = x.id AND r.archived_at IS NULL) ORDER BY id DESC LIMIT ? OFFSET ?',
    );
    this.countsStmt = db.prepare<[number], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM runs WHERE experiment_id = ? GROUP BY status');
    this.notesStmt = db.prepare<[string, number]>('UPDATE experiments SET notes = ? WHERE id = ?');
    this.deleteStmt = db.prepare<[number]>('DELETE FROM experiments WHERE id = ?');
  }

  insert(name: string, description: string, specJson: string, clientRequestId: string | null, createdAt: string, priority = 0): number {
    return Number(this.insertStmt.run(name, description, specJson, clientRequestId, createdAt, priority).lastInsertRowid);
  }

  get(id: number): ExperimentRow | undefined {
    return this.byIdStmt.get(id);
  }

  byClientRequest(id: string): ExperimentRow | undefined {
    return this.byRequestStmt.get(id);
  }

  list(limit: number, offset: number): ExperimentRow[] {
    return this.listStmt.all(limit, offset);
  }

  statusCounts(id: number): Record<string, number> {
    return Object.fromEntries(this.countsStmt.all(id).map((r) => [r.status, r.n]));
  }

  setNotes(id: number, notes: string): void {
    this.notesStmt.run(notes, id);
  }

  delete(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }
}
