import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src-shared/config';
import { createBackend, train } from '../../src-main/engine/index';
import { syntheticDataset } from '../helpers/synthetic';

const data = syntheticDataset(2000, 500, 1, 128);

describe('training loop', () => {
  it('learns a small synthetic problem to ≥ 95 % test accuracy', async () => {
    const config = parseTrainConfig({ epochs: 8, hidden: [32], learningRate: 0.5, batchSize: 32, seed: 1 });
    const result = await train(config, data, { backend: createBackend() });
    expect(result.status).toBe('finished');
    expect(result.epochs).toHaveLength(8);
    expect(result.epochs.at(-1)!.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.epochs.at(-1)!.trainLoss).toBeLessThan(result.epochs[0].trainLoss);
  });

  it('gives bit-identical metrics for the same seed, and different ones for another seed', async () => {
    const config = parseTrainConfig({ epochs: 2, hidden: [20, 10], seed: 9 });
    const strip = (r: Awaited<ReturnType<typeof train>>) => r.epochs.map(({ seconds: _s, ...rest }) => rest);
    const a = await train(config, data, { backend: createBackend() });
    const b = await train(config, data, { backend: createBackend() });
    const c = await train({ ...config, seed: 10 }, data, { backend: createBackend() });
    expect(strip(a)).toEqual(strip(b));
    expect(strip(a)).not.toEqual(strip(c));
  });

  it('records per-epoch metrics: confusion matrix, accuracy, objective with λ/2‖w‖², learning rate', async () => {
    const config = parseTrainConfig({ epochs: 3, hidden: [16], l2: 0.01, schedule: 'exponential', decay: 0.5, learningRate: 0.2 });
    const result = await train(config, data, { backend: createBackend() });
    result.epochs.forEach((e, i) => {
      expect(e.epoch).toBe(i + 1);
      expect(e.confusion).toHaveLength(100);
      expect(e.confusion.reduce((s, v) => s + v, 0)).toBe(500);
      const trace = [...Array(10).keys()].reduce((s, k) => s + e.confusion[k * 11], 0);
      expect(e.testAccuracy).toBeCloseTo(trace / 500, 12);
      expect(e.objective).toBeGreaterThan(e.trainLoss);
      expect(e.learningRate).toBeCloseTo(0.2 * Math.exp(-0.5 * i), 12);
      expect(e.seconds).toBeGreaterThan(0);
    });
    expect(result.best!.testAccuracy).toBe(Math.max(...result.epochs.map((e) => e.testAccuracy)));
  });

  it('a huge learning rate overflows a deep relu net: diverged at epoch 1, NaN kept', async () => {
    const deep = [100, 100, 100, 100, 100, 100, 100, 100];
    const config = parseTrainConfig({ epochs: 5, hidden: deep, activation: 'relu', init: 'he', learningRate: 2, seed: 2 });
    const result = await train(config, data, { backend: createBackend() });
    expect(result.status).toBe('diverged');
    expect(result.divergedEpoch).toBe(1);
    expect(result.epochs).toHaveLength(1);
    expect(Number.isFinite(result.epochs[0].trainLoss)).toBe(false);
    expect(Number.isNaN(result.epochs[0].testLoss)).toBe(true);
  });

  it('divergence in a later epoch keeps the completed epochs (NaN injected into the real backend)', async () => {
    const backend = createBackend();
    const batchesPerEpoch = 2000 / 100;
    let calls = 0;
    const real = backend.softmaxCrossEntropy.bind(backend);
    backend.softmaxCrossEntropy = (...args) => {
      const loss = real(...args);
      // training calls pass a gradient buffer; evaluation passes null
      return args[3] && ++calls === batchesPerEpoch * 2 + 3 ? NaN : loss;
    };
    const epochs: number[] = [];
    const config = parseTrainConfig({ epochs: 5, hidden: [16], batchSize: 100 });
    const result = await train(config, data, { backend, hooks: { onEpoch: (m) => void epochs.push(m.epoch) } });
    expect(result.status).toBe('diverged');
    expect(result.divergedEpoch).toBe(3);
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(epochs).toEqual([1, 2, 3]);
    expect(result.epochs.slice(0, 2).every((e) => Number.isFinite(e.testLoss))).toBe(true);
    expect(Number.isNaN(result.epochs[2].trainLoss)).toBe(true);
  });

  it('can be cancelled between batches, keeping completed epochs, and reports progress', async () => {
    const config = parseTrainConfig({ epochs: 4, hidden: [8], batchSize: 50 });
    const batchesPerEpoch = 2000 / 50;
    let polls = 0;
    const fractions: number[] = [];
    const result = await train(config, data, {
      backend: createBackend(),
      progressIntervalMs: 0,
      hooks: {
        shouldStop: () => ++polls > batchesPerEpoch * 2 + 5,
        onProgress: (p) => void fractions.push(p.fraction),
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.epochs).toHaveLength(2);
    expect(fractions.length).toBe(batchesPerEpoch * 2 + 5);
    expect(fractions.every((f, i) => i === 0 || f > fractions[i - 1])).toBe(true);
  });

  it('uses only the first trainLimit images when asked', async () => {
    const seen: number[] = [];
    const config = parseTrainConfig({ epochs: 1, hidden: [4], trainLimit: 300, batchSize: 100 });
    await train(config, data, { backend: createBackend(), progressIntervalMs: 0, hooks: { onProgress: (p) => void seen.push(p.batches) } });
    expect(seen[0]).toBe(3);
  });

  it('the f64 reference backend trains to the same metrics within f32 tolerance', async () => {
    const small = syntheticDataset(200, 100, 4, 128);
    const config = parseTrainConfig({ epochs: 2, hidden: [8], seed: 5 });
    const a = await train(config, small, { backend: createBackend('wasm') });
    const b = await train(config, small, { backend: createBackend('f64') });
    expect(a.kernel).toBe('wasm-simd');
    expect(b.kernel).toBe('f64-reference');
    a.epochs.forEach((e, i) => expect(Math.abs(e.testLoss - b.epochs[i].testLoss)).toBeLessThan(1e-4));
  });
});
