import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { constants, copyFileSync, linkSync, rmSync } from 'node:fs';
import { migrate, type NewerSchema } from './migrations';

const isCode = (e: unknown, ...codes: string[]): boolean => codes.includes((e as NodeJS.ErrnoException).code ?? '');

/**
 * Creates a new database at `path` whole: it is built (WAL mode, full schema) under a temporary
 * name beside it and then hard-linked into place, which fails if the name exists. So `path` never
 * exists half-made, a process starting at the same moment either finds nothing or the finished
 * file, and an empty or truncated file found there is always damage, never a database being born.
 * If another process got there first, its file is kept and ours discarded.
 */
export function createDatabase(path: string, newer: NewerSchema, nativeBinding?: string): void {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.creating`;
  try {
    const db = new Database(temporary, nativeBinding ? { nativeBinding } : {});
    try {
      db.pragma('journal_mode = WAL');
      migrate(db, newer);
    } finally {
      db.close(); // checkpoints and removes the -wal and -shm files: the file alone is the database
    }
    try {
      linkSync(temporary, path);
    } catch (e) {
      if (isCode(e, 'EEXIST')) return;
      if (!isCode(e, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV')) throw e;
      // a file system without hard links: an exclusive copy still never replaces another's file
      try {
        copyFileSync(temporary, path, constants.COPYFILE_EXCL);
      } catch (copyError) {
        if (!isCode(copyError, 'EEXIST')) throw copyError;
      }
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${temporary}${suffix}`, { force: true });
  }
}
