import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from './syncDir';

/**
 * The folders of the dataset cache under the home folder. A finished cache is one folder renamed
 * into place in one step; extraction happens beside it in `.staging-*` folders that a later start
 * removes if a crash left them behind.
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

  /** A fresh, empty staging folder. */
  async newStaging(): Promise<string> {
    await mkdir(this.datasets, { recursive: true });
    const dir = join(this.datasets, `.staging-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    return dir;
  }

  /** Makes a complete staging folder the cache, replacing any previous one only once it is whole. */
  async commit(staging: string): Promise<void> {
    const old = join(this.datasets, `.old-${randomBytes(6).toString('hex')}`);
    const hadOld = await exists(this.final);
    if (hadOld) await rename(this.final, old);
    await rename(staging, this.final);
    await syncDir(this.datasets);
    if (hadOld) await rm(old, { recursive: true, force: true });
  }

  /**
   * Start-up recovery: removes staging folders an interrupted extraction left, and finishes an
   * interrupted replacement (restoring the previous cache if the new one never arrived).
   * Returns what it cleaned, for the status detail.
   */
  async recover(): Promise<string[]> {
    const entries = await readdir(this.datasets).catch(() => [] as string[]);
    const cleaned: string[] = [];
    for (const e of entries.filter((n) => n.startsWith('.staging-'))) {
      await rm(join(this.datasets, e), { recursive: true, force: true });
      cleaned.push(e);
    }
    const olds = entries.filter((n) => n.startsWith('.old-'));
    if (olds.length && !(await exists(this.final))) await rename(join(this.datasets, olds.pop()!), this.final);
    for (const e of olds) await rm(join(this.datasets, e), { recursive: true, force: true });
    return cleaned;
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
