import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { createDatabase } from './createDatabase';
import { fsReason } from '../../src-shared/fsReasons';
import { cannotCreateDatabase, damagedDatabase, DISK_FULL } from './databaseErrors';
import { diskIsFull, fileDamage, notWritable, walHasFrames } from './databaseFile';
import { migrate, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

/** The database file in the home folder. */
export const DB_FILE = 'workbench.sqlite';

export interface OpenOptions {
  /** Electron's own build of better-sqlite3 (see scripts/electronNative.mjs). */
  nativeBinding?: string;
  /** Open read-only even where the file could be written (as it is opened where it cannot). */
  readOnly?: boolean;
}

export interface OpenedDatabase {
  db: Db;
  /** Why the database is open read-only; null when it is writable. */
  readOnly: string | null;
}

const newer = (path: string) => (version: number): AppError =>
  new AppError('IO', `The database ${path} has schema version ${version}, newer than this app understands (${SCHEMA_VERSION}). Update the app; the file was left untouched.`);

const sqliteCode = (e: unknown): string => String((e as { code?: unknown }).code ?? '');
const isDamage = (e: unknown): boolean => sqliteCode(e).startsWith('SQLITE_CORRUPT') || sqliteCode(e) === 'SQLITE_NOTADB';

/**
 * Opens the workbench database, creating it if there is none, and brings its schema up to date.
 *
 * - An existing file that is empty, truncated or not a database is reported damaged (with what to
 *   do) and never written to; a new database only ever appears complete (createDatabase).
 * - Where the file or its folder cannot be written (or `readOnly` is asked for), it is opened
 *   read-only: listing, run detail, compare and export work; writes fail with SQLITE_READONLY.
 * - WAL: readers (the UI) never block the runner's writes.
 * - synchronous = FULL: every commit is fsynced. Commits are few (one per finished epoch per run),
 *   and an epoch the UI has shown must survive a crash or a power cut, not only a killed process.
 * - foreign_keys = ON and a 5 s busy timeout, for the CLI and the app sharing one file.
 */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  try {
    if (!options.readOnly) mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    if (!existsSync(path)) throw cannotCreateDatabase(path, fsReason(e) ?? (e as Error).message, e);
  }
  const readOnly = options.readOnly ? 'read-only was asked for' : notWritable(path);
  const exists = existsSync(path);
  const damage = exists ? fileDamage(path) : null;
  if (damage) throw damagedDatabase(path, damage);
  if (readOnly) {
    if (!exists) throw cannotCreateDatabase(path, readOnly);
    return { db: openReadOnly(path, options.nativeBinding), readOnly };
  }
  try {
    if (!exists) createDatabase(path, newer(path), options.nativeBinding);
  } catch (e) {
    const full = sqliteCode(e) === 'SQLITE_FULL' || diskIsFull(path);
    throw cannotCreateDatabase(path, fsReason(e) ?? (full ? 'the disk is full' : (e as Error).message), e);
  }
  // fileMustExist: a file moved away meanwhile is not silently replaced by an empty one
  const db = new Database(path, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    checkReadable(db, path);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, newer(path));
  } catch (e) {
    db.close();
    if (isDamage(e)) throw damagedDatabase(path, `SQLite reports "${(e as Error).message}"`, e);
    // no room even for the -shm file: the history can still be viewed and exported
    if (!(e instanceof AppError) && diskIsFull(path)) return { db: openReadOnly(path, options.nativeBinding), readOnly: DISK_FULL };
    throw e;
  }
  return { db, readOnly: null };
}

/**
 * Reads the schema and the version before anything that writes: a damaged file fails here untouched,
 * and a newer database's file is not modified at all.
 */
function checkReadable(db: Db, path: string): number {
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw newer(path)(current);
  return current;
}

/**
 * Opens the file read-only. In a folder that cannot be written (or on a full disk), SQLite cannot
 * create the -shm file a WAL database needs; when the -wal file holds nothing, the main file holds
 * everything, so it is read into memory instead (its header marked rollback-journal in the copy
 * only; the file is not touched).
 */
function openReadOnly(path: string, nativeBinding?: string): Db {
  const binding = nativeBinding ? { nativeBinding } : {};
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, ...binding });
    db.pragma('user_version', { simple: true });
  } catch (e) {
    db?.close();
    if (isDamage(e)) throw damagedDatabase(path, `SQLite reports "${(e as Error).message}"`, e);
    // the -shm file could not be made: SQLITE_CANTOPEN on a read-only file system, SQLITE_READONLY_DIRECTORY
    // without permission, SQLITE_IOERR_SHMSIZE on a full disk
    if (!/^SQLITE_(CANTOPEN|READONLY|IOERR)/.test(sqliteCode(e))) throw e;
    if (walHasFrames(path)) {
      throw new AppError('IO', `The database ${path} cannot be opened read-only: its ${path}-wal file holds changes not yet merged into it, which SQLite cannot read without write access to the folder. Open it once where it can be written; nothing was changed.`, { cause: e });
    }
    const image = readFileSync(path);
    image[18] = 1;
    image[19] = 1;
    db = new Database(image, { readonly: true, ...binding });
  }
  try {
    const current = checkReadable(db, path);
    if (current < SCHEMA_VERSION) {
      throw new AppError('IO', `The database ${path} has schema version ${current} and needs upgrading to ${SCHEMA_VERSION}, which cannot be done while it is read-only. Open it once where it can be written; the file was left untouched.`);
    }
  } catch (e) {
    db.close();
    throw isDamage(e) ? damagedDatabase(path, `SQLite reports "${(e as Error).message}"`, e) : e;
  }
  return db;
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
