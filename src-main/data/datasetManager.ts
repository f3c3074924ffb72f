import { mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CIFAR } from '../../src-shared/cifar';
import { OFFICIAL_ARCHIVE, type DatasetProgress, type DatasetSource, type DatasetStatus, type VerifyReport } from '../../src-shared/dataset';
import { AppError } from '../../src-shared/errors';
import type { Dataset } from '../engine/dataset';
import { CacheFolders } from './cacheFolders';
import { fileDigests } from './checksums';
import { copyFolder, extractArchive, type ExtractedData } from './extract';
import { download } from './httpDownload';
import { readManifest, writeManifest, type Manifest } from './manifest';
import { cifarRecordToPng } from './png';

export interface OperationOptions {
  onProgress?: (p: DatasetProgress) => void;
}

export interface DownloadRequest extends OperationOptions {
  url?: string;
  /** Size and MD5 the file must have; the official archive's unless a test serves its own. */
  expected?: { bytes: number; md5: string };
  retryDelayMs?: number;
}

/**
 * The CIFAR-10 cache in the home folder: download, import, verify, load. One operation runs at a
 * time; every one stages its work beside the cache and only a complete, validated copy replaces
 * it, so a refused archive or a crash never touches what is already saved.
 */
export class DatasetManager {
  readonly folders: CacheFolders;
  private recovered: Promise<string[]> | null = null;
  private busy: { state: 'downloading' | 'importing'; controller: AbortController } | null = null;
  private loaded: { createdAt: string; data: Dataset } | null = null;

  constructor(readonly home: string) {
    this.folders = new CacheFolders(home);
  }

  private get archivePath(): string {
    return join(this.folders.downloads, 'cifar-10-binary.tar.gz');
  }

  /**
   * Cleans what an interrupted run left (once per manager) before anything reads the cache; another
   * process's import still running is left alone (see CacheFolders.recover).
   */
  private recover(): Promise<string[]> {
    this.recovered ??= this.folders.recover();
    return this.recovered;
  }

  async status(): Promise<DatasetStatus> {
    const cleaned = await this.recover();
    const partial = (await stat(`${this.archivePath}.part`).catch(() => null))?.size ?? 0;
    const base: DatasetStatus = {
      state: 'absent', detail: null, home: this.home, cacheDir: this.folders.final, source: null, classNames: [],
      train: null, test: null, files: [], createdAt: null, partialDownloadBytes: partial,
    };
    if (cleaned.length) base.detail = `removed an unfinished extraction left by an interrupted run (${cleaned.join(', ')})`;
    if (this.busy) return { ...base, state: this.busy.state, detail: this.busy.state === 'downloading' ? 'downloading the official archive' : 'importing' };
    if (!(await stat(this.folders.final).catch(() => null))) return base;
    let manifest: Manifest;
    try {
      manifest = await readManifest(this.folders.final);
    } catch (e) {
      return { ...base, state: 'corrupt', detail: (e as Error).message };
    }
    const withManifest: DatasetStatus = {
      ...base, state: 'ready', source: manifest.source, classNames: manifest.classNames, train: manifest.train,
      test: manifest.test, files: manifest.files, createdAt: manifest.createdAt,
    };
    for (const f of manifest.files) {
      const size = (await stat(join(this.folders.final, CIFAR.folder, f.name)).catch(() => null))?.size;
      if (size !== f.bytes) {
        return { ...withManifest, state: 'corrupt', detail: `${f.name}: ${size === undefined ? 'missing' : `${size} bytes, manifest says ${f.bytes}`}` };
      }
    }
    return withManifest;
  }

  private async exclusive<T>(state: 'downloading' | 'importing', work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    await this.recover();
    if (this.busy) throw new AppError('VALIDATION', `The dataset is busy (${this.busy.state}); cancel it or wait`);
    const controller = new AbortController();
    this.busy = { state, controller };
    try {
      return await work(controller.signal);
    } finally {
      this.busy = null;
    }
  }

  /** Runs an operation that installs a new cache, then reports the status it left. */
  private async installing(state: 'downloading' | 'importing', work: (signal: AbortSignal) => Promise<void>): Promise<DatasetStatus> {
    await this.exclusive(state, work);
    return this.status();
  }

