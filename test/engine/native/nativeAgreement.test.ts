import { describe, expect, it } from 'vitest';
import type { ActivationKind, Backend, Mat } from '../../../src-main/engine/backend';
import { F64Backend } from '../../../src-main/engine/f64/f64Backend';
import { Activation } from '../../../src-main/engine/layers/activation';
import { Dense } from '../../../src-main/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../../src-main/engine/layers/softmaxCrossEntropy';
import { NativeBackend } from '../../../src-main/engine/native/nativeBackend';
import { Adam } from '../../../src-main/engine/optim/adam';
import type { Optimizer } from '../../../src-main/engine/optim/optimizer';
import { Sgd } from '../../../src-main/engine/optim/sgd';
import { reachableLevels } from '../../helpers/nativeLevels';
import { relativeError, values } from '../../helpers/numeric';

// The native kernels against the float64 reference on shapes that are multiples of no tile or
// vector width (M rows, K inputs, N hidden units), at every dispatch level this CPU reaches: a dense
// layer K→N with an activation, then N→10 with softmax cross-entropy, its loss, outputs and every
// gradient, then the parameters after two optimizer steps. Each case runs twice: once reading the
// gradients (the products run unfused), once stepping straight away (bias and activation in the
// forward epilogue, the activation derivative in the input-gradient epilogue, SGD in the
// weight-gradient product), which must give the same parameters.

interface Shape { m: number; k: number; n: number; act: ActivationKind }
const SHAPES: Shape[] = [
  { m: 1, k: 1, n: 1, act: 'sigmoid' },
  { m: 7, k: 3, n: 10, act: 'tanh' },
  { m: 63, k: 3071, n: 99, act: 'sigmoid' },
  { m: 65, k: 3, n: 257, act: 'relu' },
  { m: 65, k: 3071, n: 10, act: 'tanh' },
  { m: 7, k: 1, n: 257, act: 'sigmoid' },
  { m: 1, k: 3071, n: 99, act: 'relu' },
  { m: 63, k: 3, n: 1, act: 'tanh' },
  { m: 300, k: 77, n: 33, act: 'sigmoid' }, // more rows than one block of the contraction (256)
];
type OptimizerName = 'sgd' | 'sgd+l2' | 'momentum' | 'adam';
const OPTIMIZERS: OptimizerName[] = ['sgd', 'sgd+l2', 'momentum', 'adam'];

function network(b: Backend, s: Shape) {
  const l1 = new Dense(b, s.k, s.n, s.m, true);
  const act = new Activation(b, s.act, s.n, s.m);
  const l2 = new Dense(b, s.n, 10, s.m, true);
  const loss = new SoftmaxCrossEntropy(b, 10, s.m);
  b.write(l1.w, values(s.k * s.n, 11, 1 / Math.sqrt(s.k)));
  b.write(l1.b, values(s.n, 12, 0.1));
  b.write(l2.w, values(s.n * 10, 13, 1 / Math.sqrt(s.n)));
  b.write(l2.b, values(10, 14, 0.1));
  const x = b.matrix(s.m, s.k);
  b.write(x, values(s.m * s.k, 15, 1));
  const labels = Uint8Array.from({ length: s.m }, (_, i) => (i * 7 + 3) % 10);
  const groups = [...l1.params(1, 0), ...l2.params(2, 0)];
  return { l1, act, l2, loss, x, labels, groups };
}

function optimizer(b: Backend, name: OptimizerName, net: ReturnType<typeof network>): Optimizer {
  const l2 = name === 'sgd+l2' ? 0.05 : 0;
  const groups = net.groups.map((g) => ({ ...g, l2: g.name.startsWith('W') ? l2 : 0 }));
  if (name === 'adam') return new Adam(b, groups, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  return new Sgd(b, groups, { momentum: name === 'momentum' ? 0.9 : 0 });
}

/** One forward and backward pass; returns the loss and, when `inspect`, everything it computed. */
function pass(b: Backend, net: ReturnType<typeof network>, m: number, inspect: boolean) {
  const h = net.act.forward(net.l1.forward(net.x, m), m);
  const z = net.l2.forward(h, m);
  const loss = net.loss.forwardBackward(z, net.labels, m);
  const dh = net.l2.backward(net.loss.dz, m)!;
  const dx = net.l1.backward(net.act.backward(dh, m), m)!;
  if (!inspect) return { loss, seen: [] as [string, Float64Array][] };
  const read = (name: string, mat: Mat, rows?: number): [string, Float64Array] => [name, b.read(mat, rows)];
  const seen = [read('hidden activation', h, m), read('logits', z, m), read('probabilities', net.loss.probs, m), read('dx', dx, m),
    ...net.groups.map((g) => read(`gradient of ${g.name}`, g.grad))];
  return { loss, seen };
}

function train(b: Backend, s: Shape, name: OptimizerName, inspect: boolean) {
  const net = network(b, s);
  const opt = optimizer(b, name, net);
  const first = pass(b, net, s.m, inspect);
  opt.step(0.05);
  pass(b, net, s.m, false);
  opt.step(0.05);
  return { first, params: net.groups.map((g) => [g.name, b.read(g.param)] as const) };
}

const levels = reachableLevels();

describe.skipIf(levels.length === 0)('native kernels agree with the float64 reference', () => {
  for (const level of levels) {
    for (const s of SHAPES) {
      it(`${level}: M ${s.m}, K ${s.k}, N ${s.n}, ${s.act}`, () => {
        for (const name of OPTIMIZERS) {
          const ref = train(new F64Backend(), s, name, true);
          for (const inspect of [true, false]) {
            const got = train(new NativeBackend(level), s, name, inspect);
            const where = `${name}, ${inspect ? 'unfused' : 'fused'}`;
            expect(Math.abs(got.first.loss - ref.first.loss) / ref.first.loss, `loss (${where})`).toBeLessThan(1e-4);
            got.first.seen.forEach(([what, v], i) => expect(relativeError(v, ref.first.seen[i][1]), `${what} (${where})`).toBeLessThan(1e-4));
            got.params.forEach(([what, v], i) => expect(relativeError(v, ref.params[i][1]), `${what} after two steps (${where})`).toBeLessThan(1e-4));
          }
        }
      });
    }
  }
});
