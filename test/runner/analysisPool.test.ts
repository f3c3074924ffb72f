import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import { decodePngToCifar } from '../../src-main/data/pngDecode';
import { createBackend, F64Backend } from '../../src-main/engine/index';
import { evaluate, identityOrder } from '../../src-main/engine/evaluate';
import { inferSplit, loadMlp } from '../../src-main/engine/inference';
import type { PredictResult } from '../../src-main/runner/analysisMessages';
import { AnalysisPool } from '../../src-main/runner/analysisPool';
import { readModelFile, type Model } from '../../src-main/store/files/modelFile';
import { RunFiles } from '../../src-main/store/files/runFiles';
import type { EpochMetrics } from '../../src-shared/metrics';
import { syntheticDataset } from '../helpers/synthetic';
import { trainedModel } from '../helpers/trainedModel';

// The analysis worker (a real worker thread, from source through tsx) against computations made
// here independently: the engine's evaluate() on the model read back from its file, a float64
// forward pass, and plain loops for precision, recall, top-k and the weight images.

const root = mkdtempSync(join(tmpdir(), 'analysis-'));
const files = new RunFiles(root);
const data = syntheticDataset(600, 300, 4, 200);
const pool = new AnalysisPool({ idleMs: 500 });
let model: Model;
let last: EpochMetrics;
let result: PredictResult;

