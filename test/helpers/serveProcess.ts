import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/** A running `workbench serve` process over a fresh home. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  base: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Ctrl-C, then waits for it to exit; removes the home. */
  stop(): Promise<void>;
}

/**
 * Starts `workbench serve --port 0` as the user would (the CLI through tsx, the built renderer in
 * out/renderer) with one worker, and resolves once it has printed its URL; rejects with its stderr
 * if it exits first.
 */
export function startServeProcess(): Promise<ServeProcess> {
  const home = mkdtempSync(join(tmpdir(), 'serve-process-'));
  const child = spawn(process.execPath, ['scripts/workbench.mjs', 'serve', '--port', '0', '--home', home, '--workers', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`workbench serve exited (${code ?? signal}) before printing its URL:\n${stderr}`)));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/.exec(stdout);
      if (!m) return;
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      const port = Number(m[1]);
      resolve({
        child,
        port,
        token: m[2],
        base: `http://127.0.0.1:${port}`,
        stderr: () => stderr,
        alive: () => child.exitCode === null && child.signalCode === null,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          await exited;
          rmSync(home, { recursive: true, force: true });
        },
      });
    });
  });
}
