import type { RunPageQuery } from '../../src-shared/runs';
import type { Db } from './database';
import { effectiveStatusSql, runQuerySql, statusFilterSql } from './runQuery';
import { registerSearchFunctions } from './runSearchSql';

export interface RunRow {
  id: number;
  experiment_id: number;
  config_json: string;
  config_hash: string;
  seed: number;
  repeat_index: number;
  requeued_from: number | null;
  status: string;
  error: string | null;
  diverged_epoch: number | null;
  /** ASHA's rung where its configuration was pruned (migration 5). */
  pruned_epoch: number | null;
  epochs_done: number;
  final_test_accuracy: unknown;
  final_test_loss: unknown;
  best_test_accuracy: unknown;
  best_epoch: number | null;
  app_version: string;
  dataset_sha256: string | null;
  kernel: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  notes: string;
  resumes: number;
  resumed_epoch: number | null;
  resume_note: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** When it was deleted in History: in the archive, hidden from every reader, restorable (migration 7). */
  archived_at?: string | null;
}

export interface NewRun {
  experimentId: number;
  configJson: string;
  configHash: string;
  seed: number;
  repeatIndex: number;
  appVersion: string;
  createdAt: string;
  requeuedFrom: number | null;
}

export interface RunFilter {
  experimentId?: number;
  status?: string;
  limit: number;
  offset: number;
}

/** Why a run whose process died reads (and is eventually written) as interrupted. */
export const LEASE_EXPIRED_ERROR = 'the process running it stopped (crash or kill) before it finished';

/**
 * A row as readers see it at `now`: a running run whose lease ran out is interrupted, ended when
 * its lease did, whether or not any runner has yet written so (none may be running).
 */
export function asRead(row: RunRow, now: number): RunRow {
  if (row.status !== 'running' || row.lease_until === null || row.lease_until >= now) return row;
  return { ...row, status: 'interrupted', error: LEASE_EXPIRED_ERROR, finished_at: new Date(row.lease_until).toISOString(), lease_owner: null, lease_until: null };
}

/**
 * The runs table. Every transition out of `running` is guarded by `status = 'running'` (and out of
 * `queued` by `status = 'queued'`), so a terminal state, once written, is never overwritten.
 * Writers use get(); everything shown to a user goes through read(), list(), page() or
 * statusCounts(), which show an expired lease as interrupted (see asRead).
 */
