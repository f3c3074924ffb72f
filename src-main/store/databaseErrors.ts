import { dirname } from 'node:path';
import { fsReason } from '../../src-shared/fsReasons';
import { AppError } from '../../src-shared/errors';
import { diskIsFull } from './databaseFile';

/** An AppError with a name a caller can branch on (it travels in WireError.name). */
function named(name: string, message: string, cause?: unknown): AppError {
  const error = new AppError('IO', message, { cause });
  error.name = name;
  return error;
}

/** The file exists but is not a usable database: it is never opened for writing, let alone recreated. */
export function damagedDatabase(path: string, what: string, cause?: unknown): AppError {
  return named(
    'DatabaseDamaged',
    `The experiment database ${path} is damaged: ${what}. It was left exactly as it is. To keep its history, ` +
      'restore the file from a backup; to start a new, empty history instead, move it out of the way (for example ' +
      'rename it to workbench.damaged.sqlite) and start the workbench again.',
    cause,
  );
}

/** Why a database is open read-only when the disk is too full for SQLite to open it for writing. */
export const DISK_FULL = 'the disk holding it is full';

/** A write refused because the database was opened read-only (its folder or file is not writable, or the disk is full). */
export function readOnlyDatabase(path: string, why: string, cause?: unknown): AppError {
  const remedy =
    why === DISK_FULL
      ? 'free some space on that disk, then start the workbench again.'
      : `make ${dirname(path)} writable, or copy that folder somewhere writable and open the copy (--home or WORKBENCH_HOME).`;
  return named('DatabaseReadOnly', `Cannot save changes: the experiment database ${path} is open read-only (${why}). Viewing and exporting the history work; to change anything, ${remedy}`, cause);
}

/** No database yet, and none can be created where it belongs. */
export function cannotCreateDatabase(path: string, why: string, cause?: unknown): AppError {
  return named(
    'DatabaseUnavailable',
    `There is no experiment database at ${path} and none can be created there (${why}). Make the folder ` +
      'writable or free some space, or choose another home folder (--home or WORKBENCH_HOME).',
    cause,
  );
}

const sqliteCode = (error: unknown): string | null => {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
};

/**
 * Turns an error SQLite raised while serving a request into one that says what happened to which
 * file and what to do; anything else is returned unchanged. SQLite rolls back the statement or
 * transaction that failed, so in every case what was saved before is kept.
 */
export function explainDatabaseError(error: unknown, path: string, readOnlyWhy: string | null): unknown {
  // a write refused and already reported by the runner (its cause the SqliteError): read-only is the whole story
  const cause = error instanceof AppError ? error.cause : undefined;
  if (readOnlyWhy && sqliteCode(cause)?.startsWith('SQLITE_READONLY')) return readOnlyDatabase(path, readOnlyWhy, cause);
  const code = sqliteCode(error);
  if (!code) return error;
  if (code.startsWith('SQLITE_READONLY')) return readOnlyDatabase(path, readOnlyWhy ?? 'the file or its folder cannot be written', error);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damagedDatabase(path, `SQLite reports "${(error as Error).message}"`, error);
  if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && diskIsFull(path))) {
    return named('DiskFull', `The disk holding the experiment database ${path} is full: the request failed and nothing was changed (what was saved before is kept). Free some space and try again.`, error);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return named('DatabaseBusy', `The experiment database ${path} stayed locked by another process for 5 s: the request failed and nothing was changed. Try again, or close the other program using it.`, error);
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    return named('DatabaseIO', `The disk reported an error (${code}) on the experiment database ${path}: the request failed and nothing was changed. Check the disk and try again.`, error);
  }
  return named('DatabaseError', `The experiment database ${path} refused the request (${code}: ${(error as Error).message}).`, error);
}

/**
 * Why the database could not be opened, in the user's words: an AppError raised on purpose (damaged,
 * newer, no database in a read-only home) as it is, a file-system or SQLite error with the path,
 * the reason and what to do.
 */
export function cannotOpenDatabase(error: unknown, path: string): AppError {
  if (error instanceof AppError) return error;
  const code = sqliteCode(error) ?? (error as NodeJS.ErrnoException | null)?.code ?? '';
  const full = code === 'SQLITE_FULL' || code === 'ENOSPC' || diskIsFull(path);
  const reason = full ? 'the disk is full' : (fsReason(error) ?? `${code ? `${code}: ` : ''}${(error as Error | null)?.message ?? String(error)}`);
  const remedy = full ? 'Free some space' : `Check the file and the folder ${dirname(path)}`;
  return named('DatabaseUnavailable', `The experiment database ${path} could not be opened (${reason}). ${remedy}, then start the workbench again; nothing in it was changed.`, error);
}
