import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../src-shared/sweep';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src-main/store/migrations';
import { Store } from '../../src-main/store/store';

const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TABLES = ['experiments', 'runs', 'epochs', 'confusion', 'tags', 'settings'];

/** A database exactly as schema version 2 left it, with experiments 1–3 (6 runs) after experiment 4 was deleted. */
function versionTwoDatabase(path: string): void {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  for (const m of MIGRATIONS.filter((x) => x.version <= 2)) raw.exec(m.sql);
  raw.pragma('user_version = 2');
  const experiment = raw.prepare("INSERT INTO experiments (name, description, spec_json, client_request_id, notes, created_at) VALUES (?, '', '{}', ?, ?, '2026-01-01T00:00:00Z')");
  const run = raw.prepare(
    `INSERT INTO runs (experiment_id, config_json, config_hash, seed, repeat_index, requeued_from, status, epochs_done, final_test_accuracy,
       app_version, notes, created_at, resumes, resumed_epoch, resume_note)
     VALUES (?, '{}', 'h', ?, 0, ?, ?, ?, ?, '0.1.0', ?, '2026-01-01T00:00:00Z', ?, ?, ?)`,
  );
  for (let e = 1; e <= 4; e++) experiment.run(`exp ${e}`, `req-${e}`, `notes of ${e}`);
  run.run(1, 0, null, 'finished', 2, 0.31, 'first', 0, null, null);
  run.run(1, 1, null, 'failed', 1, null, '', 0, null, null);
  run.run(1, 1, 2, 'finished', 2, 'NaN', '', 1, 1, 'checkpoint damaged');
  run.run(2, 0, null, 'queued', 0, null, '', 0, null, null);
  run.run(3, 0, null, 'interrupted', 1, 0.2, '', 2, 0, null);
  run.run(3, 1, null, 'running', 0, null, '', 0, null, null);
  run.run(4, 0, null, 'finished', 1, 0.4, '', 0, null, null); // run 7, deleted with experiment 4
  const epoch = raw.prepare("INSERT INTO epochs VALUES (?, ?, 2, 0.3, 2.1, 1.9, ?, 0.3, 1.5)");
  for (const [r, e] of [[1, 1], [1, 2], [2, 1], [3, 1], [3, 2], [5, 1], [7, 1]]) epoch.run(r, e, r === 3 ? 'NaN' : 0.31);
  raw.prepare("INSERT INTO confusion VALUES (1, 2, '[1,2,3]'), (5, 1, '[4]')").run();
  raw.prepare("INSERT INTO tags VALUES ('experiment', 1, 'baseline'), ('run', 3, 'rerun')").run();
  raw.prepare("INSERT INTO settings VALUES ('queue.paused', 'true')").run();
  raw.prepare('DELETE FROM experiments WHERE id = 4').run();
  raw.close();
}

const columnNames = (db: Database.Database): Record<string, string> =>
  Object.fromEntries(TABLES.map((t) => [t, (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name).join(', ')]));

