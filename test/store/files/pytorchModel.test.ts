import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR } from '../../../src-shared/cifar';
import type { TrainConfig } from '../../../src-shared/config';
import { createBackend, inferSplit } from '../../../src-main/engine/index';
import { encodeModel, type Model } from '../../../src-main/store/files/modelFile';
import { syntheticDataset } from '../../helpers/synthetic';
import { trainedModel } from '../../helpers/trainedModel';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, '../../helpers/loadModel.py');
const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const noTorch = probe.status !== 0;
if (noTorch) console.warn(`SKIPPED: model files in PyTorch: \`${PYTHON} -c "import torch, numpy"\` failed (${(probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)) || `exit ${probe.status}`})`);

const root = mkdtempSync(join(tmpdir(), 'pytorch-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// a few hundred CIFAR-shaped images whose class is learnable but not easily (a faint class-specific
// band under heavy noise), so a trained network is neither at chance nor always right
const data = syntheticDataset(500, 300, 11, 225);
const testFile = join(root, 'test_batch.bin');
writeFileSync(testFile, data.test.records);

interface TorchResult { logits: number[][]; predictions: number[]; accuracy: number; architecture: string; count: number }

/** Writes the model file and runs test/helpers/loadModel.py on it and the test split. */
function inPyTorch(model: Model, name: string): TorchResult {
  const path = join(root, `${name}.safetensors`);
  writeFileSync(path, encodeModel(model));
  const r = spawnSync(PYTHON, [SCRIPT, path, testFile], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`loadModel.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as TorchResult;
}

describe('model files in PyTorch', () => {
  it.skipIf(noTorch)('load with strict=True into nn.Sequential and give the engine\'s logits, for every activation and normalization', async () => {
    const cases: Partial<TrainConfig>[] = [
      { activation: 'sigmoid', normalization: 'scale', hidden: [32, 16] },
      { activation: 'tanh', normalization: 'standardize', hidden: [24] },
      { activation: 'relu', normalization: 'standardize', hidden: [16, 16, 12], init: 'he', learningRate: 0.05 },
      { hidden: [] },
    ];
    for (const c of cases) {
      const { model } = await trainedModel({ epochs: 1, batchSize: 50, seed: 5, ...c }, data);
      const torch = inPyTorch(model, `${c.activation}-${c.hidden!.length}`);
      const engine = await inferSplit(createBackend('auto'), model.layers, model.config.activation, data.test, model.transform);
      expect(torch.count).toBe(300);
      expect(torch.architecture.match(/\((\d+)\): (\w+)\(/g)?.length).toBe(2 * model.layers.length - 1);
      // criterion: the largest absolute difference of any logit, relative to the largest logit
      // magnitude (a float32 product of 3,072 terms differs in its last bits between kernels)
      let maxDiff = 0;
      let maxMagnitude = 0;
      torch.logits.forEach((row, i) => row.forEach((v, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - engine.logits[i * CIFAR.classes + j]));
        maxMagnitude = Math.max(maxMagnitude, Math.abs(engine.logits[i * CIFAR.classes + j]));
      }));
      expect(maxMagnitude, JSON.stringify(c)).toBeGreaterThan(0.1);
      expect(maxDiff / maxMagnitude, JSON.stringify(c)).toBeLessThanOrEqual(1e-5);
      expect(torch.predictions, JSON.stringify(c)).toEqual([...engine.preds]);
      const engineAccuracy = [...engine.preds].filter((p, i) => p === data.test.records[i * CIFAR.recordBytes]).length / 300;
      expect(Math.abs(torch.accuracy - engineAccuracy)).toBeLessThanOrEqual(1e-6);
    }
  }, 300_000);

  it.skipIf(noTorch)('of a network the engine trained for a few epochs have, in PyTorch, the test accuracy the engine recorded', async () => {
    const { model, last } = await trainedModel({ hidden: [64, 32], epochs: 5, optimizer: 'adam', learningRate: 0.002, normalization: 'standardize', seed: 2 }, data);
    // it learned something but not everything, so agreement is neither on noise nor on easy images
    expect(last.testAccuracy).toBeGreaterThan(0.3);
    expect(last.testAccuracy).toBeLessThan(0.95);
    const torch = inPyTorch(model, 'trained');
    expect(Math.abs(torch.accuracy - last.testAccuracy)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(torch.accuracy - model.testAccuracy!)).toBeLessThanOrEqual(1e-6);
  }, 300_000);
});
