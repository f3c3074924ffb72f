import { readFile } from 'node:fs/promises';
import { CIFAR } from '../../src-shared/cifar';
import { AppError } from '../../src-shared/errors';
import { fsReason } from '../../src-shared/fsReasons';
import { decodePngToCifar } from '../data/pngDecode';
import type { DatasetSplit } from '../engine/dataset';

/** One image given to `workbench predict`: where it came from and its true label when the file has one. */
export interface InputImage {
  file: string;
  /** Record number inside a CIFAR binary file; null for a PNG or a single label-less image. */
  record: number | null;
  label: number | null;
}

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/**
 * Reads the images of `workbench predict`: 32×32 PNGs, CIFAR-10 binary files (3,073-byte records,
 * label first, any number per file) and single label-less 3,072-byte images, all as one split (the
 * label byte of a label-less image is 0; `images` says which have a label). Anything else is refused
 * with the file named and what it should be.
 */
export async function readInputImages(paths: readonly string[]): Promise<{ images: InputImage[]; split: DatasetSplit }> {
  const images: InputImage[] = [];
  const parts: Uint8Array[] = [];
  for (const file of paths) {
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      const reason = fsReason(e) ?? e.message;
      throw new AppError(e.code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `Cannot read the image ${file}: ${reason}`);
    });
    if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const record = new Uint8Array(CIFAR.recordBytes);
      record.set(decodePngToCifar(bytes, file), 1);
      parts.push(record);
      images.push({ file, record: null, label: null });
    } else if (bytes.length > 0 && bytes.length % CIFAR.recordBytes === 0) {
      const count = bytes.length / CIFAR.recordBytes;
      for (let i = 0; i < count; i++) {
        const label = bytes[i * CIFAR.recordBytes];
        if (label >= CIFAR.classes) throw new AppError('VALIDATION', `${file}: record ${i} has label ${label}; CIFAR-10 records start with a label 0–9 (is this a CIFAR-10 binary file?)`);
        images.push({ file, record: i, label });
      }
      parts.push(bytes);
    } else if (bytes.length === CIFAR.pixelBytes) {
      const record = new Uint8Array(CIFAR.recordBytes);
      record.set(bytes, 1);
      parts.push(record);
      images.push({ file, record: null, label: null });
    } else {
      throw new AppError('VALIDATION', `${file} is not an image this command reads (${bytes.length.toLocaleString('en')} bytes): give a 32×32 PNG, a CIFAR-10 binary file (records of 3,073 bytes: a label and 3,072 pixel bytes) or one 3,072-byte image (R, G, B planes of 32×32)`);
    }
  }
  const records = new Uint8Array(images.length * CIFAR.recordBytes);
  let at = 0;
  for (const p of parts) {
    records.set(p, at);
    at += p.length;
  }
  return { images, split: { records, count: images.length } };
}
