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

/** Runs the reference and returns its per-epoch JSON lines. `threads` sets BLAS/torch threads. */
export function runReference(impl: 'numpy' | 'torch', folder: string, args: string[], threads: number): ReferenceEpoch[] {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  const out = execFileSync(PYTHON, [REF_SCRIPT, impl, folder, '--threads', String(threads), ...args], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReferenceEpoch);
}
