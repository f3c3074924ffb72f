import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src-shared/config';
import type { EpochMetrics } from '../../src-shared/metrics';
import { parseSweepSpec } from '../../src-shared/sweep';
import { SCHEMA_VERSION } from '../../src-main/store/migrations';
import { configHash, Store } from '../../src-main/store/store';

const dir = mkdtempSync(join(tmpdir(), 'store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): Store => new Store(join(dir, `db${n++}.sqlite`), '0.1.0');
const epoch = (e: number, over: Partial<EpochMetrics> = {}): EpochMetrics => ({
  epoch: e, trainLoss: 2, trainAccuracy: 0.3, objective: 2.1, testLoss: 1.9, testAccuracy: 0.31, learningRate: 0.3, seconds: 1.5,
  confusion: Array.from({ length: 100 }, (_, i) => i), ...over,
});

describe('the SQLite store', () => {
  it('creates the schema with WAL, foreign keys and FULL synchronous, and records its version', () => {
    const s = fresh();
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    s.close();
  });

  it('upgrades an older database in place, keeping its data', () => {
    const path = join(dir, 'old.sqlite');
    const raw = new Database(path);
    raw.exec('CREATE TABLE keepme (x INTEGER); INSERT INTO keepme VALUES (42);');
    raw.pragma('user_version = 0');
    raw.close();
    const s = new Store(path, '0.1.0');
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.db.prepare('SELECT x FROM keepme').get()).toEqual({ x: 42 });
    s.close();
  });

  it('refuses a database from a newer app version and leaves the file untouched', () => {
    const path = join(dir, 'newer.sqlite');
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE future (x)');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = readFileSync(path);
    expect(() => new Store(path, '0.1.0')).toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 5}, newer than this app understands \\(${SCHEMA_VERSION}\\)`));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('expands a sweep into grid × repeats with derived seeds; a repeated client request id makes one experiment', () => {
    const s = fresh();
    const { spec, count } = parseSweepSpec({
      name: 'fig2', base: { epochs: 2, seed: 10 }, repeats: 3,
      axes: [{ field: 'optimizer', values: ['sgd', 'adam'] }, { field: 'learningRate', values: [0.01, 0.1] }],
    });
    expect(count).toBe(12);
    const a = s.createExperiment(spec, 'req-1');
    const b = s.createExperiment(spec, 'req-1');
    expect(a).toEqual({ id: a.id, created: true });
    expect(b).toEqual({ id: a.id, created: false });
    expect(s.listExperiments()).toHaveLength(1);
    const runs = s.listRuns({ experimentId: a.id, limit: 100, offset: 0 });
    expect(runs).toHaveLength(12);
    expect(runs.slice(0, 3).map((r) => [r.config.optimizer, r.config.learningRate, r.seed, r.repeatIndex])).toEqual([
      ['sgd', 0.01, 10, 0], ['sgd', 0.01, 11, 1], ['sgd', 0.01, 12, 2],
    ]);
    expect(new Set(runs.map((r) => r.configHash)).size).toBe(4);
    expect(runs[0].configHash).toBe(configHash(parseTrainConfig({ ...runs[0].config, seed: 999 })));
    expect(s.getExperiment(a.id)).toMatchObject({ runCount: 12, statusCounts: { queued: 12 } });
    s.close();
  });

  it('a run stored before the kernel field existed reads as auto, keeps its hash and groups with auto runs queued today', () => {
    const s = fresh();
    const { spec } = parseSweepSpec({ name: 'k', base: { epochs: 2 }, axes: [{ field: 'kernel', values: ['auto', 'wasm'] }], repeats: 1 });
    const { id } = s.createExperiment(spec, null);
    const [auto, wasm] = s.listRuns({ experimentId: id, limit: 10, offset: 0 });
    expect(auto.configHash).not.toBe(wasm.configHash);
    // what an older app wrote: the config without `kernel`, hashed without it
    const { kernel: _, ...old } = auto.config;
    s.db.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run(JSON.stringify(old), auto.id);
    expect(configHash(old as typeof auto.config)).toBe(auto.configHash);
    expect(s.getRun(auto.id).config.kernel).toBe('auto');
    const page = (configValue: string) => s.pageRuns({ experimentId: id, configField: 'kernel', configValue, sort: 'id', direction: 'asc', limit: 10, offset: 0 });
    expect(page('auto').rows.map((r) => r.id)).toEqual([auto.id]);
    expect(page('wasm').rows.map((r) => r.id)).toEqual([wasm.id]);
    s.close();
  });

  it('stores NaN and ±Infinity metrics and reads them back as such; never overwrites a terminal state', () => {
    const s = fresh();
    const { id } = s.createExperiment(parseSweepSpec({ name: 'nan' }).spec, null);
    const run = s.runs.claimNext('me', Date.now() + 1e4, 'wasm-simd', 'sha', new Date().toISOString())!;
    expect(s.recordEpoch(run.id, epoch(1), { epoch: 1, testAccuracy: 0.31 }, Date.now() + 1e4)).toBe(true);
    expect(s.recordEpoch(run.id, epoch(2, { trainLoss: Infinity, testLoss: NaN, testAccuracy: NaN, objective: -Infinity }), null, Date.now())).toBe(true);
    expect(s.finishRun(run.id, 'diverged', null, 2)).toBe(true);
    expect(s.finishRun(run.id, 'finished')).toBe(false);
    expect(s.recordEpoch(run.id, epoch(3), null, Date.now())).toBe(false);
    const d = s.getRun(run.id);
    expect(d.status).toBe('diverged');
    expect(d.epochs).toHaveLength(2);
    expect(d.epochs[1].trainLoss).toBe(Infinity);
    expect(d.epochs[1].objective).toBe(-Infinity);
    expect(Number.isNaN(d.epochs[1].testLoss)).toBe(true);
    expect(Number.isNaN(d.finalTestAccuracy!)).toBe(true);
    expect(d.confusion).toEqual({ epoch: 2, matrix: Array.from({ length: 100 }, (_, i) => i) });
    expect(s.getExperiment(id).statusCounts).toEqual({ diverged: 1 });
    s.close();
  });

  it('tags, notes and deletes cascade', () => {
    const s = fresh();
    const { id } = s.createExperiment(parseSweepSpec({ name: 't', repeats: 2 }).spec, null);
    const [r1] = s.listRuns({ experimentId: id, limit: 5, offset: 0 });
    s.tags.add('run', r1.id, 'baseline');
    s.tags.add('experiment', id, 'report');
    s.runs.setNotes(r1.id, 'looks odd');
    expect(s.getRun(r1.id)).toMatchObject({ tags: ['baseline'], notes: 'looks odd' });
    expect(s.getExperiment(id).tags).toEqual(['report']);
    expect(s.experiments.delete(id)).toBe(true);
    expect(s.listRuns({ limit: 10, offset: 0 })).toEqual([]);
    s.close();
  });
});

describe('sweep validation', () => {
  it('refuses invalid specs field by field', () => {
    const bad = () =>
      parseSweepSpec(JSON.parse(`{
        "name": "x", "repeats": 2.5,
        "base": { "learningRate": "0.3", "__proto__": { "polluted": true }, "batchSize": 64 },
        "axes": [
          { "field": "learningRate", "values": [0.1, -1, null] },
          { "field": "epochs", "values": [1.5] },
          { "field": "batchSize", "values": [0] },
          { "field": "nonsense", "values": [1] }
        ]
      }`));
    expect(bad).toThrow(/repeats: .*expected int/);
    expect(bad).toThrow(/axes\.3\.field/);
    const second = () =>
      parseSweepSpec(JSON.parse(`{ "name": "x", "base": { "learningRate": "0.3", "__proto__": {} },
        "axes": [ { "field": "learningRate", "values": [0.1, -1, null] }, { "field": "epochs", "values": [1.5] }, { "field": "momentum", "values": [1] } ] }`));
    let message = '';
    try {
      second();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/base\.learningRate: .*expected number, received string/);
    expect(message).toMatch(/base\.__proto__: unknown field/);
    expect(message).toMatch(/axes\.0\.values\.1: learningRate: Too small/);
    expect(message).toMatch(/axes\.0\.values\.2: learningRate: .*received null/);
    expect(message).toMatch(/axes\.1\.values\.0: epochs: .*expected int/);
    expect(message).toMatch(/axes\.2\.values\.0: momentum: Too big/);
    expect(() => parseSweepSpec({ name: 'x', axes: [{ field: 'seed', values: [1, 2] }] })).toThrow(/seed is set by repeats/);
    expect(() => parseSweepSpec({ name: 'x', repeats: 1000, axes: [{ field: 'learningRate', values: Array.from({ length: 11 }, (_, i) => (i + 1) / 100) }] })).toThrow('repeats: 11 values × 1,000 repeats = 11,000 runs, more than the 10,000 a sweep may hold');
    expect(() => parseSweepSpec({ name: '', axes: [] })).toThrow(/name: /);
    expect(() => parseSweepSpec({ name: 'x', base: { learningRate: NaN } })).toThrow(/base\.learningRate: .*NaN/);
  });
});
