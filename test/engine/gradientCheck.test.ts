import { describe, expect, it } from 'vitest';
import type { ActivationKind } from '../../src-main/engine/backend';
import { F64Backend, type F64Mat } from '../../src-main/engine/f64/f64Backend';
import { Activation } from '../../src-main/engine/layers/activation';
import { Dense } from '../../src-main/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src-main/engine/layers/softmaxCrossEntropy';
import { Mlp } from '../../src-main/engine/mlp';
import { centralDifference, values } from '../helpers/numeric';

// Central-difference checks on the float64 reference path: every analytic gradient must match
// (f(x+h) − f(x−h))/2h. A scalar loss L = Σ R ⊙ output with random R makes dL/doutput = R.

const backend = new F64Backend();
const data = (m: unknown): Float64Array => (m as F64Mat).data;
const dot = (a: Float64Array, b: Float64Array, n = a.length): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
};

function expectClose(analytic: number, numeric: number): void {
  expect(Math.abs(analytic - numeric)).toBeLessThan(1e-6 + 1e-5 * Math.abs(numeric));
}

describe('activation gradients', () => {
  for (const kind of ['sigmoid', 'tanh', 'relu'] as ActivationKind[]) {
    it(`${kind}: dz = da ⊙ f'(z) matches central differences`, () => {
      const rows = 3;
      const width = 5;
      const layer = new Activation(backend, kind, width, rows);
      const z = backend.matrix(rows, width);
      // keep relu inputs away from its kink at 0 where the derivative is undefined
      const zv = values(rows * width, 11, 2).map((v) => (kind === 'relu' && Math.abs(v) < 0.05 ? v + 0.1 : v));
      backend.write(z, zv);
      const r = values(rows * width, 12);
      const loss = (): number => dot(data(layer.forward(z, rows)), r);
      loss();
      const da = backend.matrix(rows, width);
      backend.write(da, r);
      const dz = data(layer.backward(da, rows)).slice();
      for (let i = 0; i < zv.length; i++) expectClose(dz[i], centralDifference(data(z), i, loss));
    });
  }
});

describe('dense layer gradients', () => {
  it('dW = xᵀ·dz, db = Σ dz and dx = dz·Wᵀ match central differences', () => {
    const rows = 4;
    const layer = new Dense(backend, 6, 3, rows, true);
    const x = backend.matrix(rows, 6);
    backend.write(x, values(rows * 6, 21));
    backend.write(layer.w, values(18, 22));
    backend.write(layer.b, values(3, 23));
    const r = values(rows * 3, 24);
    const loss = (): number => dot(data(layer.forward(x, rows)), r);
    loss();
    const dz = backend.matrix(rows, 3);
    backend.write(dz, r);
    const dx = data(layer.backward(dz, rows)!).slice();
    const dw = data(layer.dw).slice();
    const db = data(layer.db).slice();
    for (let i = 0; i < 18; i++) expectClose(dw[i], centralDifference(data(layer.w), i, loss));
    for (let i = 0; i < 3; i++) expectClose(db[i], centralDifference(data(layer.b), i, loss));
    for (let i = 0; i < rows * 6; i++) expectClose(dx[i], centralDifference(data(x), i, loss));
  });

  it('the first layer computes no input gradient', () => {
    const layer = new Dense(backend, 4, 2, 2, false);
    const x = backend.matrix(2, 4);
    layer.forward(x, 2);
    expect(layer.backward(backend.matrix(2, 2), 2)).toBeNull();
  });
});

describe('softmax cross-entropy gradient', () => {
  it('dz = (softmax(z) − onehot)/rows matches central differences of the mean loss', () => {
    const rows = 5;
    const loss = new SoftmaxCrossEntropy(backend, 10, rows);
    const z = backend.matrix(rows, 10);
    backend.write(z, values(rows * 10, 31, 3));
    const labels = Uint8Array.from([0, 3, 9, 3, 7]);
    const f = (): number => loss.forwardBackward(z, labels, rows);
    f();
    const dz = data(loss.dz).slice();
    for (let i = 0; i < rows * 10; i++) expectClose(dz[i], centralDifference(data(z), i, f));
  });

  it('loss equals −log softmax of the true class, and is stable for large logits', () => {
    const loss = new SoftmaxCrossEntropy(backend, 10, 1);
    const z = backend.matrix(1, 10);
    const logits = [1000, 999, 0, 0, 0, 0, 0, 0, 0, 0];
    backend.write(z, logits);
    const got = loss.forwardBackward(z, Uint8Array.from([1]), 1);
    expect(got).toBeCloseTo(1 + Math.log(1 + Math.exp(-1)), 12);
  });
});

describe('whole network gradient', () => {
  for (const kind of ['sigmoid', 'tanh', 'relu'] as ActivationKind[]) {
    it(`${kind} MLP: every parameter's gradient matches central differences`, () => {
      const rows = 3;
      const model = new Mlp(backend, { inputs: 8, hidden: [5, 4], classes: 10, activation: kind }, rows);
      model.dense.forEach((d, l) => {
        backend.write(d.w, values(d.fanIn * d.fanOut, 40 + l));
        backend.write(d.b, values(d.fanOut, 50 + l, 0.1));
      });
      const x = backend.matrix(rows, 8);
      backend.write(x, values(rows * 8, 61));
      const labels = Uint8Array.from([2, 5, 9]);
      const f = (): number => model.loss.forwardBackward(model.forward(x, rows), labels, rows);
      model.lossAndGradients(x, labels, rows);
      for (const group of model.params(0)) {
        const grad = data(group.grad).slice();
        for (let i = 0; i < grad.length; i++) expectClose(grad[i], centralDifference(data(group.param), i, f));
      }
    });
  }
});
