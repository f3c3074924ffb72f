import { AppError } from '../../src-shared/errors';

/** What a tar header block describes, with the GNU and pax metadata kinds kept apart. */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'other';
export type TarHeaderKind = TarEntryType | 'longname' | 'pax' | 'global-pax';

const decoder = new TextDecoder();
const QUOTE_MAX = 120;

/**
 * Archive-supplied text (a member name, a link target) for an error message: quoted, control
 * characters shown as '?', cut to a short prefix, so a crafted 60 KB path cannot become a 60 KB
 * message.
 */
export function quoteName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  if (clean.length <= QUOTE_MAX) return `'${clean}'`;
  return `'${clean.slice(0, QUOTE_MAX - 20)}…' (${clean.length.toLocaleString('en')} characters)`;
}

/** A NUL-terminated text field of a header block. */
export function textField(b: Uint8Array, start: number, len: number): string {
  const field = b.subarray(start, start + len);
  const nul = field.indexOf(0);
  return decoder.decode(nul >= 0 ? field.subarray(0, nul) : field);
}

/** An octal number field; base-256 (sizes ≥ 8 GiB) is refused rather than mis-read. */
export function octalField(b: Uint8Array, start: number, len: number, what: string): number {
  if (b[start] & 0x80) throw new AppError('DATASET_INVALID', `tar header: ${what} uses base-256 encoding (entry too large)`);
  const s = textField(b, start, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new AppError('DATASET_INVALID', `tar header: ${what} field is not octal (${quoteName(s)})`);
  return parseInt(s, 8);
}

/** The kind of entry a type flag stands for. */
export function headerKind(flag: number): TarHeaderKind {
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

/** True when the header block's checksum field matches its bytes. */
export function checksumMatches(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < h.length; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === octalField(h, 148, 8, 'checksum');
}

/**
 * Parses pax extended-header records (`<length> <key>=<value>\n`, length in bytes including
 * itself). Lengths are counted in bytes, so UTF-8 names parse correctly.
 */
export function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const malformed = (): AppError => new AppError('DATASET_INVALID', 'tar: malformed pax extended header');
  let i = 0;
  while (i < data.length) {
    let j = i;
    let len = 0;
    while (j < data.length && data[j] >= 0x30 && data[j] <= 0x39 && j - i < 10) len = len * 10 + (data[j++] - 0x30);
    if (j === i || data[j] !== 0x20 || len <= j - i + 1 || i + len > data.length || data[i + len - 1] !== 0x0a) throw malformed();
    const record = decoder.decode(data.subarray(j + 1, i + len - 1));
    const eq = record.indexOf('=');
    if (eq <= 0) throw malformed();
    out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}
