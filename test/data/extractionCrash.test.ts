import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { cifarMembers, tarArchive, writeCifarTarGz } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'extraction-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Starts an import in a child process and SIGKILLs it once extraction has begun writing. */
function importAndKill(home: string, archive: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/importChild.ts', home, archive], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      if (text.includes('done')) reject(new Error('the import finished before it could be killed'));
      else if (/extract [1-9]/.test(text)) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited without being killed (${signal})`))));
  });
}

describe('an extraction killed half-way', () => {
  const big = join(root, 'big.tar.gz');
  writeFileSync(big, gzipSync(tarArchive(cifarMembers(2000, 2000, 3)), { level: 1 }));

  it('leaves a staging folder that the next start removes; no cache is taken for complete', async () => {
    const home = join(root, 'fresh');
    await importAndKill(home, big);
    expect(readdirSync(join(home, 'datasets')).some((e) => e.startsWith('.staging-'))).toBe(true);
    const status = await new DatasetManager(home).status();
    expect(status.state).toBe('absent');
    expect(status.detail).toMatch(/removed an unfinished extraction/);
    expect(readdirSync(join(home, 'datasets'))).toEqual([]);
  });

  it('keeps the previous cache intact and usable', async () => {
    const home = join(root, 'existing');
    const first = await new DatasetManager(home).import(writeCifarTarGz(join(root, 'small.tar.gz'), cifarMembers(4, 4)));
    const manifest = readFileSync(join(first.cacheDir, 'manifest.json'), 'utf8');
    await importAndKill(home, big);
    const m = new DatasetManager(home);
    expect((await m.status()).state).toBe('ready');
    expect(readFileSync(join(first.cacheDir, 'manifest.json'), 'utf8')).toBe(manifest);
    expect((await m.verify()).ok).toBe(true);
    expect((await m.load()).train.count).toBe(20);
  });
});
