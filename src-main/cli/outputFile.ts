import { existsSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../src-shared/errors';

/** What went wrong writing --out, in the user's words, by error code. */
const PROBLEMS: Record<string, (out: string) => string> = {
  EISDIR: (out) => `${out} is a folder. Give a file name, for example --out ${join(out, 'export.csv')}`,
  ENOENT: (out) => `the folder ${dirname(out)} does not exist. Create it first, or choose another folder`,
  ENOTDIR: (out) => `a part of ${out} is a file, not a folder. Choose a path made of folders`,
  EACCES: (out) => `permission denied on ${out}. Choose a location you can write to`,
  EPERM: (out) => `permission denied on ${out}. Choose a location you can write to`,
  EROFS: (out) => `${out} is on a read-only file system. Choose a writable location`,
  ENOSPC: (out) => `the disk holding ${out} is full. Free some space or choose another disk`,
  EDQUOT: (out) => `your disk quota is used up on ${out}. Free some space or choose another disk`,
  ENAMETOOLONG: (out) => `the path ${out} is too long. Choose a shorter one`,
};

/**
 * Writes an export to --out. A location that cannot be written is reported with the path and what
 * to do; a file this call created and could not finish (a full disk) is removed, not left half-written.
 */
export async function writeOutput(out: string, content: string | Uint8Array, flag = 'w'): Promise<void> {
  const existed = existsSync(out);
  try {
    await writeFile(out, content, { flag });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const problem = PROBLEMS[code];
    if (!problem) throw e;
    if (!existed && (code === 'ENOSPC' || code === 'EDQUOT')) rmSync(out, { force: true });
    throw new AppError('IO', `Cannot write the export (--out ${out}): ${problem(out)}. (${code})`, { cause: e });
  }
}
