import { describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import { evaluate, identityOrder } from '../../src-main/engine/evaluate';
import { createBackend, F64Backend, inferSplit, INFER_BLOCK, loadMlp, splitFromPixels, type LayerWeights } from '../../src-main/engine/index';
import { Rng } from '../../src-main/engine/rng';
import type { ActivationKind } from '../../src-main/engine/backend';
import { syntheticSplit } from '../helpers/synthetic';

function randomLayers(widths: number[], seed: number): LayerWeights[] {
  const rng = new Rng(seed, 9);
  return widths.slice(1).map((fanOut, i) => ({
    fanIn: widths[i], fanOut,
    w: Float32Array.from({ length: widths[i] * fanOut }, () => (rng.nextFloat() - 0.5) * 0.1),
    b: Float32Array.from({ length: fanOut }, () => rng.nextFloat() - 0.5),
  }));
}

const transform = { scale: [1 / 255, 1 / 200, 1 / 300], shift: [-0.5, 0.1, 0] };
const act: Record<ActivationKind, (z: number) => number> = { sigmoid: (z) => 1 / (1 + Math.exp(-z)), tanh: Math.tanh, relu: (z) => Math.max(0, z) };

/** The network's logits for record i, in plain float64 arithmetic from the definitions. */
function reference(layers: LayerWeights[], kind: ActivationKind, records: Uint8Array, i: number): number[] {
  let h = Array.from({ length: CIFAR.pixelBytes }, (_, p) => records[i * CIFAR.recordBytes + 1 + p] * transform.scale[Math.floor(p / CIFAR.planeBytes)] + transform.shift[Math.floor(p / CIFAR.planeBytes)]);
  layers.forEach((l, n) => {
    const z = Array.from({ length: l.fanOut }, (_, c) => h.reduce((s, x, r) => s + x * l.w[r * l.fanOut + c], l.b[c]));
    h = n + 1 < layers.length ? z.map(act[kind]) : z;
  });
  return h;
}

describe('inferSplit', () => {
  const split = syntheticSplit(2 * INFER_BLOCK + 37, 4);

  it('gives the logits, softmax probabilities and arg-max of the definition, over several blocks of 256 rows', async () => {
    for (const kind of ['sigmoid', 'tanh', 'relu'] as const) {
      const layers = randomLayers([CIFAR.pixelBytes, 12, 7, 10], kind.length);
      const blocks: [number, number][] = [];
      const out = await inferSplit(new F64Backend(), layers, kind, split, transform, (done, total) => void blocks.push([done, total]));
      expect(blocks).toEqual([[256, 549], [512, 549], [549, 549]]);
      expect(out).toMatchObject({ count: 549, classes: 10 });
      for (const i of [0, 255, 256, 300, 548]) {
        const want = reference(layers, kind, split.records, i);
        const got = Array.from(out.logits.subarray(i * 10, i * 10 + 10));
        got.forEach((v, c) => expect(v).toBeCloseTo(want[c], 4));
        const max = Math.max(...want);
        const exp = want.map((v) => Math.exp(v - max));
        const sum = exp.reduce((s, v) => s + v, 0);
        Array.from(out.probs.subarray(i * 10, i * 10 + 10)).forEach((p, c) => expect(p).toBeCloseTo(exp[c] / sum, 6));
        expect(out.preds[i]).toBe(want.indexOf(max));
      }
      for (let i = 0; i < out.count; i++) expect(out.probs.subarray(i * 10, i * 10 + 10).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });

  it('predicts what evaluate() counts as predictions on the backend used for training', async () => {
    const layers = randomLayers([CIFAR.pixelBytes, 16, 10], 3);
    const backend = createBackend('auto');
    const out = await inferSplit(backend, layers, 'sigmoid', split, transform);
    const mlp = loadMlp(createBackend('auto'), layers, 'sigmoid', INFER_BLOCK);
    const ev = evaluate(mlp, mlp.backend.batch(INFER_BLOCK, CIFAR.pixelBytes), split, transform, identityOrder(split.count));
    const confusion = new Array<number>(100).fill(0);
    out.preds.forEach((p, i) => (confusion[split.records[i * CIFAR.recordBytes] * 10 + p] += 1));
    expect(confusion).toEqual(ev.confusion);
  });

  it('ignores label bytes, so label-less images and any label byte give the same answer', async () => {
    const layers = randomLayers([CIFAR.pixelBytes, 10], 8);
    const images = [0, 1, 2].map((i) => split.records.slice(i * CIFAR.recordBytes + 1, (i + 1) * CIFAR.recordBytes));
    const plain = await inferSplit(new F64Backend(), layers, 'relu', splitFromPixels(images), transform);
    const odd = split.records.slice(0, 3 * CIFAR.recordBytes);
    odd[0] = 255;
    odd[CIFAR.recordBytes] = 10;
    const labelled = await inferSplit(new F64Backend(), layers, 'relu', { records: odd, count: 3 }, transform);
    expect(plain.logits).toEqual(labelled.logits);
    expect(plain.probs).toEqual(labelled.probs);
    expect(() => splitFromPixels([new Uint8Array(10)])).toThrow('image 0 has 10 bytes, not 3072');
  });

  it('refuses layers that do not chain from 3,072 inputs', () => {
    const good = randomLayers([CIFAR.pixelBytes, 8, 10], 1);
    expect(() => loadMlp(new F64Backend(), [], 'tanh')).toThrow('at least one layer');
    expect(() => loadMlp(new F64Backend(), [good[1]], 'tanh')).toThrow('layer 1 is 8×10 with 80 weights and 10 biases; it must take 3072 inputs');
    expect(() => loadMlp(new F64Backend(), [good[0], { ...good[1], b: new Float32Array(3) }], 'tanh')).toThrow('layer 2 is 8×10 with 80 weights and 3 biases');
  });
});
