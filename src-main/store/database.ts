import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

/** The database file in the home folder. */
export const DB_FILE = 'workbench.sqlite';

/**
 * Opens (creating if needed) the workbench database and brings its schema up to date.
 *
 * - WAL: readers (the UI) never block the runner's writes.
 * - synchronous = FULL: every commit is fsynced. Commits are few (one per finished epoch per run),
 *   and an epoch the UI has shown must survive a crash or a power cut, not only a killed process.
 * - foreign_keys = ON and a 5 s busy timeout, for the CLI and the app sharing one file.
 * `nativeBinding` points Electron at its own build of better-sqlite3 (see scripts/electronNative.mjs).
 */
export function openDatabase(path: string, nativeBinding?: string): Db {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  try {
    refuseNewer(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Checked before any pragma that writes, so a newer database's file is not modified at all. */
function refuseNewer(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new AppError(
      'IO',
      `The database ${db.name} has schema version ${current}, newer than this app understands (${SCHEMA_VERSION}). Update the app; the file was left untouched.`,
    );
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/**
 * Metrics may be NaN (a diverged run). SQLite stores NaN as NULL, so NaN is written as the text
 * 'NaN' (±Infinity are stored as real infinities) and decoded back on read.
 */
export function metricToDb(v: number | null | undefined): number | string | null {
  if (v === null || v === undefined) return null;
  return Number.isNaN(v) ? 'NaN' : v;
}

export function metricFromDb(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (v === 'NaN') return NaN;
  return Number(v);
}
