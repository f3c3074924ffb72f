import { ARCHIVE_DAYS, TERMINAL_STATUSES, type BulkSkip, type RunStatus } from '../../src-shared/runs';
import { AppError } from '../../src-shared/errors';
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
 * Moves runs to the archive (History's Delete) in one transaction: hidden from every reader and
 * restorable for ARCHIVE_DAYS, their metrics and files kept meanwhile. A run that has not ended is
 * skipped (cancel it first: the API cancels queued ones before), as is one already in the archive.
 */
export function archiveRuns(store: Store, ids: readonly number[], when = new Date()): { archived: number[]; skipped: BulkSkip[] } {
  return store.db.transaction(() => {
    const archived: number[] = [];
    const skipped: BulkSkip[] = [];
    for (const id of unique(ids)) {
      // as readers see it: a run whose process died is interrupted, and can go
      const row = store.runs.read(id);
      if (!row) skipped.push({ id, reason: 'no such run' });
      else if (row.archived_at) skipped.push({ id, reason: 'it is in the archive already' });
      else if (!TERMINAL_STATUSES.includes(row.status as RunStatus)) skipped.push({ id, reason: `it is ${row.status}: cancel it first` });
      else if (store.runs.archive(id, when.toISOString())) archived.push(id);
    }
    return { archived, skipped };
  }).immediate();
}

/** Brings runs back from the archive, as they were. */
export function restoreRuns(store: Store, ids: readonly number[]): { restored: number[]; skipped: BulkSkip[] } {
  return store.db.transaction(() => {
    const restored: number[] = [];
    const skipped: BulkSkip[] = [];
    for (const id of unique(ids)) {
      if (store.runs.restore(id)) restored.push(id);
      else skipped.push({ id, reason: store.runs.get(id) ? 'it is not in the archive' : 'no such run (deleted for good?)' });
    }
    return { restored, skipped };
  }).immediate();
}

/**
 * Deletes runs of the archive for good, with their epochs, confusion matrices and tags, in one
 * transaction; a run not in the archive is skipped (delete it first). Runs re-queued from a deleted
 * run keep their history (requeued_from becomes NULL); an experiment left with no run at all goes
 * too (one deleted in History, its archive over). Returns the deleted ids (their files go next).
 */
export function purgeRuns(store: Store, ids: readonly number[]): { deleted: number[]; skipped: BulkSkip[] } {
  return store.db.transaction(() => {
    const deleted: number[] = [];
    const skipped: BulkSkip[] = [];
    const experiments = new Set<number>();
    const dropTags = store.db.prepare<[number]>("DELETE FROM tags WHERE entity = 'run' AND entity_id = ?");
    for (const id of unique(ids)) {
      const row = store.runs.get(id);
      if (!row) skipped.push({ id, reason: 'no such run' });
      else if (!row.archived_at) skipped.push({ id, reason: 'it is not in the archive: delete it first' });
      else {
        dropTags.run(id);
        store.runs.delete(id);
        deleted.push(id);
        experiments.add(row.experiment_id);
      }
    }
    const empty = store.db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM runs WHERE experiment_id = ?');
    for (const id of experiments) if (empty.get(id)!.n === 0) store.deleteExperiment(id);
    return { deleted, skipped };
  }).immediate();
}

/**
 * History's Delete of a whole experiment: every run of it goes to the archive (restorable for
 * ARCHIVE_DAYS, then deleted for good with the experiment), in one transaction. Runs still queued
 * or waiting must be cancelled before (the API does); a running one refuses the whole delete.
 */
export function archiveExperiment(store: Store, id: number, when = new Date()): { archived: number[] } {
  return store.db.transaction(() => {
    if (!store.experiments.get(id)) throw new AppError('NOT_FOUND', `No experiment ${id}`);
    // an experiment left with no run at all (its last one purged before this rule) has nothing to keep
    if (store.db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM runs WHERE experiment_id = ?').get(id)!.n === 0) {
      store.deleteExperiment(id);
      return { archived: [] };
    }
    const ids = store.runIds(id);
    const { archived, skipped } = archiveRuns(store, ids, when);
    const busy = skipped.filter((s) => s.reason !== 'it is in the archive already');
    if (busy.length) throw new AppError('VALIDATION', `Experiment ${id} has ${busy.length} run(s) that have not ended (run ${busy[0].id}: ${busy[0].reason}); cancel them before deleting it`);
    return { archived };
  }).immediate();
}

/**
 * Deletes for good the runs whose ARCHIVE_DAYS in the archive are over at `now`, and experiments
 * with no run at all (databases from before an experiment went with its last run); returns the
 * runs' ids.
 */
export function purgeExpired(store: Store, now = Date.now()): number[] {
  const ids = store.runs.archivedBefore(new Date(now - ARCHIVE_DAYS * 86_400_000).toISOString());
  const deleted = ids.length ? purgeRuns(store, ids).deleted : [];
  const empty = store.db.prepare<[], { id: number }>('SELECT id FROM experiments x WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.experiment_id = x.id)').all();
  for (const { id } of empty) store.deleteExperiment(id);
  return deleted;
}
