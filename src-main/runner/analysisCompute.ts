import { CIFAR } from '../../src-shared/cifar';
import { classScores, meanDefined, type FirstLayerUnit } from '../../src-shared/insights';
import { cifarRecordToPng } from '../data/png';
import type { Backend } from '../engine/backend';
import { labelOf, type DatasetSplit } from '../engine/dataset';
import { inferSplit } from '../engine/inference';
import type { Model, ModelLayer } from '../store/files/modelFile';

/** The top-k accuracies reported. */
export const TOP_K = [1, 3, 5] as const;

/** A model's verdict on every image of a split. */
export interface Predictions {
  labels: Uint8Array;
  /** Arg-max class per image, as the engine's evaluation computes it. */
  preds: Uint8Array;
  /** count × classes softmax probabilities, row-major. */
  probs: Float32Array;
  classes: number;
}

/**
 * Runs the model over the split with the engine's inference (the same layers, kernels and arg-max
 * as the trainer's evaluation, so a model's confusion equals the one its run reported when the
 * kernels are the same).
 */
export async function predict(model: Pick<Model, 'layers' | 'config' | 'transform'>, split: DatasetSplit, backend: Backend): Promise<Predictions> {
  const out = await inferSplit(backend, model.layers, model.config.activation, split, model.transform);
  const labels = new Uint8Array(split.count);
  for (let i = 0; i < split.count; i++) labels[i] = labelOf(split, i);
  return { labels, preds: out.preds, probs: out.probs, classes: out.classes };
}

/** Where the true class ranks among the model's probabilities (0 = most probable; ties go to the lower class). */
function rankOfTrue(p: Float32Array, row: number, classes: number, y: number): number {
  const py = p[row * classes + y];
  let rank = 0;
  for (let c = 0; c < classes; c++) {
    const pc = p[row * classes + c];
    if (pc > py || (pc === py && c < y)) rank += 1;
  }
  return rank;
}

/** Confusion, top-k accuracies and per-class scores of a set of predictions. */
export function summarize(p: Predictions) {
  const { classes, labels, preds, probs } = p;
  const count = labels.length;
  const confusion = new Array<number>(classes * classes).fill(0);
  const topHits = TOP_K.map(() => 0);
  let correct = 0;
  for (let i = 0; i < count; i++) {
    confusion[labels[i] * classes + preds[i]] += 1;
    const right = preds[i] === labels[i];
    if (right) correct += 1;
    const rank = right ? 0 : rankOfTrue(probs, i, classes, labels[i]);
    // top-1 is the engine's arg-max (as the run's accuracy); a wrong arg-max is never a top-1 hit
    TOP_K.forEach((k, j) => (topHits[j] += right || (k > 1 && rank < k) ? 1 : 0));
  }
  const perClass = classScores(confusion, classes);
  return {
    confusion,
    testAccuracy: count ? correct / count : 0,
    topK: TOP_K.map((k, j) => ({ k, accuracy: count ? topHits[j] / count : 0 })),
    perClass,
    macro: { precision: meanDefined(perClass.map((s) => s.precision)), recall: meanDefined(perClass.map((s) => s.recall)), f1: meanDefined(perClass.map((s) => s.f1)) },
    testCount: count,
  };
}

/**
 * The test images of each confusion cell, most confident first: `order` lists image indices cell by
 * cell (true class major, predicted class minor), cell t·classes+p spanning cellStart[c]..cellStart[c+1].
 */
export function cellIndex(p: Predictions): { order: Int32Array; cellStart: Int32Array } {
  const { classes, labels, preds, probs } = p;
  const cells = classes * classes;
  const cellStart = new Int32Array(cells + 1);
  for (let i = 0; i < labels.length; i++) cellStart[labels[i] * classes + preds[i] + 1] += 1;
  for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
  const order = Int32Array.from({ length: labels.length }, (_, i) => i);
  const cell = (i: number): number => labels[i] * classes + preds[i];
  const confidence = (i: number): number => probs[i * classes + preds[i]];
  order.sort((a, b) => cell(a) - cell(b) || confidence(b) - confidence(a) || a - b);
  return { order, cellStart };
}

/** The three most probable classes of image `row`. */
export function topClasses(p: Pick<Predictions, 'probs' | 'classes'>, row: number, n = 3): { label: number; probability: number }[] {
  const all = Array.from({ length: p.classes }, (_, c) => ({ label: c, probability: p.probs[row * p.classes + c] }));
  return all.sort((a, b) => b.probability - a.probability || a.label - b.label).slice(0, n);
}

/**
 * Each unit of the first layer as a 32×32 RGB picture of its 3,072 incoming weights (the input's
 * R, G, B planes), scaled per unit so that 0 is mid-grey and ±max|w| are 0 and 255; sorted by the
 * weights' L2 norm, largest first.
 */
export function firstLayerUnits(layer: ModelLayer): FirstLayerUnit[] {
  const { fanIn, fanOut, w } = layer;
  const units: FirstLayerUnit[] = [];
  const pixels = new Uint8Array(fanIn);
  for (let u = 0; u < fanOut; u++) {
    let squares = 0;
    let maxAbs = 0;
    for (let i = 0; i < fanIn; i++) {
      const v = w[i * fanOut + u];
      squares += v * v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    for (let i = 0; i < fanIn; i++) pixels[i] = maxAbs > 0 ? Math.min(255, Math.max(0, Math.round(127.5 + (127.5 * w[i * fanOut + u]) / maxAbs))) : 128;
    units.push({ unit: u, norm: Math.sqrt(squares), maxAbs, pngBase64: cifarRecordToPng(pixels, 1).toString('base64') });
  }
  return units.sort((a, b) => b.norm - a.norm || a.unit - b.unit);
}

/** One test image as a PNG, `scale` times its size. */
export function testImagePng(split: DatasetSplit, index: number, scale: number): string {
  const base = index * CIFAR.recordBytes;
  return cifarRecordToPng(split.records.subarray(base + 1, base + CIFAR.recordBytes), scale).toString('base64');
}
