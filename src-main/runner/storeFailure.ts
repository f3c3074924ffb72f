import type { StoreFailureEvent, StoreFailureKind } from '../../src-shared/runs';

/** An error raised by SQLite (better-sqlite3's SqliteError carries SQLite's code, e.g. SQLITE_FULL). */
export function isStoreError(error: unknown): error is Error & { code: string } {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/** Which kind of failure a SQLite code stands for (extended codes such as SQLITE_IOERR_WRITE included). */
export function storeFailureKind(code: string): StoreFailureKind {
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'readonly';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  return 'other';
}

const CAUSE: Record<StoreFailureKind, (db: string, code: string) => string> = {
  full: (db) => `The disk or the database is full (${db})`,
  io: (db, code) => `The disk reported an I/O error (${code}) while writing the database ${db}`,
  readonly: (db) => `The database ${db} cannot be written (a read-only file or folder)`,
  locked: (db) => `The database ${db} stayed locked by another process`,
  damaged: (db) => `The database ${db} is damaged`,
  other: (db, code) => `The database ${db} refused a write (${code})`,
};

const REMEDY: Record<StoreFailureKind, string> = {
  full: 'Free some disk space, then resume the queue.',
  io: 'Check the disk, then resume the queue.',
  readonly: 'Make the file and its folder writable, then resume the queue.',
  locked: 'Close the other program using it, then resume the queue.',
  damaged: 'Restart the app to have the file checked before anything more is run.',
  other: 'Resume the queue to try again.',
};

export interface FailureContext {
  dbPath: string;
  /** What was being saved, e.g. "epoch 3 of run 12". */
  what: string;
  /**
   * The run that was stopped, with its saved epochs and whether its interrupted state could be
   * written; null when no run was concerned.
   */
  run: { id: number; experimentId: number; epochsSaved: number; marked: boolean } | null;
}

/** One sentence for the run's error field: what failed and what could not be saved. */
export function failureReason(error: Error & { code: string }, ctx: Pick<FailureContext, 'dbPath' | 'what'>): string {
  return `${CAUSE[storeFailureKind(error.code)](ctx.dbPath, error.code)}: ${ctx.what} could not be saved.`;
}

/** The event for a failed store write: what failed, where, what was kept and what to do. */
export function describeStoreFailure(error: Error & { code: string }, ctx: FailureContext, at = new Date()): StoreFailureEvent {
  const kind = storeFailureKind(error.code);
  const n = ctx.run?.epochsSaved ?? 0;
  const epochs = `its ${n} saved epoch${n === 1 ? ' is' : 's are'} kept`;
  const kept = !ctx.run
    ? ' Everything saved before is kept.'
    : ctx.run.marked
      ? ` Run ${ctx.run.id} was stopped and marked interrupted; ${epochs}.`
      : ` Run ${ctx.run.id} was stopped; it could not be marked interrupted either, so it shows as interrupted once its lease runs out; ${epochs}.`;
  const message = `${failureReason(error, ctx)}${kept} The queue is paused. ${REMEDY[kind]}`;
  return { kind, code: error.code, message, runId: ctx.run?.id ?? null, experimentId: ctx.run?.experimentId ?? null, at: at.toISOString() };
}
