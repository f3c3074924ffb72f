/** Short reasons, in words, for the file-system error codes a user can meet (full disk, read-only, …). */
const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'it is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * A short reason for a file-system error (by its code: ENOSPC, EROFS, …), or null for codes without
 * one; one table so the CLI and the store word the same failure the same way.
 */
export function fsReason(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (FS_REASONS[code] ?? null) : null;
}
