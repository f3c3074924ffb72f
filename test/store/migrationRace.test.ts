import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src-main/store/migrations';
import { startLineChild, type LineChild } from '../helpers/lineChild';

const ROUNDS = 30;
const root = mkdtempSync(join(tmpdir(), 'migration-race-'));
let children: LineChild[] = [];

beforeAll(async () => {
  children = [startLineChild('test/helpers/openChild.ts'), startLineChild('test/helpers/openChild.ts')];
  // both loaded (the slow part) before any round starts
  for (const child of children) expect(await child.next()).toBe('ready');
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  rmSync(root, { recursive: true, force: true });
});

/** Sends the same home to both processes at once and collects both answers. */
async function race(home: string): Promise<string[]> {
  for (const child of children) child.send(home);
  return Promise.all(children.map((c) => c.next()));
}

function expectOneSoundDatabase(home: string): void {
  const db = new Database(join(home, 'workbench.sqlite'), { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'experiments'").get()).toEqual({ n: 1 });
  db.close();
  // no temporary file of the losing process is left behind
  expect(readdirSync(home).filter((f) => f.includes('.creating'))).toEqual([]);
}

describe('two processes opening the same home at the same moment', () => {
  it(`a brand-new home: both open it, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const home = join(root, `fresh-${round}`);
      const answers = await race(home);
      failures.push(...answers.filter((a) => a !== 'ok 0').map((a) => `round ${round}: ${a}`));
      expectOneSoundDatabase(home);
    }
    expect(failures).toEqual([]);
  });

  it(`an existing database at schema version 0: the migration runs once, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const home = join(root, `v0-${round}`);
      mkdirSync(home);
      // a valid, empty WAL database that has never been migrated: both processes find work to do
      const raw = new Database(join(home, 'workbench.sqlite'));
      raw.pragma('journal_mode = WAL');
      raw.close();
      expect(statSync(join(home, 'workbench.sqlite')).size).toBeGreaterThan(0);
      const answers = await race(home);
      failures.push(...answers.filter((a) => a !== 'ok 0').map((a) => `round ${round}: ${a}`));
      expectOneSoundDatabase(home);
    }
    expect(failures).toEqual([]);
  });
});
