import { CIFAR } from '../../src-shared/cifar';

/**
 * A split of CIFAR-10 as raw records (1 label byte + 3,072 pixel bytes each), exactly the file
 * layout. The bytes may sit in a SharedArrayBuffer shared by several workers; the engine only reads.
 */
export interface DatasetSplit {
  readonly records: Uint8Array;
  readonly count: number;
}

export interface Dataset {
  readonly train: DatasetSplit;
  readonly test: DatasetSplit;
  readonly classNames: readonly string[];
}

/** The per-plane affine map x = byte·scale + shift that turns bytes into network inputs. */
export interface InputTransform {
  readonly scale: readonly number[];
  readonly shift: readonly number[];
}

/** Label of record i. */
export function labelOf(split: DatasetSplit, i: number): number {
  return split.records[i * CIFAR.recordBytes];
}

/** Per-channel mean and standard deviation of the pixels, in [0, 1] units. */
export function channelStats(split: DatasetSplit, count = split.count): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  const { recordBytes, planeBytes, channels } = CIFAR;
  for (let c = 0; c < channels; c++) {
    let s = 0;
    let ss = 0;
    for (let i = 0; i < count; i++) {
      const base = i * recordBytes + 1 + c * planeBytes;
      let rs = 0;
      let rss = 0;
      for (let p = 0; p < planeBytes; p++) {
        const v = split.records[base + p];
        rs += v;
        rss += v * v;
      }
      s += rs;
      ss += rss;
    }
    const n = count * planeBytes;
    const m = s / n;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(ss / n - m * m, 1e-12)) / 255);
  }
  return { mean, std };
}

/** bytes/255 by default; per-channel standardisation with training-set statistics as the option. */
export function inputTransform(kind: 'scale' | 'standardize', train: DatasetSplit, count = train.count): InputTransform {
  if (kind === 'scale') return { scale: [1 / 255, 1 / 255, 1 / 255], shift: [0, 0, 0] };
  const { mean, std } = channelStats(train, count);
  return { scale: std.map((s) => 1 / (255 * s)), shift: mean.map((m, c) => -m / std[c]) };
}
