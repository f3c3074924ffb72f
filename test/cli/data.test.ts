import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelReport } from '../../src-main/engine/index';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'cli-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function workbench(env: Record<string, string>, ...args: string[]) {
  try {
    const r = await run(process.execPath, ['scripts/workbench.mjs', ...args], { env: { ...process.env, ...env } });
    return { code: 0, ...r };
  } catch (e) {
    return e as { code: number; stdout: string; stderr: string };
  }
}

describe('workbench data (CLI)', () => {
  it('status, import, verify, path and training from the cache, with --home or WORKBENCH_HOME', async () => {
    const home = join(root, 'home');
    const absent = await workbench({}, 'data', 'status', '--home', home);
    expect(absent.code).toBe(1);
    expect(absent.stdout).toMatch(/Dataset: absent/);
    expect(absent.stdout.trim().split('\n').at(-1)).toBe(`  Kernels: ${kernelReport().message}`);
    const archive = writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(10, 10));
    const imported = await workbench({}, 'data', 'import', archive, '--home', home);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Dataset: ready — unofficial copy, archive sha256 [0-9a-f]{64}/);
    expect(imported.stdout).toMatch(/Train: +50 images — airplane 5 · automobile 5/);
    const viaEnv = await workbench({ WORKBENCH_HOME: home }, 'data', 'status', '--json');
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ state: 'ready', test: { records: 10 }, engine: { kernel: kernelReport().auto } });
    expect((await workbench({ WORKBENCH_HOME: home }, 'data', 'path')).stdout.trim()).toBe(join(home, 'datasets', 'cifar-10'));
    expect((await workbench({ WORKBENCH_HOME: home }, 'data', 'verify')).stdout).toMatch(/Verified: every file matches/);
    const trained = await workbench({ WORKBENCH_HOME: home }, 'train', '--epochs', '1', '--hidden', '4', '--json');
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'summary', status: 'finished' });
  });

  it('without the native kernels, status says once that training uses WebAssembly, why, and what to do', async () => {
    const noNative = join(root, 'no-native');
    mkdirSync(noNative);
    const r = await workbench({ WORKBENCH_NATIVE_DIR: noNative }, 'data', 'status', '--home', join(root, 'home3'));
    const lines = r.stdout.split('\n').filter((l) => l.includes('Kernels:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}Kernels: Training uses WebAssembly SIMD \(wasm-(relaxed-)?simd\), slower than native: the native kernels are not available: no build of it was found in /);
    expect(lines[0]).toMatch(/To use the native kernels, install a C compiler and run npm run build:native\.$/);
    const json = await workbench({ WORKBENCH_NATIVE_DIR: noNative }, 'data', 'status', '--json', '--home', join(root, 'home3'));
    expect(JSON.parse(json.stdout).engine).toMatchObject({ nativeAvailable: false, nativeLevel: null, reason: expect.stringContaining(noNative) });
  });

  it('a refused import says why and exits 1; an unknown subcommand exits 2', async () => {
    const home = join(root, 'home2');
    const bad = await workbench({}, 'data', 'import', join(root, 'missing.tar.gz'), '--home', home);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/missing\.tar\.gz: no such file or folder/);
    const unknown = await workbench({}, 'data', 'frobnicate', '--home', home);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown data command 'frobnicate'/);
    const untrained = await workbench({}, 'train', '--home', home);
    expect(untrained.code).toBe(1);
    expect(untrained.stderr).toMatch(/No usable dataset: the cache is absent/);
  });
});
