import { createHash } from 'node:crypto';
import type { DatasetStatus } from '../../src-shared/dataset';

/**
 * The identity a run records for a cached dataset (dataset_sha256, and a model's metadata): the
 * archive's sha256 when it came from one, else the sha256 of its files' sha256s in name order.
 */
export function cacheSha256(status: DatasetStatus): string {
  return status.source?.archiveSha256 ?? createHash('sha256').update(status.files.map((f) => f.sha256).join()).digest('hex');
}
