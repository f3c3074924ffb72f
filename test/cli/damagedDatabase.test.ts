import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DAMAGES, writeDamagedHome, type Damage } from '../helpers/damagedFiles';
import { workbenchAs } from '../helpers/restrictedCli';

const root = mkdtempSync(join(tmpdir(), 'cli-damaged-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Commands that read the history: each must refuse a damaged database, not show an empty one. */
const COMMANDS = [['experiments', 'list'], ['runs', 'list'], ['runs', 'show', '1'], ['export', 'csv', '--experiment', '1', '--out', 'OUT']];

describe('workbench on a damaged workbench.sqlite', () => {
  for (const [i, damage] of (Object.keys(DAMAGES) as Damage[]).entries()) {
    it(`${damage}: every command exits 1 naming the file and what to do; the file is byte-identical`, async () => {
      const { home, path, bytes } = writeDamagedHome(root, damage, `case-${i}`);
      const out = join(root, `export-${i}.csv`);
      for (const command of COMMANDS) {
        const r = await workbenchAs([...command.map((a) => (a === 'OUT' ? out : a)), '--home', home]);
        const what = `${command.join(' ')}: ${r.stderr}`;
        expect(r.code, what).toBe(1);
        expect(r.stdout, what).not.toContain('No experiments yet');
        expect(r.stderr, what).toContain(`workbench: The experiment database ${path} is damaged`);
        expect(r.stderr, what).toMatch(DAMAGES[damage].says);
        expect(r.stderr, what).toContain('move it out of the way');
        expect(r.stderr, what).not.toMatch(/unexpected error|SqliteError|\n\s+at /);
        expect(readFileSync(path).equals(bytes), what).toBe(true);
      }
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(home)).toEqual(['workbench.sqlite']);
    });
  }
});
