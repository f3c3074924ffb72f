import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * Who owns a piece of unfinished work (a staging folder): enough for another process, later, to
 * tell whether that owner still runs. A pid alone is not: pids are reused, so on Linux the owner
 * is also named by its start time (field 22 of /proc/<pid>/stat, in clock ticks since boot) and the
 * boot it ran in.
 */
export interface ProcessOwner {
  pid: number;
  /** Start time in clock ticks since boot; null where /proc is not available. */
  startTicks: string | null;
  /** /proc/sys/kernel/random/boot_id; null where not available. */
  bootId: string | null;
  host: string;
}

interface ProcStat {
  state: string;
  startTicks: string;
}

/** The process's state and start time from /proc; null if it does not exist, undefined without /proc. */
async function procStat(pid: number): Promise<ProcStat | null | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    // only "no such entry" in a working /proc means no such process; anything else proves nothing
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && (await hasProc()) ? null : undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces and ')', so split after the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields.length > 19 ? { state: fields[0], startTicks: fields[19] } : undefined;
}

let procAvailable: Promise<boolean> | null = null;
function hasProc(): Promise<boolean> {
  procAvailable ??= readFile('/proc/self/stat', 'utf8').then(() => true, () => false);
  return procAvailable;
}

let bootId: Promise<string | null> | null = null;
function currentBootId(): Promise<string | null> {
  bootId ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((s) => s.trim() || null, () => null);
  return bootId;
}

let self: Promise<ProcessOwner> | null = null;
/** This process, as it is recorded in an owner file. */
export function currentOwner(): Promise<ProcessOwner> {
  self ??= (async () => ({
    pid: process.pid,
    startTicks: (await procStat(process.pid))?.startTicks ?? null,
    bootId: await currentBootId(),
    host: hostname(),
  }))();
  return self;
}

/** Reads an owner record; null when the text is not one (a half-written or foreign file). */
export function parseOwner(text: string): ProcessOwner | null {
  try {
    const o = JSON.parse(text) as Partial<ProcessOwner>;
    if (!Number.isSafeInteger(o.pid) || o.pid! <= 0 || typeof o.host !== 'string') return null;
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    return { pid: o.pid!, startTicks: str(o.startTicks), bootId: str(o.bootId), host: o.host };
  } catch {
    return null;
  }
}

/**
 * True only when the owner has certainly exited: it ran in an earlier boot, or its pid is gone,
 * a zombie, or now belongs to a process that started at another time. Without /proc (macOS,
 * Windows) the fallback is signal 0, which cannot see pid reuse: a reused pid keeps the owner
 * "alive", so a stale folder may stay, but a live one is never taken. An owner on another host
 * (a home on a network drive) is never declared dead.
 */
export async function isProvablyDead(owner: ProcessOwner): Promise<boolean> {
  if (owner.host !== hostname()) return false;
  const boot = await currentBootId();
  if (owner.bootId && boot && owner.bootId !== boot) return true;
  const st = await procStat(owner.pid);
  if (st === null) return true;
  if (st !== undefined) return st.state === 'Z' || st.state === 'X' || (owner.startTicks !== null && st.startTicks !== owner.startTicks);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
