import { AppError } from '../../src-shared/errors';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'other';

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

const BLOCK = 512;
const decoder = new TextDecoder();

function text(b: Uint8Array, start: number, len: number): string {
  const field = b.subarray(start, start + len);
  const nul = field.indexOf(0);
  return decoder.decode(nul >= 0 ? field.subarray(0, nul) : field);
}

function octal(b: Uint8Array, start: number, len: number, what: string): number {
  if (b[start] & 0x80) {
    // GNU base-256 for sizes ≥ 8 GiB: never valid for CIFAR, refuse rather than mis-read
    throw new AppError('DATASET_INVALID', `tar header: ${what} uses base-256 encoding (entry too large)`);
  }
  const s = text(b, start, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new AppError('DATASET_INVALID', `tar header: ${what} field is not octal ('${s}')`);
  return parseInt(s, 8);
}

function typeOf(flag: number): TarEntryType | 'longname' | 'pax' | 'global-pax' {
  switch (String.fromCharCode(flag)) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    case '3':
    case '4':
      return 'device';
    case '6':
      return 'fifo';
    case 'L':
      return 'longname';
    case 'x':
      return 'pax';
    case 'g':
      return 'global-pax';
    default:
      return 'other';
  }
}

function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const s = decoder.decode(data);
  let i = 0;
  while (i < s.length) {
    const space = s.indexOf(' ', i);
    const len = parseInt(s.slice(i, space), 10);
    if (!(len > 0) || space < 0) throw new AppError('DATASET_INVALID', 'tar: malformed pax extended header');
    const record = s.slice(space + 1, i + len - 1);
    const eq = record.indexOf('=');
    out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Streams a tar archive (ustar, GNU long names, pax) and hands each entry's data to the sink the
 * callback returns (or skips it). Refuses bad header checksums, a stream that ends inside an entry
 * and a missing end-of-archive marker: a truncated archive is never taken for a complete one.
 */
export async function readTar(
  source: AsyncIterable<Uint8Array>,
  onEntry: (header: TarEntryHeader) => TarEntrySink | null | Promise<TarEntrySink | null>,
): Promise<void> {
  let buf: Uint8Array = new Uint8Array(0);
  let remaining = 0; // data bytes of the current entry still to come
  let padding = 0;
  let sink: TarEntrySink | null = null;
  let meta: { kind: 'longname' | 'pax'; parts: Uint8Array[] } | null = null;
  let pendingName: string | null = null;
  let pax: Record<string, string> = {};
  let ended = false;

  const finishEntry = async (): Promise<void> => {
    if (sink) await sink.end();
    sink = null;
    if (meta) {
      const data = Buffer.concat(meta.parts);
      if (meta.kind === 'longname') pendingName = text(data, 0, data.length);
      else pax = parsePax(data);
      meta = null;
    }
  };

  for await (const chunk of source) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let off = 0;
    while (!ended) {
      if (remaining > 0) {
        const take = Math.min(remaining, buf.length - off);
        if (take === 0) break;
        const part = buf.subarray(off, off + take);
        if (sink) await sink.write(part);
        else if (meta) meta.parts.push(Uint8Array.from(part));
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
      if (h.every((v) => v === 0)) {
        ended = true;
        break;
      }
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
      if (sum !== octal(h, 148, 8, 'checksum')) throw new AppError('DATASET_INVALID', 'tar: header checksum mismatch (corrupt or not a tar archive)');
      const kind = typeOf(h[156]);
      const size = pax.size !== undefined ? Number(pax.size) : octal(h, 124, 12, 'size');
      const prefix = text(h, 257, 6) === 'ustar' ? text(h, 345, 155) : '';
      const name = pendingName ?? pax.path ?? (prefix ? `${prefix}/${text(h, 0, 100)}` : text(h, 0, 100));
      remaining = kind === 'directory' || kind === 'symlink' || kind === 'hardlink' || kind === 'device' || kind === 'fifo' ? 0 : size;
      padding = (BLOCK - (remaining % BLOCK)) % BLOCK;
      if (kind === 'longname' || kind === 'pax') {
        meta = { kind, parts: [] };
      } else if (kind === 'global-pax') {
        meta = null;
      } else {
        const header: TarEntryHeader = { name, type: kind, size: remaining, linkName: pax.linkpath ?? text(h, 157, 100) };
        pendingName = null;
        pax = {};
        sink = await onEntry(header);
      }
      if (remaining === 0) await finishEntry();
    }
    buf = buf.subarray(off);
  }
  if (!ended) {
    const where = remaining > 0 ? `inside an entry (${remaining} bytes missing)` : 'before the end-of-archive marker';
    throw new AppError('DATASET_INVALID', `tar: archive is truncated: it ends ${where}`);
  }
}
