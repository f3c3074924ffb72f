import { statSync } from 'node:fs';
import { AppError } from '../../src-shared/errors';

/** The refusal to replace an existing --out file without --force: names the file and what to do. */
export function overwriteRefused(out: string): AppError {
  return new AppError('VALIDATION', `${out} already exists; nothing was written. Add --force to overwrite it, or choose another --out`);
}

/**
 * Checks --out before any work is done: an existing file is refused unless --force. Returns the flag
 * to write it with: exclusive ('wx') without --force, so a file that appears meanwhile is not
 * overwritten either (see asOverwriteRefusal). A folder is left to the write, which says it is one.
 */
export function outFlag(out: string | undefined, force: boolean): 'w' | 'wx' {
  if (out === undefined || force) return 'w';
  let isFolder: boolean;
  try {
    isFolder = statSync(out).isDirectory();
  } catch {
    return 'wx'; // absent, or not reachable: the write says which
  }
  if (isFolder) return 'w';
  throw overwriteRefused(out);
}

/** Turns the exclusive write's EEXIST into overwriteRefused; other errors pass through. */
export function asOverwriteRefusal(out: string): (e: unknown) => never {
  return (e) => {
    throw (e as NodeJS.ErrnoException).code === 'EEXIST' ? overwriteRefused(out) : e;
  };
}
