import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetStatus } from '../../src-shared/dataset';
import { AppError } from '../../src-shared/errors';
import { fileDigests } from '../data/checksums';
import { readCifar } from '../data/cifarReader';
import { cacheSha256 } from '../data/datasetIdentity';
import { DatasetManager } from '../data/datasetManager';
import type { DatasetSplit } from '../engine/dataset';
import { DB_FILE } from '../store/database';

/** The test split a model is evaluated on, with the identity runs record for their dataset. */
export interface EvaluationData {
  test: DatasetSplit;
  classNames: readonly string[];
  /** What the data is, in words: the cache of a home, a folder or an archive. */
  source: string;
  /** The dataset identity runs record (dataset_sha256); null when it cannot be known. */
  sha256: string | null;
}

export { cacheSha256 };

async function fromHome(home: string): Promise<EvaluationData> {
  const manager = new DatasetManager(home);
  const data = await manager.load();
  const status = await manager.status();
  return { test: data.test, classNames: data.classNames, source: `the dataset cache of ${home}`, sha256: cacheSha256(status) };
}

/** sha256 of each file of an extracted folder, joined in name order: what importing the folder would record. */
async function folderSha256(root: string): Promise<string> {
  const names = (await readdir(root)).filter((n) => /^(data_batch_[1-5]\.bin|test_batch\.bin|batches\.meta\.txt)$/.test(n)).sort((a, b) => a.localeCompare(b));
  const digests: string[] = [];
  for (const n of names) digests.push((await fileDigests(join(root, n))).sha256);
  return createHash('sha256').update(digests.join()).digest('hex');
}

/**
 * Where `workbench evaluate` takes its test images from: the cache of the home folder (the default),
 * or --data: another home folder, an extracted cifar-10-batches-bin folder or the .tar.gz.
 */
export async function loadEvaluationData(dataOption: string | undefined, home: string): Promise<EvaluationData> {
  if (dataOption === undefined) return fromHome(home);
  const info = await stat(dataOption).catch(() => null);
  if (!info) throw new AppError('DATASET_MISSING', `--data ${dataOption}: no such file or folder`);
  if (info.isDirectory() && (existsSync(new DatasetManager(dataOption).folders.datasets) || existsSync(join(dataOption, DB_FILE)))) return fromHome(dataOption);
  const data = await readCifar(dataOption);
  const sha256 = info.isDirectory() ? await folderSha256(data.source) : (await fileDigests(dataOption)).sha256;
  return { test: data.test, classNames: data.classNames, source: info.isDirectory() ? `the folder ${data.source}` : `the archive ${dataOption}`, sha256 };
}