/** Every row of every table, in the columns given (later migrations add columns of their own). */
const dump = (db: Database.Database, columns = columnNames(db)): Record<string, unknown[]> =>
  Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT ${columns[t]} FROM ${t} ORDER BY 1, 2`).raw().all()]));

const indexes = (db: Database.Database): unknown[] =>
  db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name").all();

describe('migration 3: ids are never reused', () => {
  it('keeps every row, column, index and constraint of a version-2 database', () => {
    const path = join(dir, 'v2.sqlite');
    versionTwoDatabase(path);
    const before = new Database(path, { readonly: true });
    const rows = dump(before);
    const columns = Object.fromEntries(TABLES.map((t) => [t, before.pragma(`table_info(${t})`) as unknown[]]));
    const foreignKeys = Object.fromEntries(TABLES.map((t) => [t, before.pragma(`foreign_key_list(${t})`)]));
    const indexesBefore = indexes(before);
    const names = columnNames(before);
    before.close();
    expect(rows.runs).toHaveLength(6);

    const s = new Store(path, '0.1.0');
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(dump(s.db, names)).toEqual(rows);
    // the columns as they were, in their order; migration 5 adds runs.pruned_epoch after them, 7 runs.archived_at
    const after = Object.fromEntries(TABLES.map((t) => [t, (s.db.pragma(`table_info(${t})`) as unknown[]).slice(0, columns[t].length)]));
    expect(after).toEqual(columns);
    expect((s.db.pragma('table_info(runs)') as { name: string }[]).slice(columns.runs.length).map((c) => c.name)).toEqual(['pruned_epoch', 'archived_at']);
    expect(Object.fromEntries(TABLES.map((t) => [t, s.db.pragma(`foreign_key_list(${t})`)]))).toEqual(foreignKeys);
    // every index kept; migration 4 adds the one deletes need, 7 the archive's
    expect(indexes(s.db)).toEqual([...indexesBefore, { name: 'runs_by_requeued_from', tbl_name: 'runs' }, { name: 'runs_archived', tbl_name: 'runs' }].sort((a, b) => (a as { name: string }).name.localeCompare((b as { name: string }).name)));
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // NaN stays text, the unique client request id still holds
    expect(s.db.prepare('SELECT typeof(final_test_accuracy) AS t FROM runs WHERE id = 3').get()).toEqual({ t: 'text' });
    expect(() => s.db.prepare("INSERT INTO experiments (name, spec_json, client_request_id, created_at) VALUES ('x', '{}', 'req-1', 'now')").run()).toThrow(/UNIQUE/);
    expect(() => s.db.prepare("UPDATE runs SET status = 'bogus' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(() => s.db.prepare('UPDATE runs SET experiment_id = 99 WHERE id = 1').run()).toThrow(/FOREIGN KEY/);

    // ON DELETE CASCADE still reaches runs, epochs and confusion; ON DELETE SET NULL still clears requeued_from
    s.db.prepare('DELETE FROM runs WHERE id = 2').run();
    expect(s.db.prepare('SELECT requeued_from FROM runs WHERE id = 3').get()).toEqual({ requeued_from: null });
    s.deleteExperiment(1);
    expect(s.db.prepare('SELECT count(*) AS n FROM runs WHERE experiment_id = 1').get()).toEqual({ n: 0 });
    expect(s.db.prepare('SELECT count(*) AS n FROM epochs WHERE run_id IN (1, 2, 3)').get()).toEqual({ n: 0 });
    expect(s.db.prepare('SELECT count(*) AS n FROM confusion WHERE run_id = 1').get()).toEqual({ n: 0 });
    expect(s.db.prepare('SELECT count(*) AS n FROM epochs WHERE run_id = 5').get()).toEqual({ n: 1 });
    s.close();
  });

  it('after the newest experiment is deleted, the next experiment and its runs get higher ids', () => {
    const path = join(dir, 'reuse.sqlite');
    versionTwoDatabase(path);
    const s = new Store(path, '0.1.0');
    const { spec } = parseSweepSpec({ name: 'again', base: { epochs: 1 }, repeats: 2 });
    const first = s.createExperiment(spec, null);
    const firstRuns = s.db.prepare('SELECT id FROM runs WHERE experiment_id = ?').all(first.id) as { id: number }[];
    expect(first.id).toBe(4); // experiment 4 was deleted before the migration: nothing records it
    s.deleteExperiment(first.id);
    s.close();

    const reopened = new Store(path, '0.1.0');
    const second = reopened.createExperiment(spec, null);
    const secondRuns = reopened.db.prepare('SELECT id FROM runs WHERE experiment_id = ?').all(second.id) as { id: number }[];
    expect(second.id).toBe(first.id + 1);
    expect(Math.min(...secondRuns.map((r) => r.id))).toBe(Math.max(...firstRuns.map((r) => r.id)) + 1);
    reopened.close();
  });

  it('a new database has never-reused ids from the start', () => {
    const s = new Store(join(dir, 'fresh.sqlite'), '0.1.0');
    const { spec } = parseSweepSpec({ name: 'x', base: { epochs: 1 }, repeats: 1 });
    const a = s.createExperiment(spec, null).id;
    s.deleteExperiment(a);
    expect(s.createExperiment(spec, null).id).toBe(a + 1);
    expect(s.db.prepare('SELECT max(id) AS id FROM runs').get()).toEqual({ id: 2 });
    s.close();
  });
});

describe('migration 5: the statuses of ASHA sweeps', () => {
  it('lets runs wait at a rung or end pruned, keeping every row, index and the highest id handed out', () => {
    const path = join(dir, 'v4.sqlite');
    versionTwoDatabase(path);
    // at version 4 with runs 7 to 9 added and deleted again: the next run must still be 10
    const v4 = new Database(path);
    // as migrate() runs migration 3: with foreign keys off, or dropping experiments would cascade
    v4.pragma('foreign_keys = OFF');
    for (const m of MIGRATIONS.filter((x) => x.version > 2 && x.version <= 4)) v4.exec(m.sql);
    v4.pragma('user_version = 4');
    v4.pragma('foreign_keys = ON');
    const add = v4.prepare("INSERT INTO runs (experiment_id, config_json, config_hash, seed, repeat_index, status, app_version, created_at) VALUES (3, '{}', 'h', 0, 0, 'queued', '0.1.0', 'now')");
    for (let i = 0; i < 3; i++) add.run();
    v4.prepare('DELETE FROM runs WHERE id >= 7').run();
    expect(v4.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 6 });
    const rows = dump(v4);
    const names = columnNames(v4);
    const indexesBefore = indexes(v4);
    expect(v4.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").get()).toEqual({ seq: 9 });
    expect(() => v4.prepare("UPDATE runs SET status = 'pruned' WHERE id = 1").run()).toThrow(/CHECK/);
    v4.close();

    const s = new Store(path, '0.1.0');
    expect(dump(s.db, names)).toEqual(rows);
    // every index kept (migration 7 adds the archive's)
    expect(indexes(s.db)).toEqual([...indexesBefore, { name: 'runs_archived', tbl_name: 'runs' }].sort((a, b) => (a as { name: string }).name.localeCompare((b as { name: string }).name)));
    s.db.prepare("UPDATE runs SET status = 'pruned', pruned_epoch = 2 WHERE id = 1").run();
    s.db.prepare("UPDATE runs SET status = 'waiting' WHERE id = 2").run();
    expect(() => s.db.prepare("UPDATE runs SET status = 'bogus' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const { spec } = parseSweepSpec({ name: 'after', base: { epochs: 1 } });
    const { id } = s.createExperiment(spec, null);
    expect(s.db.prepare('SELECT id FROM runs WHERE experiment_id = ?').get(id)).toEqual({ id: 10 });
    // decisions go with their experiment
    s.db.prepare("INSERT INTO asha_decisions VALUES (?, 'h', 2, 'pruned', 0.1, 3, 3, 'now')").run(id);
    s.deleteExperiment(id);
    expect(s.db.prepare('SELECT count(*) AS n FROM asha_decisions').get()).toEqual({ n: 0 });
    s.close();
  });
});
