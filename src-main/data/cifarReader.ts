import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CIFAR } from '../../src-shared/cifar';
import { AppError } from '../../src-shared/errors';
import type { Dataset, DatasetSplit } from '../engine/dataset';
import { memberRole, parseMeta, validateBatch } from './cifarLayout';
import { gunzipFile } from './gzipStream';
import { checkDeclaredCap } from './memberWriter';
import { quoteName, readTar } from './tarReader';

/** A loaded dataset plus where it came from; the record bytes live in SharedArrayBuffers. */
export interface LoadedCifar extends Dataset {
  readonly source: string;
  /** Records per batch file, in file order. */
  readonly files: { name: string; records: number }[];
}

/** Concatenates validated batch files into one SharedArrayBuffer-backed split. */
function toSplit(parts: { name: string; bytes: Uint8Array }[]): DatasetSplit {
  const total = parts.reduce((s, p) => s + p.bytes.length, 0);
  const records = new Uint8Array(new SharedArrayBuffer(total));
  let off = 0;
  for (const p of parts) {
    records.set(p.bytes, off);
    off += p.bytes.length;
  }
  return { records, count: total / CIFAR.recordBytes };
}

function assemble(source: string, found: Map<string, Uint8Array>): LoadedCifar {
  const missing = [...CIFAR.trainFiles, CIFAR.testFile, CIFAR.metaFile].filter((f) => !found.has(f));
  if (missing.length) throw new AppError('DATASET_INVALID', `${source}: missing ${missing.join(', ')}`);
  const files = [...CIFAR.trainFiles, CIFAR.testFile].map((name) => ({ name, records: validateBatch(name, found.get(name)!) }));
  const classNames = parseMeta(CIFAR.metaFile, found.get(CIFAR.metaFile)!);
  return {
    source,
    files,
    classNames,
    train: toSplit(CIFAR.trainFiles.map((name) => ({ name, bytes: found.get(name)! }))),
    test: toSplit([{ name: CIFAR.testFile, bytes: found.get(CIFAR.testFile)! }]),
  };
}

async function readFolder(dir: string): Promise<LoadedCifar> {
  const names = await readdir(dir);
  const root = !names.includes(CIFAR.testFile) && names.includes(CIFAR.folder) ? join(dir, CIFAR.folder) : dir;
  const found = new Map<string, Uint8Array>();
  for (const name of [...CIFAR.trainFiles, CIFAR.testFile, CIFAR.metaFile]) {
    const path = join(root, name);
    const info = await stat(path).catch(() => null);
    if (!info) continue;
    if (!info.isFile()) throw new AppError('DATASET_INVALID', `${name}: not a regular file`);
    const bytes = new Uint8Array(info.size);
    const fh = await open(path, 'r');
    try {
      let off = 0;
      while (off < bytes.length) {
        const { bytesRead } = await fh.read(bytes, off, bytes.length - off, off);
        if (bytesRead === 0) throw new AppError('DATASET_INVALID', `${name}: file shrank while being read`);
        off += bytesRead;
      }
    } finally {
      await fh.close();
    }
    found.set(name, bytes);
  }
  return assemble(root, found);
}

/** Reads the CIFAR members of a .tar.gz in one streaming pass; refuses anything unexpected. */
async function readArchive(path: string): Promise<LoadedCifar> {
  const found = new Map<string, Uint8Array>();
  await readTar(gunzipFile(path), (header) => {
    const base = header.name.replace(/\/+$/, '').split('/').pop() ?? '';
    if (header.type === 'directory') return null;
    const role = memberRole(base);
    const member = `member ${quoteName(header.name)}`;
    if (!role) throw new AppError('DATASET_INVALID', `${basename(path)}: unexpected ${member}`);
    if (header.type !== 'file') throw new AppError('DATASET_INVALID', `${basename(path)}: ${member} is a ${header.type}, not a regular file`);
    if (found.has(base)) throw new AppError('DATASET_INVALID', `${basename(path)}: duplicate ${member}`);
    // before the buffer below is allocated, or a skipped readme is read through
    checkDeclaredCap(`${basename(path)}: ${base}`, role, header.size);
    if (role === 'readme') return null;
    // the header gives the size: write straight into a buffer of exactly that size
    const bytes = new Uint8Array(header.size);
    let off = 0;
    return {
      write: (chunk) => {
        bytes.set(chunk, off);
        off += chunk.length;
      },
      end: () => void found.set(base, bytes),
    };
  });
  return assemble(basename(path), found);
}

/**
 * Loads CIFAR-10 from an extracted folder (the batch files, or a folder holding
 * cifar-10-batches-bin) or straight from the .tar.gz. Any whole number of records per file is
 * accepted, so tests can use small fixtures; everything else is refused with the file named.
 */
export async function readCifar(path: string): Promise<LoadedCifar> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new AppError('DATASET_MISSING', `${path}: no such file or folder`);
  return info.isDirectory() ? readFolder(path) : readArchive(path);
}
