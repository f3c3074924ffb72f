import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CIFAR } from '../../src-shared/cifar';
import type { CachedFile, DatasetProgress, SplitInfo } from '../../src-shared/dataset';
import { AppError } from '../../src-shared/errors';
import { memberRole, parseMeta } from './cifarLayout';
import { gunzipFile } from './gzipStream';
import { checkDeclaredCap, MemberWriter } from './memberWriter';
import { RateMeter } from './rateMeter';
import { syncDir } from './syncDir';
import { quoteName, readTar, type TarEntryHeader } from './tarReader';

/** What a validated extraction produced, for the manifest. */
export interface ExtractedData {
  files: CachedFile[];
  classNames: string[];
  train: SplitInfo;
  test: SplitInfo;
}

export interface ExtractOptions {
  onProgress?: (p: DatasetProgress) => void;
  signal?: AbortSignal;
}

/**
 * The single place that decides whether an archive member may be written: only
 * `cifar-10-batches-bin/` and the expected regular files inside it. Returns the file's base name,
 * or null for the folder entry itself.
 */
export function checkMember(archive: string, h: TarEntryHeader): string | null {
  const what = `${archive}: member ${quoteName(h.name)}`;
  if (h.name.startsWith('/') || /^[A-Za-z]:/.test(h.name)) throw new AppError('DATASET_INVALID', `${what} has an absolute path`);
  if (h.name.includes('\\')) throw new AppError('DATASET_INVALID', `${what} contains a backslash`);
  const parts = h.name.replace(/^\.\//, '').split('/');
  if (parts.includes('..')) throw new AppError('DATASET_INVALID', `${what} tries to leave the extraction folder (path traversal)`);
  if (h.type === 'symlink' || h.type === 'hardlink') {
    throw new AppError('DATASET_INVALID', `${what} is a ${h.type === 'symlink' ? 'symbolic' : 'hard'} link to ${quoteName(h.linkName)}; links are not allowed`);
  }
  if (h.type === 'device' || h.type === 'fifo' || h.type === 'other') throw new AppError('DATASET_INVALID', `${what} is a ${h.type}, not a regular file`);
  const clean = parts.filter((p) => p !== '' && p !== '.');
  if (h.type === 'directory') {
    if (clean.length === 1 && clean[0] === CIFAR.folder) return null;
    throw new AppError('DATASET_INVALID', `${what}: unexpected folder`);
  }
  if (clean.length !== 2 || clean[0] !== CIFAR.folder || !memberRole(clean[1])) throw new AppError('DATASET_INVALID', `${what}: unexpected member`);
  return clean[1];
}

function summarize(written: Map<string, CachedFile & { text: string | null; perClass: number[] }>, source: string): ExtractedData {
  const missing = [...CIFAR.trainFiles, CIFAR.testFile, CIFAR.metaFile].filter((f) => !written.has(f));
  if (missing.length) throw new AppError('DATASET_INVALID', `${source}: missing ${missing.join(', ')}`);
  const split = (names: readonly string[]): SplitInfo => {
    const perClass = new Array<number>(CIFAR.classes).fill(0);
    let records = 0;
    for (const n of names) {
      const f = written.get(n)!;
      records += f.records ?? 0;
      f.perClass.forEach((c, i) => (perClass[i] += c));
    }
    return { records, perClass };
  };
  return {
    files: [...written.values()].map(({ name, bytes, records, sha256 }) => ({ name, bytes, records, sha256 })).sort((a, b) => a.name.localeCompare(b.name)),
    classNames: parseMeta(CIFAR.metaFile, new TextEncoder().encode(written.get(CIFAR.metaFile)!.text ?? '')),
    train: split(CIFAR.trainFiles),
    test: split([CIFAR.testFile]),
  };
}

/**
 * Extracts a CIFAR-10 .tar.gz into `staging/cifar-10-batches-bin`, refusing path traversal,
 * absolute paths, links, devices, duplicates, unexpected or oversized members and truncation. Also
 * returns the archive's MD5 and sha256 (hashed from the same read).
 */
export async function extractArchive(archivePath: string, staging: string, options: ExtractOptions = {}): Promise<ExtractedData & { md5: string; sha256: string }> {
  const name = basename(archivePath);
  const total = (await stat(archivePath)).size;
  const dir = join(staging, CIFAR.folder);
  await mkdir(dir, { recursive: true });
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  const meter = new RateMeter('extract', total, options.onProgress);
  let raw = 0;
  const written = new Map<string, CachedFile & { text: string | null; perClass: number[] }>();
  const seen = new Set<string>();
  let current: MemberWriter | null = null;
  try {
    await readTar(
      gunzipFile(archivePath, (chunk) => {
        md5.update(chunk);
        sha.update(chunk);
        raw += chunk.length;
        meter.update(raw);
      }, options.signal),
      async (h) => {
        const base = checkMember(name, h);
        if (base === null) return null;
        if (seen.has(base)) throw new AppError('DATASET_INVALID', `${name}: duplicate member ${quoteName(h.name)}`);
        seen.add(base);
        const role = memberRole(base)!;
        // named by its canonical path: h.name may be padded to any length with '/' and './'
        const what = `${name}: ${CIFAR.folder}/${base}`;
        if (role === 'readme') {
          checkDeclaredCap(what, role, h.size);
          return null;
        }
        const writer: MemberWriter = await MemberWriter.create(dir, base, role, what, h.size);
        current = writer;
        return {
          write: (chunk) => writer.write(chunk),
          end: async () => {
            written.set(base, { ...(await writer.finish()), perClass: writer.perClass });
            current = null;
          },
        };
      },
    );
  } catch (e) {
    await (current as MemberWriter | null)?.abandon();
    throw e;
  }
  meter.update(raw, true);
  await syncDir(dir);
  return { ...summarize(written, name), md5: md5.digest('hex'), sha256: sha.digest('hex') };
}

/** Copies an extracted cifar-10-batches-bin folder into staging with the same validation. */
export async function copyFolder(folder: string, staging: string, options: ExtractOptions = {}): Promise<ExtractedData> {
  const dir = join(staging, CIFAR.folder);
  await mkdir(dir, { recursive: true });
  const written = new Map<string, CachedFile & { text: string | null; perClass: number[] }>();
  const names = [...CIFAR.trainFiles, CIFAR.testFile, CIFAR.metaFile];
  const sizes = await Promise.all(names.map((n) => stat(join(folder, n)).catch(() => null)));
  const total = sizes.reduce((s, i) => s + (i?.size ?? 0), 0);
  const meter = new RateMeter('extract', total, options.onProgress);
  let done = 0;
  for (const [i, base] of names.entries()) {
    const info = sizes[i];
    if (!info) continue;
    if (!info.isFile()) throw new AppError('DATASET_INVALID', `${base}: not a regular file`);
    const writer = await MemberWriter.create(dir, base, memberRole(base)!, base, info.size);
    try {
      for await (const chunk of createReadStream(join(folder, base), { highWaterMark: 1 << 20, signal: options.signal })) {
        await writer.write(chunk as Buffer);
        done += (chunk as Buffer).length;
        meter.update(done);
      }
      written.set(base, { ...(await writer.finish()), perClass: writer.perClass });
    } catch (e) {
      await writer.abandon();
      if ((e as Error).name === 'AbortError') throw new AppError('CANCELLED', 'Cancelled');
      throw e;
    }
  }
  meter.update(done, true);
  await syncDir(dir);
  return summarize(written, folder);
}
