import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { currentOwner, isProvablyDead, parseOwner } from './processOwner';
import { syncDir } from './syncDir';

const STAGING = '.staging-';
const OLD = '.old-';
const OWNER = '.owner';

/**
 * The folders of the dataset cache under the home folder. A finished cache is one folder renamed
 * into place in one step; extraction happens beside it in `.staging-<id>` folders. Each has an
 * owner file `.staging-<id>.owner` (pid, process start time, boot), written before the folder and
 * removed after it is gone, so any process (CLI, serve, the app) starting while another imports
 * can tell a live staging folder from one a crash left, and removes only the latter.
 */
export class CacheFolders {
  readonly datasets: string;
  readonly final: string;
  readonly downloads: string;

  constructor(readonly home: string) {
    this.datasets = join(home, 'datasets');
    this.final = join(this.datasets, 'cifar-10');
    this.downloads = join(home, 'downloads');
  }

  private ownerFile(id: string): string {
    return join(this.datasets, `${STAGING}${id}${OWNER}`);
  }

  /** A fresh, empty staging folder, owned by this process. */
  async newStaging(): Promise<string> {
    await mkdir(this.datasets, { recursive: true });
    const id = randomBytes(6).toString('hex');
    await writeFile(this.ownerFile(id), JSON.stringify(await currentOwner()), { flag: 'wx' });
    const dir = join(this.datasets, `${STAGING}${id}`);
    await mkdir(dir);
    return dir;
  }

  /** Makes a complete staging folder the cache, replacing any previous one only once it is whole. */
  async commit(staging: string): Promise<void> {
    const id = basename(staging).slice(STAGING.length);
    const old = join(this.datasets, `${OLD}${id}`);
    const hadOld = await exists(this.final);
    if (hadOld) await rename(this.final, old);
    await rename(staging, this.final);
    await syncDir(this.datasets);
    if (hadOld) await rm(old, { recursive: true, force: true });
    await rm(this.ownerFile(id), { force: true });
  }

  /** Removes a staging folder whose work failed, then its owner file. */
  async discard(staging: string): Promise<void> {
    await rm(staging, { recursive: true, force: true });
    await rm(this.ownerFile(basename(staging).slice(STAGING.length)), { force: true });
  }

  /**
   * Start-up recovery: removes the staging folders of extractions whose process has provably
   * exited (or that have no owner file: left by an older version), and finishes their interrupted
   * replacement (restoring the previous cache if the new one never arrived). Work whose owner
   * still runs, or cannot be proved gone, is left alone. Returns what it cleaned, for the status.
   */
  async recover(): Promise<string[]> {
    const entries = await readdir(this.datasets).catch(() => [] as string[]);
    const ids = new Map<string, { staging: boolean; old: boolean; owner: boolean }>();
    const slot = (id: string): { staging: boolean; old: boolean; owner: boolean } => {
      if (!ids.has(id)) ids.set(id, { staging: false, old: false, owner: false });
      return ids.get(id)!;
    };
    for (const e of entries) {
      if (e.startsWith(STAGING) && e.endsWith(OWNER)) slot(e.slice(STAGING.length, -OWNER.length)).owner = true;
      else if (e.startsWith(STAGING)) slot(e.slice(STAGING.length)).staging = true;
      else if (e.startsWith(OLD)) slot(e.slice(OLD.length)).old = true;
    }
    const cleaned: string[] = [];
    for (const [id, found] of ids) {
      const owner = await this.ownerState(id);
      if (owner === 'alive' || (owner === 'none' && found.owner)) continue; // running, or finished since the listing
      const staging = join(this.datasets, `${STAGING}${id}`);
      if (found.staging && (await exists(staging))) {
        await rm(staging, { recursive: true, force: true });
        cleaned.push(`${STAGING}${id}`);
      }
      if (found.old) await this.settleOld(join(this.datasets, `${OLD}${id}`));
      await rm(this.ownerFile(id), { force: true });
    }
    return cleaned;
  }

  /**
   * Whether the owner of a staging id still runs. Read again rather than trusted from the listing:
   * the owner file is written before its folder, so a folder seen without one is either from an
   * older version or already finished. An unreadable file may be half-written: counted as alive.
   */
  private async ownerState(id: string): Promise<'alive' | 'dead' | 'none'> {
    const text = await readFile(this.ownerFile(id), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : ''));
    if (text === null) return 'none';
    const owner = parseOwner(text);
    return owner !== null && (await isProvablyDead(owner)) ? 'dead' : 'alive';
  }

  /**
   * The previous cache of an interrupted replacement: back into place if the new one never arrived,
   * else removed. Never removed while no cache stands in its place.
   */
  private async settleOld(old: string): Promise<void> {
    if (!(await exists(this.final))) await rename(old, this.final).catch(() => undefined);
    if (await exists(this.final)) await rm(old, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
