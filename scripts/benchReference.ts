// Runs ../shared/ref/ref_mlp.py (numpy or PyTorch) for a few epochs in this same benchmark run, so the
// speed ratio is measured on the same machine at the same time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REF_SCRIPT = join(import.meta.dirname, '../../shared/ref/ref_mlp.py');
const PYTHON = '/usr/bin/python3';

/** Whether the reference can run: the script exists and python3 has numpy (and torch, if asked). */
export function referenceAvailable(impl: 'numpy' | 'torch'): boolean {
  if (!existsSync(REF_SCRIPT) || !existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', impl === 'torch' ? 'import numpy, torch' : 'import numpy']).status === 0;
}

/**
 * A folder holding the extracted .bin files of a dataset path (folder or .tar.gz); dispose() removes
 * what was extracted (176 MB per call otherwise left in the temp folder).
 */
export function extractedFolder(path: string): { folder: string; dispose(): void } {
  if (!path.endsWith('.gz')) return { folder: readdirSync(path).includes('cifar-10-batches-bin') ? join(path, 'cifar-10-batches-bin') : path, dispose: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'bench-cifar-'));
  execFileSync('tar', ['-xzf', path, '-C', dir]);
  return { folder: join(dir, 'cifar-10-batches-bin'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ReferenceEpoch {
  epoch: number;
  test_loss: number;
  test_acc: number;
  train_loss: number;
  secs: number;
}

/**
 * The environment the reference runs at its best in: this machine sets OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE (for old OpenBLAS builds), which hold a current OpenBLAS back by about half on
 * this CPU, so both are removed for the reference process only; `threads` sets BLAS/torch threads.
 */
export function referenceEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** `taskset -c <core>` in front of a command where taskset exists, so compared engines share one core. */
export function pinned(core: number, command: string, args: string[]): [string, string[]] {
  return spawnSync('taskset', ['-c', String(core), 'true']).status === 0 ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

/** Which OpenBLAS build and kernel numpy runs in the reference's environment (threadpoolctl), or why unknown. */
export function openblasInfo(): string {
  const probe = 'import json, numpy, threadpoolctl\nnumpy.ones((64, 64)) @ numpy.ones((64, 64))\nprint(json.dumps([i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]))';
  const r = spawnSync(PYTHON, ['-c', probe], { env: referenceEnv(1), encoding: 'utf8' });
  if (r.status !== 0) return 'unknown (python3-threadpoolctl is not installed)';
  const infos = JSON.parse(r.stdout.trim()) as { internal_api: string; version: string; architecture?: string; filepath: string }[];
  return infos.map((i) => `${i.internal_api} ${i.version}, kernel ${i.architecture ?? '?'} (${i.filepath})`).join('; ') || 'no BLAS found';
}

/** Runs the reference pinned to `core` and returns its per-epoch JSON lines. */
export function runReference(impl: 'numpy' | 'torch', folder: string, args: string[], threads: number, core = 1): ReferenceEpoch[] {
  const [cmd, argv] = pinned(core, PYTHON, [REF_SCRIPT, impl, folder, '--threads', String(threads), ...args]);
  const out = execFileSync(cmd, argv, { env: referenceEnv(threads), encoding: 'utf8', maxBuffer: 1 << 24 });
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReferenceEpoch);
}
