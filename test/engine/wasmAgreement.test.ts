import { describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import type { Backend } from '../../src-main/engine/backend';
import { inputTransform } from '../../src-main/engine/dataset';
import { identityOrder } from '../../src-main/engine/evaluate';
import { F64Backend } from '../../src-main/engine/f64/f64Backend';
import { Mlp } from '../../src-main/engine/mlp';
import { WasmBackend } from '../../src-main/engine/wasm/wasmBackend';
import { relativeError, values } from '../helpers/numeric';
import { syntheticSplit } from '../helpers/synthetic';

// The WASM SIMD kernels (f32, panel layouts) against the float64 reference: identical weights and
// batch, then outputs and every gradient must agree to a relative error ≤ 1e-4.

interface Case {
  name: string;
  hidden: number[];
  rows: number;
  activation: 'sigmoid' | 'tanh' | 'relu';
  normalization: 'scale' | 'standardize';
}

const cases: Case[] = [
  { name: 'report shape 2×100 sigmoid, batch 64', hidden: [100, 100], rows: 64, activation: 'sigmoid', normalization: 'scale' },
  { name: 'odd widths and a partial batch (tails of every kernel)', hidden: [13, 7], rows: 10, activation: 'tanh', normalization: 'standardize' },
  { name: 'single row, relu, three hidden layers', hidden: [9, 17, 3], rows: 1, activation: 'relu', normalization: 'scale' },
  { name: 'no hidden layer', hidden: [], rows: 6, activation: 'sigmoid', normalization: 'scale' },
];

function setUp(backend: Backend, c: Case) {
  const split = syntheticSplit(80, 5);
  const model = new Mlp(backend, { inputs: CIFAR.pixelBytes, hidden: c.hidden, classes: 10, activation: c.activation }, 64);
  model.dense.forEach((d, l) => {
    backend.write(d.w, values(d.fanIn * d.fanOut, 100 + l, 1 / Math.sqrt(d.fanIn)));
    backend.write(d.b, values(d.fanOut, 200 + l, 0.1));
  });
  const batch = backend.batch(64, CIFAR.pixelBytes);
  const order = identityOrder(split.count).reverse();
  backend.loadBatch(batch, split, order, 3, c.rows, inputTransform(c.normalization, split));
  const loss = model.lossAndGradients(batch.x, batch.labels, c.rows);
  return { model, batch, loss };
}

describe('WASM SIMD kernels agree with the float64 reference', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ref = setUp(new F64Backend(), c);
      const simd = setUp(new WasmBackend(), c);
      const r = ref.model.backend;
      const s = simd.model.backend;
      expect(relativeError(s.read(simd.batch.x, c.rows), r.read(ref.batch.x, c.rows))).toBeLessThan(1e-6);
      expect(Array.from(simd.batch.labels.subarray(0, c.rows))).toEqual(Array.from(ref.batch.labels.subarray(0, c.rows)));
      expect(Math.abs(simd.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
      const last = ref.model.dense.length - 1;
      expect(relativeError(s.read(simd.model.dense[last].z, c.rows), r.read(ref.model.dense[last].z, c.rows))).toBeLessThan(1e-4);
      expect(relativeError(s.read(simd.model.loss.probs, c.rows), r.read(ref.model.loss.probs, c.rows))).toBeLessThan(1e-4);
      const refParams = ref.model.params(0);
      simd.model.params(0).forEach((g, i) => {
        const err = relativeError(s.read(g.grad), r.read(refParams[i].grad));
        expect(err, `gradient of ${g.name}`).toBeLessThan(1e-4);
      });
      simd.model.dense.forEach((d, l) => {
        if (!d.dx) return;
        const err = relativeError(s.read(d.dx, c.rows), r.read(ref.model.dense[l].dx!, c.rows));
        expect(err, `input gradient of layer ${l + 1}`).toBeLessThan(1e-4);
      });
    });
  }

  it('weights round-trip through the panel layout unchanged', () => {
    const b = new WasmBackend();
    const w = b.weights(5, 11);
    const v = values(55, 9);
    b.write(w, v);
    expect(relativeError(b.read(w), v)).toBeLessThan(1e-7);
  });
});
