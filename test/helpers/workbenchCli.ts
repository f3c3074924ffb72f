import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const run = promisify(execFile);

/** One `workbench …` invocation as a user runs it (a real process); its exit code and output. */
export async function workbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/workbench.mjs', ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Starts `workbench …` in the background, to be killed by the test. */
export function spawnWorkbench(...args: string[]): ChildProcess {
  return spawn(process.execPath, ['scripts/workbench.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Resolves once the database at `dbPath` holds at least `epochs` committed epochs (read from the
 * file, as another process would), so a kill can be timed from the child's progress; rejects if
 * the child exits first.
 */
export function untilCommitted(child: ChildProcess, dbPath: string, epochs: number): Promise<void> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    let done = false;
    child.once('exit', (code, signal) => {
      if (!done) reject(new Error(`workbench exited (${code ?? signal}) before ${epochs} epoch(s) were committed: ${output.slice(-2000)}`));
    });
    const look = (): void => {
      if (done) return;
      let n = 0;
      if (existsSync(dbPath)) {
        try {
          const db = new Database(dbPath, { readonly: true, fileMustExist: true });
          try {
            n = (db.prepare('SELECT COUNT(*) AS n FROM epochs').get() as { n: number }).n;
          } finally {
            db.close();
          }
        } catch {
          n = 0; // still being created or migrated: look again
        }
      }
      if (n >= epochs) {
        done = true;
        resolve();
      } else setTimeout(look, 25);
    };
    look();
  });
}

/** Kills the child with SIGKILL and resolves once it is gone. */
export function killNow(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
