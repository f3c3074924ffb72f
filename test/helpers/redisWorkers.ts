import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { openWorkbench } from '../../src-main/api/openWorkbench';

/** Imports the same CIFAR archive into a home (the coordinator and every worker need the same dataset). */
export async function homeWith(home: string, archive: string): Promise<void> {
  const wb = openWorkbench(home, { workers: 1 });
  try {
    await wb.api.call('data/import', { path: archive });
  } finally {
    await wb.close();
  }
}

/** A `workbench worker` process; resolves once it announced that it takes runs. */
export function startWorker(url: string, home: string, lockMs = 3000, concurrency = 1, extra: string[] = []): Promise<ChildProcess & { output: () => string }> {
  const args = ['worker', '--redis', url, '--home', home, '--lock-ms', String(lockMs), '--concurrency', String(concurrency), ...extra];
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../scripts/workbench.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const withOutput = Object.assign(child, { output: () => out });
  return new Promise((resolve, reject) => {
    const look = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('takes runs from')) resolve(withOutput);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it started: ${out}`)));
  });
}

/** Stops a worker process (SIGKILL unless told otherwise) and waits until it is gone. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await gone;
}
