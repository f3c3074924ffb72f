import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { Store } from '../../src-main/store/store';
import { DAMAGES, writeDamagedHome, type Damage } from '../helpers/damagedFiles';

const root = mkdtempSync(join(tmpdir(), 'damaged-db-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const open = (path: string): unknown => {
  try {
    new Store(path, 'test').close();
    return null;
  } catch (e) {
    return e;
  }
};

describe('a workbench.sqlite that exists but is not a usable database', () => {
  for (const [i, damage] of (Object.keys(DAMAGES) as Damage[]).entries()) {
    it(`${damage}: reported damaged with the path and what to do, and left byte-identical`, () => {
      const { home, path, bytes } = writeDamagedHome(root, damage, `case-${i}`);
      const error = open(path) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.name).toBe('DatabaseDamaged');
      expect(error.code).toBe('IO');
      expect(error.message).toContain(`The experiment database ${path} is damaged`);
      expect(error.message).toMatch(DAMAGES[damage].says);
      expect(error.message).toMatch(/restore the file from a backup.*move it out of the way/);
      expect(readFileSync(path).equals(bytes)).toBe(true);
      // a second attempt finds it just as damaged: nothing was "repaired" into an empty database
      expect((open(path) as AppError).name).toBe('DatabaseDamaged');
      expect(readFileSync(path).equals(bytes)).toBe(true);
      expect(readdirSync(home)).toEqual(['workbench.sqlite']);
    });
  }

  it('a folder where the file should be is reported, not opened', () => {
    const home = join(root, 'folder');
    mkdirSync(join(home, 'workbench.sqlite'), { recursive: true });
    expect((open(join(home, 'workbench.sqlite')) as Error).message).toMatch(/is damaged: it is a folder, not a file/);
  });
});
