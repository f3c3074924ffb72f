import { describe, expect, it } from 'vitest';
import { Mlp } from '../../src-main/engine/mlp';
import { createOptimizer } from '../../src-main/engine/optim/optimizer';
import { WasmBackend } from '../../src-main/engine/wasm/wasmBackend';
import { CIFAR } from '../../src-shared/cifar';
import { parseTrainConfig, trainConfigFieldsSchema, type TrainConfigInput } from '../../src-shared/config';
import { estimateTrainMemory, MAX_RUN_MEMORY_BYTES, memoryProblem } from '../../src-shared/trainMemory';

const EIGHT_WIDE = [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096];

/** What the WASM engine really allocates for a config: every tensor of a run, after one training step. */
function wasmBytes(input: TrainConfigInput): number {
  const config = trainConfigFieldsSchema.parse(input);
  const backend = new WasmBackend();
  const before = backend.memoryBytes;
  const capacity = Math.max(config.batchSize, 256);
  const model = new Mlp(backend, { inputs: CIFAR.pixelBytes, hidden: config.hidden, classes: CIFAR.classes, activation: config.activation }, capacity);
  const optimizer = createOptimizer(backend, model.params(config.l2), config);
  const batch = backend.batch(capacity, CIFAR.pixelBytes);
  model.lossAndGradients(batch.x, batch.labels, capacity);
  optimizer.step(0.1);
  return backend.memoryBytes - before;
}

describe('training memory estimate', () => {
  it('is what the engine allocates (WASM memory), give or take the kernels\' padding', () => {
    const cases: TrainConfigInput[] = [
      {},
      { hidden: [512, 256], batchSize: 512, optimizer: 'adam' },
      { hidden: [1000, 1000, 1000], batchSize: 1024, momentum: 0.9 },
      { hidden: [], batchSize: 4096 },
      { hidden: [7, 300, 13], batchSize: 3 },
    ];
    for (const c of cases) {
      const real = wasmBytes(c);
      const estimate = estimateTrainMemory(trainConfigFieldsSchema.parse(c)).total;
      // at most 3 % under (memory grows in 64 KiB pages), at most 8 % over (rows padded for either kernels)
      expect(estimate, `${JSON.stringify(c)}: WASM ${real}`).toBeGreaterThan(real * 0.97);
      expect(estimate, `${JSON.stringify(c)}: WASM ${real}`).toBeLessThan(real * 1.08);
    }
  });

  it('counts parameters, gradients, optimizer state and activations for max(batch, 256) rows', () => {
    const sgd = estimateTrainMemory({ hidden: [100], batchSize: 64, optimizer: 'sgd', momentum: 0, kernel: 'auto' });
    expect(sgd.rows).toBe(256);
    expect(sgd.optimizerState).toBe(0);
    expect(sgd.gradients).toBe(sgd.parameters);
    const adam = estimateTrainMemory({ hidden: [100], batchSize: 64, optimizer: 'adam', momentum: 0, kernel: 'auto' });
    expect(adam.optimizerState).toBe(2 * adam.parameters);
    expect(estimateTrainMemory({ hidden: [100], batchSize: 64, optimizer: 'sgd', momentum: 0.9, kernel: 'auto' }).optimizerState).toBe(sgd.parameters);
    expect(estimateTrainMemory({ hidden: [100], batchSize: 1024, optimizer: 'sgd', momentum: 0, kernel: 'auto' }).rows).toBe(1024);
    // the float64 reference kernels store every number in 8 bytes
    expect(estimateTrainMemory({ hidden: [100], batchSize: 64, optimizer: 'sgd', momentum: 0, kernel: 'f64' }).total).toBe(2 * sgd.total);
  });

  it('refuses 8 × 4096 hidden units, batch 4096 with Adam at the hidden field, with the figure and the limit', () => {
    const config = { hidden: EIGHT_WIDE, batchSize: 4096, optimizer: 'adam' as const, momentum: 0, kernel: 'auto' as const };
    expect(estimateTrainMemory(config).total).toBeGreaterThan(MAX_RUN_MEMORY_BYTES);
    expect(memoryProblem(config)).toMatch(/^with batch size 4096 and adam this network needs about 4\.\d\d GB of memory to train \(parameters 520\.5 MB, gradients 520\.5 MB, Adam state 1\.04 GB, activations for 4096 rows 2\.\d\d GB\), more than the 2\.00 GB one run may use/);
    expect(() => parseTrainConfig(config)).toThrow(expect.objectContaining({ issues: [{ path: 'hidden', message: memoryProblem(config) }] }));
    // the report's setting fits, and so does the widest network with plain SGD and batches of 1024
    expect(memoryProblem(parseTrainConfig({}))).toBeNull();
    expect(parseTrainConfig({ hidden: EIGHT_WIDE, batchSize: 1024 }).hidden).toEqual(EIGHT_WIDE);
  });
});
