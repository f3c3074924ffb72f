import type { Db } from './database';

/**
 * One schema step. `rebuildsTables` marks a step that drops and recreates tables others point at:
 * it runs with foreign key enforcement off (a DROP TABLE would otherwise cascade into the children),
 * and PRAGMA foreign_key_check must find nothing before its transaction commits.
 */
export interface Migration {
  version: number;
  sql: string;
  rebuildsTables?: boolean;
  /** Schema work SQL text alone cannot say (it reads the schema as it is), run before `sql`. */
  before?: (db: Db) => void;
}

/**
 * Numbered schema migrations. The database records the version it is at in PRAGMA user_version;
 * opening runs every newer migration (see migrate), and refuses a database written by a newer
 * version of the app. Never edit a released migration: add the next number.
 */
export const MIGRATIONS: Migration[] = [
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
  {
    // ids are never reused (a deleted experiment 5 must not come back as another experiment 5, nor its
    // runs' ids, which also name their model and checkpoint files): AUTOINCREMENT on both tables, which
    // SQLite only allows by rebuilding them. Same columns in the same order, every row and index kept.
    version: 3,
    rebuildsTables: true,
    sql: `
      CREATE TABLE experiments_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        spec_json TEXT NOT NULL,
        client_request_id TEXT UNIQUE,
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      INSERT INTO experiments_v3 (id, name, description, spec_json, client_request_id, notes, created_at)
        SELECT id, name, description, spec_json, client_request_id, notes, created_at FROM experiments;
      DROP TABLE experiments;
      ALTER TABLE experiments_v3 RENAME TO experiments;
      CREATE TABLE runs_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
        finished_at TEXT,
        resumes INTEGER NOT NULL DEFAULT 0,
        resumed_epoch INTEGER,
        resume_note TEXT
      );
      INSERT INTO runs_v3 SELECT id, experiment_id, config_json, config_hash, seed, repeat_index, requeued_from, status, error,
        diverged_epoch, epochs_done, final_test_accuracy, final_test_loss, best_test_accuracy, best_epoch, app_version,
        dataset_sha256, kernel, lease_owner, lease_until, notes, created_at, started_at, finished_at, resumes, resumed_epoch,
        resume_note FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_v3 RENAME TO runs;
      CREATE INDEX runs_by_experiment ON runs(experiment_id);
      CREATE INDEX runs_by_status ON runs(status, id);
    `,
  },
  {
    // deleting a run makes SQLite find the runs re-queued from it (ON DELETE SET NULL): without an
    // index that is a scan of the whole table per deleted run, and deleting a 10,000-run experiment
    // took 8–17 s; with it, well under a second
    version: 4,
    sql: `
      CREATE INDEX runs_by_requeued_from ON runs(requeued_from);
    `,
  },
  {
    // ASHA sweeps (issue 14): a run waits at a rung for its configuration's decision ('waiting') or
    // is stopped there ('pruned', at pruned_epoch); asha_decisions keeps each decision, which stands
    version: 5,
    rebuildsTables: true,
    before: (db) => allowStatuses(db, ['queued', 'running', 'finished', 'failed', 'cancelled', 'diverged', 'interrupted', 'waiting', 'pruned']),
    sql: `
      ALTER TABLE runs ADD COLUMN pruned_epoch INTEGER;
      CREATE TABLE asha_decisions (
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        config_hash TEXT NOT NULL,
        rung INTEGER NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('promoted','pruned')),
        value REAL,
        rank INTEGER NOT NULL,
        of INTEGER NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (experiment_id, config_hash, rung)
      ) WITHOUT ROWID;
    `,
  },
  {
    // a sweep's priority (issue 13): queued runs of higher-priority experiments start first, here and
    // as BullMQ job priorities on the Redis queue
    version: 6,
    sql: `
      ALTER TABLE experiments ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // deleting runs in History moves them to an archive (issue 15): hidden from every reader, restorable
    // for 30 days, then deleted for good with their files; the partial index finds the archive alone
    version: 7,
    sql: `
      ALTER TABLE runs ADD COLUMN archived_at TEXT;
      CREATE INDEX runs_archived ON runs(archived_at) WHERE archived_at IS NOT NULL;
    `,
  },
];

/**
 * Rebuilds the runs table with another list of statuses in its CHECK, from the table's own CREATE
 * statement as it stands (whatever columns migrations added), keeping every row, index and the
 * highest id ever handed out (ids are never reused). SQLite cannot change a CHECK in place.
 */
function allowStatuses(db: Db, statuses: readonly string[]): void {
  const table = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get();
  const check = /CHECK \(status IN \([^)]*\)\)/;
  if (!table || !check.test(table.sql)) throw new Error('The runs table has no status CHECK to change; nothing was changed');
  const create = table.sql
    .replace(check, `CHECK (status IN (${statuses.map((s) => `'${s}'`).join(',')}))`)
    .replace(/^CREATE TABLE\s+("runs"|runs)/, 'CREATE TABLE runs_rebuilt');
  const indexes = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL").all();
  const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").get()?.seq ?? 0;
  db.exec(create);
  db.exec('INSERT INTO runs_rebuilt SELECT * FROM runs; DROP TABLE runs; ALTER TABLE runs_rebuilt RENAME TO runs;');
  for (const index of indexes) db.exec(index.sql);
  db.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'runs'").run(seq);
  if (seq > 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'runs', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'runs')").run(seq);
}

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Rows whose foreign key points at no row (PRAGMA foreign_key_check). */
function brokenReferences(db: Db): number {
  return (db.pragma('foreign_key_check') as unknown[]).length;
}

/** Thrown for a database written by a newer app: nothing in it may be changed. */
export type NewerSchema = (version: number) => Error;

/**
 * Brings the schema up to SCHEMA_VERSION in one BEGIN IMMEDIATE transaction. Two processes may open
 * the same database at once: the write lock is taken first and the version read again under it,
 * so the second one finds the work done instead of creating the tables a second time. Steps that
 * rebuild tables run with foreign keys off (restored afterwards) and may not leave any new broken
 * reference: the transaction is rolled back instead.
 */
export function migrate(db: Db, newer: NewerSchema): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const before = version();
  if (before === SCHEMA_VERSION) return;
  // foreign_keys cannot change inside a transaction: turn it off first if a step may rebuild tables
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  const rebuilds = MIGRATIONS.some((m) => m.version > before && m.rebuildsTables);
  if (rebuilds) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      const current = version();
      if (current > SCHEMA_VERSION) throw newer(current);
      const pending = MIGRATIONS.filter((m) => m.version > current);
      const checked = pending.some((m) => m.rebuildsTables);
      const brokenBefore = checked ? brokenReferences(db) : 0;
      for (const m of pending) {
        m.before?.(db);
        db.exec(m.sql);
      }
      const broken = checked ? brokenReferences(db) : 0;
      if (broken > brokenBefore) throw new Error(`Upgrading the schema would leave ${broken - brokenBefore} row(s) pointing at missing rows; nothing was changed`);
      if (pending.length) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  } finally {
    if (rebuilds && foreignKeys) db.pragma('foreign_keys = ON');
  }
}
