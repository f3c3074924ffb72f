import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src-main/engine/backend';
import { F64Backend } from '../../src-main/engine/f64/f64Backend';
import type { ParamGroup } from '../../src-main/engine/layers/dense';
import { Adam } from '../../src-main/engine/optim/adam';
import type { Optimizer } from '../../src-main/engine/optim/optimizer';
import { Sgd } from '../../src-main/engine/optim/sgd';
import { WasmBackend } from '../../src-main/engine/wasm/wasmBackend';

// Two weights w0 = [1, −2] receive the gradients below for three steps at γ = 0.1. Expected values
// are worked by hand from the update rules, e.g. plain SGD with λ = 0.01, step 1:
//   w = 1 − 0.1·(0.5 + 0.01·1) = 0.949,   w = −2 − 0.1·(0.25 + 0.01·(−2)) = −2.023.
// Adam step 1: m̂ = g and v̂ = g² after bias correction, so Δ = γ·g/(|g| + ε) ≈ 0.1·sign(g);
// without bias correction it would be 0.1·0.05/√0.00025 ≈ 0.316, which these values rule out.
const GRADS = [
  [0.5, 0.25],
  [-0.1, 0.3],
  [0.2, -0.4],
];
const EXPECTED = {
  sgd: [[0.95, -2.025], [0.96, -2.055], [0.94, -2.015]],
  sgdL2: [[0.949, -2.023], [0.958051, -2.050977], [0.937092949, -2.008926023]],
  momentum: [[0.95, -2.025], [0.915, -2.0775], [0.8635, -2.08475]],
  adam: [[0.900000002, -2.099999996], [0.8488973957, -2.2000613038], [0.7887814028, -2.2083490519]],
  adamL2: [[0.9000000020, -2.0999999957], [0.8471146659, -2.2000393837], [0.7853265842, -2.2018101303]],
};

function run(backend: Backend, make: (groups: ParamGroup[]) => Optimizer, l2: number): number[][] {
  const param = backend.weights(1, 2);
  const grad = backend.weights(1, 2);
  backend.write(param, [1, -2]);
  const opt = make([{ name: 'W1', param, grad, l2 }]);
  return GRADS.map((g) => {
    backend.write(grad, g);
    opt.step(0.1);
    return Array.from(backend.read(param));
  });
}

const adam = (b: Backend) => (groups: ParamGroup[]) => new Adam(b, groups, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });

for (const [name, make, digits] of [
  ['f64 reference', () => new F64Backend(), 9],
  ['WASM f32', () => new WasmBackend(), 5],
] as const) {
  describe(`optimizers on ${name}`, () => {
    const check = (got: number[][], want: number[][]): void =>
      got.forEach((row, t) => row.forEach((v, i) => expect(v, `step ${t + 1}, weight ${i}`).toBeCloseTo(want[t][i], digits)));

    it('SGD: w ← w − γ∇J', () => {
      const b = make();
      check(run(b, (g) => new Sgd(b, g, { momentum: 0 }), 0), EXPECTED.sgd);
    });
    it('SGD with L2: w ← w − γ(∇J + λw)', () => {
      const b = make();
      check(run(b, (g) => new Sgd(b, g, { momentum: 0 }), 0.01), EXPECTED.sgdL2);
    });
    it('SGD with momentum 0.9: v ← μv + g, w ← w − γv', () => {
      const b = make();
      check(run(b, (g) => new Sgd(b, g, { momentum: 0.9 }), 0), EXPECTED.momentum);
    });
    it('Adam with bias correction', () => {
      const b = make();
      check(run(b, adam(b), 0), EXPECTED.adam);
    });
    it('Adam sees the L2 term (coupled weight decay)', () => {
      const b = make();
      check(run(b, adam(b), 0.01), EXPECTED.adamL2);
    });
  });
}
