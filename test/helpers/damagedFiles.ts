import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE } from '../../src-main/store/database';
import { writeSavedHistory } from './savedHistory';

/** The ways a workbench.sqlite can be found damaged, each with a word the message must contain. */
export const DAMAGES = {
  'a 0-byte file': { make: (_good: Buffer) => Buffer.alloc(0), says: /empty \(0 bytes\)/ },
  'a truncated file': { make: (good: Buffer) => good.subarray(0, Math.floor(good.length / 2) + 123), says: /truncated/ },
  'a file of garbage': { make: () => randomBytes(20_000), says: /not an SQLite database/ },
  'a database whose schema page is overwritten': {
    // a valid header, then noise where the table of tables should be: only SQLite can tell
    make: (good: Buffer) => Buffer.concat([good.subarray(0, 100), randomBytes(4096 - 100), good.subarray(4096)]),
    says: /SQLite reports "(file is not a database|database disk image is malformed)"/,
  },
} as const;

export type Damage = keyof typeof DAMAGES;

/** Writes a home whose workbench.sqlite is damaged in the given way; returns the database path and its bytes. */
export function writeDamagedHome(root: string, damage: Damage, name: string): { home: string; path: string; bytes: Buffer } {
  const source = join(root, `${name}-source`);
  mkdirSync(source, { recursive: true });
  const good = readFileSync(writeSavedHistory(source));
  const home = join(root, name);
  mkdirSync(home, { recursive: true });
  const bytes = DAMAGES[damage].make(good);
  const path = join(home, DB_FILE);
  writeFileSync(path, bytes);
  return { home, path, bytes };
}