  /** Cancels a running download or import (a download's partial file is kept for resuming). */
  cancel(): boolean {
    this.busy?.controller.abort();
    return this.busy !== null;
  }

  /** Extracts into staging, writes the manifest last, then swaps the staging folder in. */
  private async install(stage: (staging: string) => Promise<{ data: ExtractedData; source: DatasetSource }>): Promise<void> {
    const staging = await this.folders.newStaging();
    try {
      const { data, source } = await stage(staging);
      await writeManifest(staging, { version: 1, createdAt: new Date().toISOString(), source, ...data });
      await this.folders.commit(staging);
    } catch (e) {
      await this.folders.discard(staging);
      throw e;
    }
    this.loaded = null;
  }

  /** Downloads the official archive (or a mirror), checks size and MD5, then extracts it. */
  async download(req: DownloadRequest = {}): Promise<DatasetStatus> {
    const url = req.url ?? OFFICIAL_ARCHIVE.url;
    const expected = req.expected ?? { bytes: OFFICIAL_ARCHIVE.bytes, md5: OFFICIAL_ARCHIVE.md5 };
    return this.installing('downloading', async (signal) => {
      await mkdir(this.folders.downloads, { recursive: true });
      await download(url, this.archivePath, { onProgress: req.onProgress, signal, retryDelayMs: req.retryDelayMs });
      const digest = await fileDigests(this.archivePath, req.onProgress, expected.bytes, signal);
      if (digest.bytes !== expected.bytes || digest.md5 !== expected.md5) {
        await rm(this.archivePath, { force: true });
        throw new AppError('CHECKSUM', `The downloaded file does not match the expected archive (${digest.bytes.toLocaleString('en')} bytes, MD5 ${digest.md5}; expected ${expected.bytes.toLocaleString('en')} bytes, MD5 ${expected.md5}). It was deleted; nothing was extracted.`);
      }
      try {
        await this.install(async (staging) => ({
          data: await extractArchive(this.archivePath, staging, { onProgress: req.onProgress, signal }),
          source: { kind: 'download', location: url, official: true, archiveSha256: digest.sha256, archiveMd5: digest.md5 },
        }));
      } finally {
        await rm(this.archivePath, { force: true });
      }
    });
  }

  /**
   * Imports a local .tar.gz or an extracted cifar-10-batches-bin folder. An archive that is not
   * byte-identical to the official one but is structurally valid is accepted as an unofficial copy.
   */
  async import(path: string, options: OperationOptions = {}): Promise<DatasetStatus> {
    const info = await stat(path).catch(() => null);
    if (!info) throw new AppError('DATASET_MISSING', `${path}: no such file or folder`);
    return this.installing('importing', async (signal) => {
      if (info.isDirectory()) {
        const folder = (await stat(join(path, CIFAR.folder)).catch(() => null))?.isDirectory() ? join(path, CIFAR.folder) : path;
        await this.install(async (staging) => ({
          data: await copyFolder(folder, staging, { ...options, signal }),
          source: { kind: 'import-folder', location: folder, official: false, archiveSha256: null, archiveMd5: null },
        }));
        return;
      }
      await this.install(async (staging) => {
        const { md5, sha256, ...data } = await extractArchive(path, staging, { ...options, signal });
        const official = info.size === OFFICIAL_ARCHIVE.bytes && md5 === OFFICIAL_ARCHIVE.md5;
        return { data, source: { kind: 'import-archive', location: path, official, archiveSha256: sha256, archiveMd5: md5 } };
      });
    });
  }

  /** Re-hashes every cached file against the manifest. */
  async verify(options: OperationOptions = {}): Promise<VerifyReport> {
    const status = await this.status();
    if (status.state !== 'ready') return { ok: false, problems: [status.detail ?? `the cache is ${status.state}`], status };
    const problems: string[] = [];
    for (const f of status.files) {
      const digest = await fileDigests(join(this.folders.final, CIFAR.folder, f.name), options.onProgress, f.bytes);
      if (digest.sha256 !== f.sha256) problems.push(`${f.name}: sha256 ${digest.sha256.slice(0, 12)}… does not match the manifest (${f.sha256.slice(0, 12)}…)`);
    }
    return { ok: problems.length === 0, problems, status: problems.length ? { ...status, state: 'corrupt', detail: problems.join('; ') } : status };
  }

