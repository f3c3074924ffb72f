import type { Db } from './database';

/**
 * Numbered schema migrations. The database records the version it is at in PRAGMA user_version;
 * opening runs every newer migration (see migrate), and refuses a database written by a newer
 * version of the app. Never edit a released migration: add the next number.
 */
export const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE experiments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        spec_json TEXT NOT NULL,
        client_request_id TEXT UNIQUE,
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        config_json TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        seed INTEGER NOT NULL,
        repeat_index INTEGER NOT NULL,
        requeued_from INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        status TEXT NOT NULL CHECK (status IN ('queued','running','finished','failed','cancelled','diverged','interrupted')),
        error TEXT,
        diverged_epoch INTEGER,
        epochs_done INTEGER NOT NULL DEFAULT 0,
        final_test_accuracy REAL,
        final_test_loss REAL,
        best_test_accuracy REAL,
        best_epoch INTEGER,
        app_version TEXT NOT NULL,
        dataset_sha256 TEXT,
        kernel TEXT,
        lease_owner TEXT,
        lease_until INTEGER,
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX runs_by_experiment ON runs(experiment_id);
      CREATE INDEX runs_by_status ON runs(status, id);
      CREATE TABLE epochs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        train_loss REAL,
        train_accuracy REAL,
        objective REAL,
        test_loss REAL,
        test_accuracy REAL,
        learning_rate REAL NOT NULL,
        seconds REAL NOT NULL,
        PRIMARY KEY (run_id, epoch)
      ) WITHOUT ROWID;
      CREATE TABLE confusion (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        matrix_json TEXT NOT NULL
      );
      CREATE TABLE tags (
        entity TEXT NOT NULL CHECK (entity IN ('experiment','run')),
        entity_id INTEGER NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id, tag)
      ) WITHOUT ROWID;
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    // checkpoints and resume: how often a run was asked to continue, from which epoch it last did,
    // and why a checkpoint was refused (damaged, another config) if one was
    version: 2,
    sql: `
      ALTER TABLE runs ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN resumed_epoch INTEGER;
      ALTER TABLE runs ADD COLUMN resume_note TEXT;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Thrown for a database written by a newer app: nothing in it may be changed. */
export type NewerSchema = (version: number) => Error;

/**
 * Brings the schema up to SCHEMA_VERSION in one BEGIN IMMEDIATE transaction. Two processes may open
 * the same database at once: the write lock is taken first and the version read again under it,
 * so the second one finds the work done instead of creating the tables a second time.
 */
export function migrate(db: Db, newer: NewerSchema): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  if (version() === SCHEMA_VERSION) return;
  db.transaction(() => {
    const current = version();
    if (current > SCHEMA_VERSION) throw newer(current);
    const pending = MIGRATIONS.filter((m) => m.version > current);
    for (const m of pending) db.exec(m.sql);
    if (pending.length) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
