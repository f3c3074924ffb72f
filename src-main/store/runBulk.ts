import type { BulkSkip } from '../../src-shared/runs';
import type { Store } from './store';

const unique = (ids: readonly number[]): number[] => [...new Set(ids)];

/**
 * Adds and removes tags on many runs (the History bulk bar) in one transaction; ids of runs that do
 * not exist are skipped. Returns the runs changed.
 */
export function tagRuns(store: Store, ids: readonly number[], change: { addTags?: readonly string[]; removeTags?: readonly string[] }): { changed: number[]; skipped: BulkSkip[] } {
  return store.db.transaction(() => {
    const changed: number[] = [];
    const skipped: BulkSkip[] = [];
    for (const id of unique(ids)) {
      if (!store.runs.get(id)) {
        skipped.push({ id, reason: 'no such run' });
        continue;
      }
      for (const t of change.addTags ?? []) store.tags.add('run', id, t);
      for (const t of change.removeTags ?? []) store.tags.remove('run', id, t);
      changed.push(id);
    }
    return { changed, skipped };
  }).immediate();
}

/**
 * Deletes runs with their epochs, confusion matrices and tags in one transaction; a running run is
 * skipped (cancel it first) and so is an id that names no run. Runs re-queued from a deleted run keep
 * their history (requeued_from becomes NULL); the experiment stays. Returns the deleted ids (their
 * files go next).
 */
export function deleteRuns(store: Store, ids: readonly number[]): { deleted: number[]; skipped: BulkSkip[] } {
  return store.db.transaction(() => {
    const deleted: number[] = [];
    const skipped: BulkSkip[] = [];
    const dropTags = store.db.prepare<[number]>("DELETE FROM tags WHERE entity = 'run' AND entity_id = ?");
    for (const id of unique(ids)) {
      // as readers see it: a run whose process died is interrupted, and can go
      const row = store.runs.read(id);
      if (!row) skipped.push({ id, reason: 'no such run' });
      else if (row.status === 'running') skipped.push({ id, reason: 'it is running: cancel it first' });
      else {
        dropTags.run(id);
        store.runs.delete(id);
        deleted.push(id);
      }
    }
    return { deleted, skipped };
  }).immediate();
}
