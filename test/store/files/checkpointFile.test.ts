import { describe, expect, it } from 'vitest';
import { trainConfigSchema } from '../../../src-shared/config';
import type { EpochMetrics } from '../../../src-shared/metrics';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../src-main/store/files/checkpointFile';

const config = trainConfigSchema.parse({ hidden: [3], epochs: 5, optimizer: 'adam' });
const metrics: EpochMetrics = {
  epoch: 2, trainLoss: 1.5, trainAccuracy: 0.25, objective: 1.5, testLoss: 1.75, testAccuracy: 0.3, learningRate: 0.01, seconds: 0.5,
  confusion: Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 3 : 1)),
};

function checkpoint(over: Partial<Checkpoint> = {}): Checkpoint {
  const tensor = (rows: number, cols: number) => ({ shape: [rows, cols], data: Float32Array.from({ length: rows * cols }, (_, i) => i / 7) });
  return {
    runId: 4,
    kernel: 'native-avx2',
    datasetSha256: 'ab'.repeat(32),
    metrics,
    state: {
      epoch: 2, optimizerSteps: 40, shuffler: { s: [1, 2, 3, 4000000000], spare: null }, order: Int32Array.from([2, 0, 1]), best: { epoch: 2, testAccuracy: 0.3 },
      tensors: { W1: tensor(3072, 3), b1: tensor(1, 3), W2: tensor(3, 10), b2: tensor(1, 10) },
    },
    ...over,
  };
}

/** The byte offset of `text` in the file's JSON header (metadata values are JSON inside JSON). */
function at(bytes: Buffer, text: string): number {
  const header = bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('latin1');
  const i = header.indexOf(text);
  if (i < 0) throw new Error(`no ${text} in the header`);
  return 8 + i;
}

const decode = (bytes: Buffer) => decodeCheckpoint(bytes, 'checkpoint x.ckpt', 4, config);

describe('checkpoint file', () => {
  it('round-trips the state, its metrics, kernel and dataset', () => {
    const c = decode(encodeCheckpoint(checkpoint(), config));
    expect(c.metrics).toEqual(metrics);
    expect(c.kernel).toBe('native-avx2');
    expect(c.datasetSha256).toBe('ab'.repeat(32));
    expect(c.state.optimizerSteps).toBe(40);
    expect(c.state.shuffler).toEqual({ s: [1, 2, 3, 4000000000], spare: null });
    expect(c.state.best).toEqual({ epoch: 2, testAccuracy: 0.3 });
    expect([...c.state.order]).toEqual([2, 0, 1]);
    expect(c.state.tensors.W2.data).toEqual(checkpoint().state.tensors.W2.data);
  });

  it('a flipped bit anywhere in the metadata fails the sha256 check: step count, shuffler, best, metrics, kernel, epoch', () => {
    const clean = encodeCheckpoint(checkpoint(), config);
    const flips: [string, string][] = [
      ['optimizer_steps', '"optimizer_steps":"4'],
      ['shuffler', '4000000000'],
      ['best', '"best":"{\\"epoch\\":2'],
      ['metrics (a renamed confusion key)', 'confusion'],
      ['metrics (a learning rate)', '0.01'],
      ['kernel', 'native-avx2'],
      ['dataset', '"dataset_sha256":"ab'],
    ];
    for (const [what, text] of flips) {
      const bytes = Buffer.from(clean);
      // the last character of `text`: a digit stays a digit (XOR 1), a letter changes case (XOR 0x20)
      const i = at(bytes, text) + text.length - 1;
      bytes[i] ^= /[0-9]/.test(String.fromCharCode(bytes[i])) ? 0x01 : 0x20;
      expect(() => decode(bytes), what).toThrow(/checkpoint x\.ckpt fails its sha256 check/);
    }
    // the epoch as well (caught by the hash before any consistency check)
    const bytes = Buffer.from(clean);
    bytes[at(bytes, '"epoch":"2') + 9] ^= 0x01;
    expect(() => decode(bytes)).toThrow(/fails its sha256 check/);
  });

  it('refuses metadata of the wrong shape even with a matching sha256 (written by something else)', () => {
    const bad: [string, Partial<Checkpoint> | ((c: Checkpoint) => void), RegExp][] = [
      ['no confusion', (c) => delete (c.metrics as Partial<EpochMetrics>).confusion, /invalid metrics: confusion/],
      ['short confusion', (c) => (c.metrics.confusion = c.metrics.confusion.slice(1)), /invalid metrics: confusion/],
      ['fractional confusion', (c) => (c.metrics.confusion[5] = 0.5), /invalid metrics: confusion/],
      ['negative confusion', (c) => (c.metrics.confusion[5] = -1), /invalid metrics: confusion/],
      ['string learning rate', (c) => ((c.metrics as unknown as Record<string, unknown>).learningRate = '0.01'), /invalid metrics: learningRate/],
      ['infinite learning rate', (c) => (c.metrics.learningRate = Infinity), /invalid metrics: learningRate/],
      ['metrics of another epoch', (c) => (c.metrics.epoch = 3), /its metrics are of epoch 3, its state of epoch 2/],
      ['a short shuffler', (c) => (c.state.shuffler.s = [1, 2, 3]), /invalid shuffler/],
      ['a shuffler word past 32 bits', (c) => (c.state.shuffler.s = [1, 2, 3, 2 ** 32]), /invalid shuffler/],
      ['best after the epoch', (c) => (c.state.best = { epoch: 3, testAccuracy: 0.3 }), /invalid best epoch/],
      ['best accuracy above 1', (c) => (c.state.best = { epoch: 1, testAccuracy: 1.5 }), /invalid best/],
    ];
    for (const [what, change, message] of bad) {
      const c = checkpoint();
      c.metrics = { ...metrics, confusion: [...metrics.confusion] };
      c.state = { ...c.state, shuffler: { ...c.state.shuffler, s: [...c.state.shuffler.s] } };
      if (typeof change === 'function') change(c);
      expect(() => decode(encodeCheckpoint(c, config)), what).toThrow(message);
    }
  });

  it('metrics that JSON cannot hold (NaN) come back as NaN where the history allows it, and are refused where it does not', () => {
    const c = checkpoint({ metrics: { ...metrics, testLoss: NaN, objective: Infinity } });
    const back = decode(encodeCheckpoint(c, config));
    expect(back.metrics.testLoss).toBeNaN();
    expect(back.metrics.objective).toBeNaN();
    expect(() => decode(encodeCheckpoint(checkpoint({ metrics: { ...metrics, seconds: NaN } }), config))).toThrow(/invalid metrics: seconds/);
  });

  it('refuses a checkpoint of format version 1 (its sha256 covered the tensors only) with the reason', () => {
    const bytes = Buffer.from(encodeCheckpoint(checkpoint(), config));
    bytes[at(bytes, '"format_version":"2') + 18] = '1'.charCodeAt(0);
    expect(() => decode(bytes)).toThrow(/has checkpoint format 1; this app reads 2/);
  });
});
