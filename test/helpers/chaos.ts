import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src-main/engine/rng';
import { Runner } from '../../src-main/runner/runner';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { Store } from '../../src-main/store/store';
import { checkpointProblems, resumeAndCompare } from './chaosResume';
import { chaosDataset } from './sweepChildData';

export interface ChaosReport {
  kills: number;
  committedEpochs: number;
  runsChecked: number;
  /** Interrupted runs resumed to the end after the last kill and compared with clean runs. */
  resumed: number;
  problems: string[];
}

const LEASE_MS = 300;

/**
 * Runs the sweep child and SIGKILLs it `delayMs` after the `afterEpochs`-th epoch it committed (as
 * announced on its stdout). The kill is timed from the child's own progress, never from its start, so
 * a slow or busy machine only stretches the test: every kill still lands while runs are training.
 */
function killAfterProgress(dbPath: string, afterEpochs: number, delayMs: number, committed: Set<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sweepChild.ts'), dbPath, String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let seen = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('committed ')) continue;
        committed.add(line.slice(10));
        if (++seen === afterEpochs) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the sweep child exited by itself (code ${code}): ${stderr.slice(-2000)}`));
    });
  });
}

/** Waits until every lease the killed child held has run out (read from the database, not guessed). */
async function leasesExpired(dbPath: string): Promise<void> {
  const store = new Store(dbPath, 'chaos');
  try {
    const { until } = store.db.prepare("SELECT MAX(lease_until) AS until FROM runs WHERE status = 'running'").get() as { until: number | null };
    if (until !== null) await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now() + 1)));
  } finally {
    store.close();
  }
}

/**
 * Kills a process that is running a sweep `iterations` times at random moments (1–3 epochs committed
 * by that process, then 0–400 ms) and checks, after each kill, that reopening the database finds it
 * intact, with every epoch whose commit returned, and with no run left running.
 */
export async function runChaos(iterations: number, seed = 1, log: (line: string) => void = () => undefined): Promise<ChaosReport> {
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const dbPath = join(dir, 'workbench.sqlite');
  const rng = new Rng(seed, 9);
  const committed = new Set<string>();
  const report: ChaosReport = { kills: 0, committedEpochs: 0, runsChecked: 0, resumed: 0, problems: [] };
  const files = new RunFiles(dir);
  try {
    for (let i = 0; i < iterations; i++) {
      await killAfterProgress(dbPath, 1 + rng.nextInt(3), rng.nextInt(400), committed);
      report.kills += 1;
      await leasesExpired(dbPath);
      const store = new Store(dbPath, 'chaos');
      try {
        const integrity = store.db.pragma('integrity_check', { simple: true });
        if (integrity !== 'ok') report.problems.push(`kill ${i + 1}: integrity_check says ${String(integrity)}`);
        new Runner({ store, workers: 1, leaseMs: LEASE_MS, loadDataset: () => Promise.reject(new Error('not started')) });
        const stored = new Set(store.db.prepare<[], { k: string }>("SELECT run_id || ' ' || epoch AS k FROM epochs").all().map((r) => r.k));
        for (const k of committed) if (!stored.has(k)) report.problems.push(`kill ${i + 1}: epoch '${k}' was reported committed but is missing`);
        const running = store.db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status = 'running'").get() as { n: number };
        if (running.n > 0) report.problems.push(`kill ${i + 1}: ${running.n} run(s) left running`);
        const inconsistent = store.db.prepare('SELECT COUNT(*) AS n FROM runs r WHERE epochs_done != (SELECT COUNT(*) FROM epochs e WHERE e.run_id = r.id)').get() as { n: number };
        if (inconsistent.n > 0) report.problems.push(`kill ${i + 1}: ${inconsistent.n} run(s) whose epochs_done disagrees with their stored epochs`);
        report.runsChecked = (store.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
        report.problems.push(...checkpointProblems(store, files, `kill ${i + 1}`));
      } finally {
        store.close();
      }
      report.committedEpochs = committed.size;
      log(`kill ${i + 1}/${iterations}: ${committed.size} committed epochs checked, ${report.runsChecked} runs, ${report.problems.length} problems`);
    }
    const store = new Store(dbPath, 'chaos');
    try {
      const { resumed, problems } = await resumeAndCompare(store, files, chaosDataset());
      report.resumed = resumed;
      report.problems.push(...problems);
      log(`resumed ${resumed} interrupted runs to the end: ${problems.length} differ from clean runs`);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
