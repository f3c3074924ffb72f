import { AppError } from '../../src-shared/errors';
import { checksumMatches, headerKind, octalField, parsePax, quoteName, textField, type TarEntryType } from './tarHeader';

export type { TarEntryType } from './tarHeader';
export { quoteName } from './tarHeader';

export interface TarEntryHeader {
  name: string;
  type: TarEntryType;
  size: number;
  linkName: string;
}

/** Receives one entry's bytes; returned by the onEntry callback for entries the caller wants. */
export interface TarEntrySink {
  write(chunk: Uint8Array): void | Promise<void>;
  end(): void | Promise<void>;
}

/**
 * Caps on what a header may declare, checked before a byte of the entry is read: nothing is held
 * in memory or read through on the archive's word alone, so a crafted header cannot make the
 * reader buffer gigabytes or spin through them.
 */
export interface TarLimits {
  /** Largest data size of a regular entry (the caller may refuse smaller ones). */
  maxEntryBytes: number;
  /** Largest GNU long-name (`L`) or pax (`x`, `g`) header; these are held in memory. */
  maxMetaBytes: number;
  /** Bytes accepted after the end-of-archive marker (tar pads to its record size, 10 KiB by default). */
  maxTrailingBytes: number;
}

/** Generous for CIFAR-10: its largest member is 30,730,000 bytes, its names and pax records tiny. */
export const DEFAULT_TAR_LIMITS: TarLimits = { maxEntryBytes: 64 * 1024 * 1024, maxMetaBytes: 64 * 1024, maxTrailingBytes: 1024 * 1024 };

const BLOCK = 512;
const bytes = (n: number): string => `${n.toLocaleString('en')} bytes`;
const NO_DATA = new Set<string>(['directory', 'symlink', 'hardlink', 'device', 'fifo']);

/**
 * Streams a tar archive (ustar, GNU long names, pax) and hands each entry's data to the sink the
 * callback returns (or skips it). Refuses bad header checksums, declared sizes over the limits, a
 * stream that ends inside an entry, a missing end-of-archive marker and more than a record's worth
 * of data after it: a truncated archive is never taken for a complete one, and the work done is
 * linear in the archive's size.
 */
export async function readTar(
  source: AsyncIterable<Uint8Array>,
  onEntry: (header: TarEntryHeader) => TarEntrySink | null | Promise<TarEntrySink | null>,
  limits: Partial<TarLimits> = {},
): Promise<void> {
  const { maxEntryBytes, maxMetaBytes, maxTrailingBytes } = { ...DEFAULT_TAR_LIMITS, ...limits };
  let buf: Uint8Array = new Uint8Array(0);
  let remaining = 0; // data bytes of the current entry still to come
  let padding = 0;
  // (typed by assertion: set inside startEntry, so TypeScript must not narrow them to null here)
  let sink = null as TarEntrySink | null;
  let meta = null as { kind: 'longname' | 'pax' | 'global-pax'; data: Uint8Array; filled: number } | null;
  let pendingName: string | null = null;
  let pax: Record<string, string> = {};
  let ended = false;
  let trailing = 0; // bytes seen after the end-of-archive marker

  const finishEntry = async (): Promise<void> => {
    if (sink) await sink.end();
    sink = null;
    if (meta) {
      if (meta.kind === 'longname') pendingName = textField(meta.data, 0, meta.data.length);
      else if (meta.kind === 'pax') pax = parsePax(meta.data);
      meta = null;
    }
  };

  /** A real entry's size: its pax record's when a pax header preceded it, else the header field. */
  const declaredSize = (h: Uint8Array): number => {
    if (pax.size === undefined) return octalField(h, 124, 12, 'size');
    if (!/^\d{1,16}$/.test(pax.size)) throw new AppError('DATASET_INVALID', `tar: pax size ${quoteName(pax.size)} is not a whole number of bytes`);
    return Number(pax.size);
  };

  const startEntry = async (h: Uint8Array): Promise<void> => {
    if (!checksumMatches(h)) throw new AppError('DATASET_INVALID', 'tar: header checksum mismatch (corrupt or not a tar archive)');
    const kind = headerKind(h[156]);
    if (kind === 'longname' || kind === 'pax' || kind === 'global-pax') {
      const size = octalField(h, 124, 12, 'size');
      if (size > maxMetaBytes) {
        const what = kind === 'longname' ? 'GNU long-name header' : 'pax extended header';
        throw new AppError('DATASET_INVALID', `tar: a ${what} declares ${bytes(size)}; at most ${bytes(maxMetaBytes)} are accepted (crafted or corrupt archive)`);
      }
      meta = { kind, data: new Uint8Array(size), filled: 0 };
      remaining = size;
    } else {
      const prefix = textField(h, 257, 6) === 'ustar' ? textField(h, 345, 155) : '';
      const name = pendingName ?? pax.path ?? (prefix ? `${prefix}/${textField(h, 0, 100)}` : textField(h, 0, 100));
      remaining = NO_DATA.has(kind) ? 0 : declaredSize(h);
      if (remaining > maxEntryBytes) {
        throw new AppError('DATASET_INVALID', `tar: member ${quoteName(name)} declares ${bytes(remaining)}; at most ${bytes(maxEntryBytes)} are accepted (crafted or corrupt archive)`);
      }
      const header: TarEntryHeader = { name, type: kind as TarEntryType, size: remaining, linkName: pax.linkpath ?? textField(h, 157, 100) };
      pendingName = null;
      pax = {};
      sink = await onEntry(header);
    }
    padding = (BLOCK - (remaining % BLOCK)) % BLOCK;
    if (remaining === 0) await finishEntry();
  };

  for await (const chunk of source) {
    if (ended) {
      // never buffered: only counted, so a long run of trailing bytes costs one pass
      trailing += chunk.length;
      if (trailing > maxTrailingBytes) break;
      continue;
    }
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let off = 0;
    while (!ended) {
      if (remaining > 0) {
        const take = Math.min(remaining, buf.length - off);
        if (take === 0) break;
        const part = buf.subarray(off, off + take);
        if (sink) await sink.write(part);
        else if (meta) {
          meta.data.set(part, meta.filled);
          meta.filled += take;
        }
        off += take;
        remaining -= take;
        if (remaining === 0) await finishEntry();
        continue;
      }
      if (padding > 0) {
        const skip = Math.min(padding, buf.length - off);
        if (skip === 0) break;
        off += skip;
        padding -= skip;
        continue;
      }
      if (buf.length - off < BLOCK) break;
      const h = buf.subarray(off, off + BLOCK);
      off += BLOCK;
      if (h.every((v) => v === 0)) ended = true;
      else await startEntry(h);
    }
    if (ended) {
      trailing = buf.length - off;
      buf = new Uint8Array(0);
      if (trailing > maxTrailingBytes) break;
    } else {
      buf = buf.subarray(off);
    }
  }
  if (!ended) {
    const where = remaining > 0 ? `inside an entry (${remaining} bytes missing)` : 'before the end-of-archive marker';
    throw new AppError('DATASET_INVALID', `tar: archive is truncated: it ends ${where}`);
  }
  if (trailing > maxTrailingBytes) {
    throw new AppError('DATASET_INVALID', `tar: more than ${bytes(maxTrailingBytes)} of data follow the end-of-archive marker (crafted archive, or several archives joined together)`);
  }
}