  /**
   * The ready cache as raw records in SharedArrayBuffers (train and test), read straight from the
   * files into the shared memory; kept so later calls (and every worker) share the same bytes.
   */
  async load(): Promise<Dataset> {
    const status = await this.status();
    if (status.state !== 'ready') throw new AppError('DATASET_MISSING', `No usable dataset: the cache is ${status.state}${status.detail ? ` (${status.detail})` : ''}. Download or import CIFAR-10 first.`);
    if (this.loaded?.createdAt === status.createdAt) return this.loaded.data;
    const read = async (names: readonly string[]): Promise<{ records: Uint8Array; count: number }> => {
      const sizes = names.map((n) => status.files.find((f) => f.name === n)!.bytes);
      const records = new Uint8Array(new SharedArrayBuffer(sizes.reduce((s, b) => s + b, 0)));
      let off = 0;
      for (const [i, n] of names.entries()) {
        const fh = await open(join(this.folders.final, CIFAR.folder, n), 'r');
        try {
          let got = 0;
          while (got < sizes[i]) {
            const { bytesRead } = await fh.read(records, off + got, sizes[i] - got, got);
            if (bytesRead === 0) throw new AppError('DATASET_INVALID', `${n}: shorter than the manifest says`);
            got += bytesRead;
          }
        } finally {
          await fh.close();
        }
        off += sizes[i];
      }
      touchPages(records);
      return { records, count: off / CIFAR.recordBytes };
    };
    const data: Dataset = { train: await read(CIFAR.trainFiles), test: await read([CIFAR.testFile]), classNames: status.classNames };
    this.loaded = { createdAt: status.createdAt!, data };
    return data;
  }

  /** One image of the cache as a PNG (scaled up `scale` times), with its label. */
  async image(split: 'train' | 'test', index: number, scale = 1): Promise<{ png: Buffer; label: number; className: string }> {
    const data = await this.load();
    const s = split === 'train' ? data.train : data.test;
    if (!Number.isInteger(index) || index < 0 || index >= s.count) throw new AppError('VALIDATION', `index must be an integer 0–${s.count - 1} for the ${split} split`);
    const base = index * CIFAR.recordBytes;
    const label = s.records[base];
    return { png: cifarRecordToPng(s.records.subarray(base + 1, base + CIFAR.recordBytes), scale), label, className: data.classNames[label] };
  }

  /** The indices of the first `perClass` images of each class, for a gallery. */
  async samples(split: 'train' | 'test', perClass: number): Promise<{ classNames: string[]; samples: { label: number; index: number }[] }> {
    const data = await this.load();
    const s = split === 'train' ? data.train : data.test;
    const taken = new Array<number>(CIFAR.classes).fill(0);
    const samples: { label: number; index: number }[] = [];
    for (let i = 0; i < s.count && samples.length < perClass * CIFAR.classes; i++) {
      const label = s.records[i * CIFAR.recordBytes];
      if (taken[label] < perClass) {
        taken[label] += 1;
        samples.push({ label, index: i });
      }
    }
    return { classNames: [...data.classNames], samples: samples.sort((a, b) => a.label - b.label || a.index - b.index) };
  }

  /** The archive name a download is kept under while it is partial. */
  get partialDownload(): string {
    return basename(`${this.archivePath}.part`);
  }
}

/**
 * Reads one byte of every page of freshly read shared memory. The file reads fill it through another
 * mapping, so this process's first pass over the bytes still pays a page fault per 4 KiB (about 0.25 s
 * for the training split on a VM): paid here, while loading, it no longer slows the first epoch of the
 * first run (and of every worker at once when several start together).
 */
function touchPages(bytes: Uint8Array): void {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 4096) sum += bytes[i];
  if (sum < 0) throw new Error('unreachable');
}