export class RunsRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    registerSearchFunctions(db);
    this.s = {
      insert: db.prepare(
        `INSERT INTO runs (experiment_id, config_json, config_hash, seed, repeat_index, requeued_from, status, app_version, created_at)
         VALUES (@experimentId, @configJson, @configHash, @seed, @repeatIndex, @requeuedFrom, 'queued', @appVersion, @createdAt)`,
      ),
      get: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?'),
      // the highest-priority sweep first, then the oldest run
      nextQueued: db.prepare<[], { id: number }>(
        "SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.status = 'queued' ORDER BY e.priority DESC, r.id LIMIT 1",
      ),
      priority: db.prepare<[number], { priority: number }>('SELECT e.priority FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?'),
      claim: db.prepare<[string, string, number, string | null, string, number]>(
        "UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), lease_owner = ?, lease_until = ?, kernel = ?, dataset_sha256 = ? WHERE id = ? AND status = 'queued'",
      ),
      kernel: db.prepare<[string, number]>("UPDATE runs SET kernel = ? WHERE id = ? AND status = 'running'"),
      renew: db.prepare<[number, string, string]>(
        "UPDATE runs SET lease_until = ? WHERE status = 'running' AND lease_owner = ? AND id IN (SELECT value FROM json_each(?))",
      ),
      progress: db.prepare<[number, unknown, unknown, unknown, number | null, number, number]>(
        "UPDATE runs SET epochs_done = ?, final_test_accuracy = ?, final_test_loss = ?, best_test_accuracy = ?, best_epoch = ?, lease_until = ? WHERE id = ? AND status = 'running'",
      ),
      finish: db.prepare<[string, string | null, number | null, string, number]>(
        "UPDATE runs SET status = ?, error = ?, diverged_epoch = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'running'",
      ),
      cancelQueued: db.prepare<[string, number]>("UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'"),
      unclaim: db.prepare<[number, string]>("UPDATE runs SET status = 'queued', lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'running' AND lease_owner = ?"),
      expire: db.prepare<[string, string, number]>(
        "UPDATE runs SET status = 'interrupted', error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL WHERE status = 'running' AND lease_until < ?",
      ),
      queuedCount: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM runs WHERE status = 'queued'"),
      notes: db.prepare<[string, number]>('UPDATE runs SET notes = ? WHERE id = ?'),
      delete: db.prepare<[number]>('DELETE FROM runs WHERE id = ?'),
      resume: db.prepare<[number]>(
        "UPDATE runs SET status = 'queued', error = NULL, finished_at = NULL, lease_owner = NULL, lease_until = NULL, resumes = resumes + 1 WHERE id = ? AND status IN ('interrupted','cancelled','failed')",
      ),
      adopt: db.prepare<[string, number, number]>(
        "UPDATE runs SET status = 'running', lease_owner = ?, lease_until = ?, error = NULL, finished_at = NULL WHERE id = ? AND status IN ('running','interrupted')",
      ),
      resumed: db.prepare<[number, string | null, number]>("UPDATE runs SET resumed_epoch = ?, resume_note = ? WHERE id = ? AND status = 'running'"),
      attempt: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE requeued_from = ? AND archived_at IS NULL ORDER BY id DESC LIMIT 1'),
      archive: db.prepare<[string, number]>('UPDATE runs SET archived_at = ? WHERE id = ? AND archived_at IS NULL'),
      restore: db.prepare<[number]>('UPDATE runs SET archived_at = NULL WHERE id = ? AND archived_at IS NOT NULL'),
      expired: db.prepare<[string], { id: number }>('SELECT id FROM runs WHERE archived_at < ? ORDER BY id'),
    };
  }

  insert(run: NewRun): number {
    return Number(this.s.insert.run(run).lastInsertRowid);
  }

  /** The row as stored (for writers, which must see their own runs as running). */
  get(id: number): RunRow | undefined {
    return this.s.get.get(id);
  }

  /** The row as readers see it at `now` (see asRead). */
  read(id: number, now = Date.now()): RunRow | undefined {
    const row = this.s.get.get(id);
    return row && asRead(row, now);
  }

  /**
   * Moves the oldest queued run to running under this owner's lease; null when none is queued. The
   * kernel is null until the worker says which one it uses (setKernel). A resumed run keeps the
   * time it first started.
   */
  claimNext(owner: string, leaseUntil: number, kernel: string | null, datasetSha256: string, now: string): RunRow | null {
    return this.db.transaction(() => {
      const next = this.s.nextQueued.get();
      if (!next) return null;
      this.s.claim.run(now, owner, leaseUntil, kernel, datasetSha256, next.id);
      return this.get(next.id) ?? null;
    }).immediate();
  }

  /** Records the kernel a running run actually trains with (e.g. native-avx512). */
  setKernel(id: number, kernel: string): void {
    this.s.kernel.run(kernel, id);
  }

  /** Extends the leases of these runs of this owner (the ones still training; others are left to lapse). */
  renewLeases(owner: string, leaseUntil: number, runIds: number[]): void {
    if (runIds.length > 0) this.s.renew.run(leaseUntil, owner, JSON.stringify(runIds));
  }

  recordProgress(id: number, epochsDone: number, finalAcc: unknown, finalLoss: unknown, bestAcc: unknown, bestEpoch: number | null, leaseUntil: number): boolean {
    return this.s.progress.run(epochsDone, finalAcc, finalLoss, bestAcc, bestEpoch, leaseUntil, id).changes > 0;
  }

  finish(id: number, status: string, error: string | null, divergedEpoch: number | null, now: string): boolean {
    return this.s.finish.run(status, error, divergedEpoch, now, id).changes > 0;
  }

  cancelQueued(id: number, now: string): boolean {
    return this.s.cancelQueued.run(now, id).changes > 0;
  }

  /** The priority of the run's sweep (0 when unknown). */
  priority(id: number): number {
    return this.s.priority.get(id)?.priority ?? 0;
  }

  /** Puts a run this owner claimed back in the queue (its epochs stay): a remote pool gave it back. */
  unclaim(id: number, owner: string): boolean {
    return this.s.unclaim.run(id, owner).changes > 0;
  }

  /** Runs whose lease ran out (their process died) become interrupted; returns how many. */
  expireLeases(now: number, nowIso: string): number {
    return this.s.expire.run(LEASE_EXPIRED_ERROR, nowIso, now).changes;
  }

  queuedCount(): number {
    return this.s.queuedCount.get()!.n;
  }

  /** Runs by experiment and status as readers see them at `now`, oldest first (never those in the archive). */
  list(f: RunFilter, now = Date.now()): RunRow[] {
    const where: string[] = ['archived_at IS NULL'];
    const args: (string | number)[] = [];
    if (f.experimentId !== undefined) {
      where.push('experiment_id = ?');
      args.push(f.experimentId);
    }
    if (f.status !== undefined) {
      const status = statusFilterSql(f.status, now);
      where.push(status.sql);
      args.push(...status.params);
    }
    const sql = `SELECT * FROM runs WHERE ${where.join(' AND ')} ORDER BY id LIMIT ? OFFSET ?`;
    return this.db.prepare<(string | number)[], RunRow>(sql).all(...args, f.limit, f.offset).map((r) => asRead(r, now));
  }

  /** How many runs of an experiment are in each status, as readers see it at `now` (the archive aside). */
  statusCounts(experimentId: number, now = Date.now()): Record<string, number> {
    const sql = `SELECT ${effectiveStatusSql(now)} AS status, COUNT(*) AS n FROM runs WHERE experiment_id = ? AND archived_at IS NULL GROUP BY 1`;
    return Object.fromEntries(this.db.prepare<[number], { status: string; n: number }>(sql).all(experimentId).map((r) => [r.status, r.n]));
  }

  setNotes(id: number, notes: string): void {
    this.s.notes.run(notes, id);
  }

  /** One page of runs and the total matching, for tables that page through many thousands. */
  page(q: RunPageQuery, now = Date.now()): { rows: RunRow[]; total: number } {
    const { where, params, order } = runQuerySql(q, now);
    const total = (this.db.prepare<(string | number)[], { n: number }>(`SELECT COUNT(*) AS n FROM runs ${where}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare<(string | number)[], RunRow>(`SELECT * FROM runs ${where} ${order} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset);
    return { rows: rows.map((r) => asRead(r, now)), total };
  }

  /** The ids of the runs a page query matches, in its order, `limit` of them from `offset`. */
  ids(q: RunPageQuery, now = Date.now()): number[] {
    const { where, params, order } = runQuerySql(q, now);
    return this.db.prepare<(string | number)[], { id: number }>(`SELECT id FROM runs ${where} ${order} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset).map((r) => r.id);
  }

  /** Queues an interrupted, cancelled or failed run again under its own id, keeping its epochs, to continue from its checkpoint. */
  resume(id: number): boolean {
    return this.s.resume.run(id).changes > 0;
  }

  /** A run still training on a remote worker, taken over by this process's runner (a restarted coordinator). */
  adopt(id: number, owner: string, leaseUntil: number): boolean {
    return this.s.adopt.run(owner, leaseUntil, id).changes > 0;
  }

  /** Where a resumed run continued (0: from the start) and why a newer checkpoint was refused. */
  setResumed(id: number, epoch: number, note: string | null): void {
    this.s.resumed.run(epoch, note, id);
  }

  /** The newest run re-queued from this one (as readers see it), or undefined: the attempt that stands for it. */
  latestAttempt(id: number, now = Date.now()): RunRow | undefined {
    const row = this.s.attempt.get(id);
    return row && asRead(row, now);
  }

  delete(id: number): boolean {
    return this.s.delete.run(id).changes > 0;
  }

  /** Moves a run to the archive at `when` (ISO); false if it is there already or does not exist. */
  archive(id: number, when: string): boolean {
    return this.s.archive.run(when, id).changes > 0;
  }

  /** Brings a run back from the archive; false if it was not there. */
  restore(id: number): boolean {
    return this.s.restore.run(id).changes > 0;
  }

  /** The runs archived before `before` (ISO): those whose time in the archive is up. */
  archivedBefore(before: string): number[] {
    return this.s.expired.all(before).map((r) => r.id);
  }
}