beforeAll(async () => {
  ({ model, last } = await trainedModel({ epochs: 3, hidden: [12], activation: 'relu', learningRate: 0.05, batchSize: 32, normalization: 'standardize', seed: 5 }, data, 1));
  files.writeModel(1, model);
  result = (await pool.run({ type: 'predict', path: files.modelPath(1), test: data.test })) as PredictResult;
});
afterAll(async () => {
  await pool.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the analysis worker on a saved model', () => {
  it('gives the confusion matrix and accuracy of the engine\'s evaluate() and of the run\'s last epoch', () => {
    const backend = createBackend('auto');
    const back = readModelFile(files.modelPath(1));
    const mlp = loadMlp(backend, back.layers, back.config.activation);
    const ev = evaluate(mlp, backend.batch(256, CIFAR.pixelBytes), data.test, back.transform, identityOrder(data.test.count));
    expect(result.summary.confusion).toEqual(ev.confusion);
    expect(result.summary.testAccuracy).toBe(ev.accuracy);
    // the same kernels as training: the run's reported confusion is reproduced exactly
    expect(result.summary.confusion).toEqual(last.confusion);
    expect(result.summary.testAccuracy).toBe(last.testAccuracy);
    expect(result.summary.testAccuracy).toBeGreaterThan(0.3);
    expect(result.summary.testAccuracy).toBeLessThan(1);
    expect(result.epoch).toBe(3);
  });

  it('gives per-class precision, recall and F1 as counted from its predictions', () => {
    const { labels, preds } = result;
    for (let c = 0; c < 10; c++) {
      let tp = 0;
      let predicted = 0;
      let actual = 0;
      for (let i = 0; i < labels.length; i++) {
        if (preds[i] === c) predicted += 1;
        if (labels[i] === c) actual += 1;
        if (preds[i] === c && labels[i] === c) tp += 1;
      }
      const s = result.summary.perClass[c];
      expect(s.support).toBe(actual);
      expect(s.precision).toBe(predicted ? tp / predicted : null);
      expect(s.recall).toBe(actual ? tp / actual : null);
      if (s.precision !== null && s.recall !== null && s.precision + s.recall > 0) expect(s.f1).toBeCloseTo((2 * s.precision * s.recall) / (s.precision + s.recall), 12);
    }
  });

  it('gives probabilities that agree with a float64 forward pass, and top-k accuracies counted by sorting them', async () => {
    const ref = await inferSplit(new F64Backend(), model.layers, model.config.activation, data.test, model.transform);
    let worst = 0;
    for (let i = 0; i < ref.probs.length; i++) worst = Math.max(worst, Math.abs(ref.probs[i] - result.probs[i]));
    expect(worst).toBeLessThan(1e-4);
    const n = data.test.count;
    for (const { k, accuracy } of result.summary.topK) {
      let hits = 0;
      for (let i = 0; i < n; i++) {
        const row = Array.from(result.probs.subarray(i * 10, i * 10 + 10));
        const ranked = row.map((p, c) => ({ p, c })).sort((a, b) => b.p - a.p || a.c - b.c);
        if (ranked.slice(0, k).some((r) => r.c === result.labels[i])) hits += 1;
      }
      expect(accuracy, `top-${k}`).toBe(hits / n);
    }
    const [top1, top3, top5] = result.summary.topK.map((t) => t.accuracy);
    expect(top1).toBe(result.summary.testAccuracy);
    expect(top3).toBeGreaterThanOrEqual(top1);
    expect(top5).toBeGreaterThanOrEqual(top3);
  });

  it('lists each confusion cell\'s images, most confident first, as many as the cell counts', () => {
    const { order, cellStart, labels, preds, probs } = result;
    expect(cellStart[100]).toBe(data.test.count);
    expect(new Set(order).size).toBe(data.test.count);
    for (let cell = 0; cell < 100; cell++) {
      const images = Array.from(order.subarray(cellStart[cell], cellStart[cell + 1]));
      expect(images.length).toBe(result.summary.confusion[cell]);
      const [t, p] = [Math.floor(cell / 10), cell % 10];
      for (const i of images) expect([labels[i], preds[i]]).toEqual([t, p]);
      const conf = images.map((i) => probs[i * 10 + p]);
      for (let k = 1; k < conf.length; k++) expect(conf[k]).toBeLessThanOrEqual(conf[k - 1]);
    }
  });

  it('draws each first-layer unit as a 32×32 image of its weights, sorted by L2 norm', async () => {
    const r = await pool.run({ type: 'firstLayer', path: files.modelPath(1) });
    if (r.type !== 'firstLayer') throw new Error(r.type);
    expect(r.outputLayer).toBe(false);
    expect(r.units).toHaveLength(12);
    const { w, fanOut } = model.layers[0];
    const column = (u: number): number[] => Array.from({ length: 3072 }, (_, i) => w[i * fanOut + u]);
    for (const unit of r.units) {
      const col = column(unit.unit);
      expect(unit.norm).toBeCloseTo(Math.sqrt(col.reduce((s, v) => s + v * v, 0)), 5);
      const maxAbs = Math.max(...col.map(Math.abs));
      const pixels = decodePngToCifar(Buffer.from(unit.pngBase64, 'base64'), `unit ${unit.unit}`);
      // 0 is mid-grey, ±max|w| the ends of the range, in the input's R, G, B plane order
      col.forEach((v, i) => expect(Math.abs(pixels[i] - (127.5 + (127.5 * v) / maxAbs))).toBeLessThanOrEqual(0.5));
    }
    for (let k = 1; k < r.units.length; k++) expect(r.units[k].norm).toBeLessThanOrEqual(r.units[k - 1].norm);
  });

  it('encodes test images as PNGs at the scale asked for', async () => {
    const r = await pool.run({ type: 'images', test: data.test, indices: [0, 7], scale: 2 });
    if (r.type !== 'images') throw new Error(r.type);
    const png = Buffer.from(r.pngs[1], 'base64');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 64]);
  });

  it('refuses a damaged or missing model file with its reason, and keeps working afterwards', async () => {
    const bad = join(root, 'bad.safetensors');
    writeFileSync(bad, Buffer.from('{"not":"a model"}'));
    await expect(pool.run({ type: 'predict', path: bad, test: data.test })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await expect(pool.run({ type: 'firstLayer', path: join(root, 'none.safetensors') })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('none.safetensors') });
    const again = await pool.run({ type: 'predict', path: files.modelPath(1), test: data.test });
    expect((again as PredictResult).summary.confusion).toEqual(result.summary.confusion);
  });

  it('stops idle workers, starts one again on demand, and fails tasks cancelled by close', async () => {
    await expect.poll(() => pool.workers).toBe(0);
    const own = new AnalysisPool();
    const running = own.run({ type: 'predict', path: files.modelPath(1), test: data.test });
    expect(own.workers).toBe(1);
    await own.close();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(own.run({ type: 'firstLayer', path: files.modelPath(1) })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
