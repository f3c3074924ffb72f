import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** How one `workbench …` process ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const CLI = resolve('scripts/workbench.mjs');

function capture(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number }): Promise<CliResult> {
  return new Promise((done) => {
    execFile(file, args, { ...options, env: { ...process.env, NODE: process.execPath, CLI, ...options.env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs `workbench …args` as a user does: a real process; with `uid`, as that user (needs root). */
export function workbenchAs(args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number } = {}): Promise<CliResult> {
  const user = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  return capture(process.execPath, [CLI, ...args], { env: options.env, ...user });
}

/**
 * Runs a shell script in a private mount namespace (unshare -m), where it may mount a read-only
 * bind or a small tmpfs that no other process sees and that vanishes with it: real EROFS and ENOSPC.
 * $NODE and $CLI name node and scripts/workbench.mjs; `args` are the script's $1, $2, ….
 */
export function inMountNamespace(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return capture('unshare', ['-m', 'sh', '-c', script, 'sh', ...args], { env });
}

/** A script prefix that mounts folder $1 read-only (a bind onto itself), then drops $1 from the arguments. */
export const READ_ONLY_BIND = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && ';

/** Whether this machine lets a test mount in a private namespace (root, with unshare and mount). */
export const canMount: boolean = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'mount-probe-'));
  try {
    const probe = spawnSync('unshare', ['-m', 'sh', '-c', `${READ_ONLY_BIND}! touch "$0/probe" 2>/dev/null`, dir, dir], { stdio: 'ignore' });
    return probe.status === 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/** Whether tests can run a process as another, unprivileged user (they run as root). */
export const canSwitchUser: boolean = process.getuid?.() === 0;

/** The unprivileged user id used for that (nobody). */
export const NOBODY = 65534;
