import { CIFAR } from '../../src-shared/cifar';
import { AppError } from '../../src-shared/errors';

export type MemberRole = 'train' | 'test' | 'meta' | 'readme';

/** What a file of the official binary archive is for, by its base name; null for anything else. */
export function memberRole(baseName: string): MemberRole | null {
  if ((CIFAR.trainFiles as readonly string[]).includes(baseName)) return 'train';
  if (baseName === CIFAR.testFile) return 'test';
  if (baseName === CIFAR.metaFile) return 'meta';
  if (baseName === 'readme.html') return 'readme';
  return null;
}

/** Checks a batch file's bytes: a whole number of records, at least one, every label 0–9. */
export function validateBatch(name: string, bytes: Uint8Array): number {
  const { recordBytes } = CIFAR;
  if (bytes.length === 0) throw new AppError('DATASET_INVALID', `${name}: file is empty`);
  if (bytes.length % recordBytes !== 0) {
    throw new AppError(
      'DATASET_INVALID',
      `${name}: size ${bytes.length.toLocaleString('en')} bytes is not a multiple of 3,073 (1 label byte + 3,072 pixel bytes per record)`,
    );
  }
  const count = bytes.length / recordBytes;
  for (let i = 0; i < count; i++) {
    const label = bytes[i * recordBytes];
    if (label >= CIFAR.classes) throw new AppError('DATASET_INVALID', `${name}: record ${i} has label ${label}; labels must be 0–9`);
  }
  return count;
}

/** Class names from batches.meta.txt: the first 10 non-empty lines. */
export function parseMeta(name: string, bytes: Uint8Array): string[] {
  const names = new TextDecoder().decode(bytes).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  if (names.length < CIFAR.classes) {
    throw new AppError('DATASET_INVALID', `${name}: expected ${CIFAR.classes} class names, found ${names.length}`);
  }
  return names.slice(0, CIFAR.classes);
}
