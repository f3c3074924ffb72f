import { CIFAR } from '../../src-shared/cifar';
import type { Dataset, DatasetSplit } from '../../src-main/engine/dataset';
import { Rng } from '../../src-main/engine/rng';

/**
 * CIFAR-shaped records whose class is learnable: each class brightens its own band of rows in
 * one colour plane, on top of uniform noise. `noise` (0..255) sets how hard the problem is.
 */
export function syntheticRecords(count: number, seed: number, noise = 160): Uint8Array {
  const rng = new Rng(seed, 7);
  const out = new Uint8Array(count * CIFAR.recordBytes);
  for (let i = 0; i < count; i++) {
    const label = i % CIFAR.classes;
    const base = i * CIFAR.recordBytes;
    out[base] = label;
    for (let p = 0; p < CIFAR.pixelBytes; p++) {
      const plane = Math.floor(p / CIFAR.planeBytes);
      const row = Math.floor((p % CIFAR.planeBytes) / CIFAR.side);
      const signal = plane === label % 3 && Math.floor(row / 3) === label ? 255 - noise : 0;
      out[base + 1 + p] = Math.min(255, signal + rng.nextInt(noise + 1));
    }
  }
  return out;
}

export function syntheticSplit(count: number, seed: number, noise?: number): DatasetSplit {
  return { records: syntheticRecords(count, seed, noise), count };
}

export function syntheticDataset(trainCount: number, testCount: number, seed = 1, noise?: number): Dataset {
  return {
    train: syntheticSplit(trainCount, seed, noise),
    test: syntheticSplit(testCount, seed + 1000, noise),
    classNames: [...Array(CIFAR.classes).keys()].map((i) => `class${i}`),
  };
}
