import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CIFAR } from '../../src-shared/cifar';
import type { CachedFile } from '../../src-shared/dataset';
import { AppError } from '../../src-shared/errors';
import type { MemberRole } from './cifarLayout';

/** Largest accepted size per kind of member: one official batch, or a small text file. */
export const MAX_BATCH_BYTES = 10_000 * CIFAR.recordBytes;
export const MAX_TEXT_BYTES = 64 * 1024;

/**
 * Refuses a member whose declared size is over its kind's cap, before anything is allocated, read
 * or skipped on its account (a skipped readme.html declaring 1 GB would still cost a 1 GB read).
 */
export function checkDeclaredCap(what: string, role: MemberRole, size: number): void {
  if (role === 'train' || role === 'test') {
    if (size > MAX_BATCH_BYTES) throw new AppError('DATASET_INVALID', `${what}: oversized (${size.toLocaleString('en')} bytes; a batch holds at most 10,000 records = 30,730,000 bytes)`);
  } else if (size > MAX_TEXT_BYTES) {
    throw new AppError('DATASET_INVALID', `${what}: oversized (${size.toLocaleString('en')} bytes for a text file; at most ${MAX_TEXT_BYTES.toLocaleString('en')})`);
  }
}

/** Checks a member's declared size before a byte is written: under its cap, whole records for a batch. */
export function checkDeclaredSize(what: string, role: MemberRole, size: number): void {
  checkDeclaredCap(what, role, size);
  if ((role === 'train' || role === 'test') && (size === 0 || size % CIFAR.recordBytes !== 0)) {
    throw new AppError('DATASET_INVALID', `${what}: wrong size ${size.toLocaleString('en')} bytes (not a whole number of 3,073-byte records)`);
  }
}

/**
 * Writes one dataset file into the staging folder while validating it: exclusive create (never
 * overwrites or follows an existing path), every record's label checked as the bytes stream past,
 * sha256 and per-class counts computed on the way, fsync before it counts as written.
 */
export class MemberWriter {
  private readonly hash = createHash('sha256');
  private written = 0;
  readonly perClass = new Array<number>(CIFAR.classes).fill(0);
  private readonly chunks: Uint8Array[] = [];

  private constructor(
    private readonly fh: FileHandle,
    readonly name: string,
    readonly role: MemberRole,
    private readonly what: string,
    private readonly expected: number,
  ) {}

  static async create(dir: string, name: string, role: MemberRole, what: string, expected: number): Promise<MemberWriter> {
    checkDeclaredSize(what, role, expected);
    const fh = await open(join(dir, name), 'wx');
    return new MemberWriter(fh, name, role, what, expected);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.written + chunk.length > this.expected) throw new AppError('DATASET_INVALID', `${this.what}: more data than its declared size`);
    if (this.role === 'train' || this.role === 'test') {
      const { recordBytes, classes } = CIFAR;
      let i = (recordBytes - (this.written % recordBytes)) % recordBytes;
      for (; i < chunk.length; i += recordBytes) {
        const label = chunk[i];
        if (label >= classes) {
          throw new AppError('DATASET_INVALID', `${this.what}: record ${(this.written + i) / recordBytes} has label ${label}; labels must be 0–9`);
        }
        this.perClass[label] += 1;
      }
    } else {
      this.chunks.push(Uint8Array.from(chunk));
    }
    this.hash.update(chunk);
    let off = 0;
    while (off < chunk.length) off += (await this.fh.write(chunk, off, chunk.length - off)).bytesWritten;
    this.written += chunk.length;
  }

  /** Flushes to disk and returns what the manifest records about the file. */
  async finish(): Promise<CachedFile & { text: string | null }> {
    if (this.written !== this.expected) throw new AppError('DATASET_INVALID', `${this.what}: truncated (${this.written} of ${this.expected} bytes)`);
    await this.fh.sync();
    await this.fh.close();
    const records = this.role === 'train' || this.role === 'test' ? this.written / CIFAR.recordBytes : null;
    const text = this.role === 'meta' ? new TextDecoder().decode(Buffer.concat(this.chunks)) : null;
    return { name: this.name, bytes: this.written, records, sha256: this.hash.digest('hex'), text };
  }

  /** Closes after a failure; the staging folder is removed by the caller. */
  async abandon(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}
