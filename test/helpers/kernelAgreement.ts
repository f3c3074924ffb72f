// The agreement check of a WASM kernels build against the float64 reference, as plain data: the
// cases and the relative error of every compared quantity, used by wasmAgreement.test.ts and by a
// child process (relaxedChild.ts, which runs under runtime flags the test runner lacks) that reports
// them as JSON.
import { CIFAR } from '../../src-shared/cifar';
import type { Backend } from '../../src-main/engine/backend';
import { inputTransform } from '../../src-main/engine/dataset';
import { identityOrder } from '../../src-main/engine/evaluate';
import { F64Backend } from '../../src-main/engine/f64/f64Backend';
import { Mlp } from '../../src-main/engine/mlp';
import { relativeError, values } from './numeric';
import { syntheticSplit } from './synthetic';

/** One network shape and batch to compare on. */
export interface AgreementCase {
  name: string;
  hidden: number[];
  rows: number;
  activation: 'sigmoid' | 'tanh' | 'relu';
  normalization: 'scale' | 'standardize';
}

/** The report's shape and the tails of every kernel. */
export const agreementCases: AgreementCase[] = [
  { name: 'report shape 2×100 sigmoid, batch 64', hidden: [100, 100], rows: 64, activation: 'sigmoid', normalization: 'scale' },
  { name: 'odd widths and a partial batch (tails of every kernel)', hidden: [13, 7], rows: 10, activation: 'tanh', normalization: 'standardize' },
  { name: 'single row, relu, three hidden layers', hidden: [9, 17, 3], rows: 1, activation: 'relu', normalization: 'scale' },
  { name: 'no hidden layer', hidden: [], rows: 6, activation: 'sigmoid', normalization: 'scale' },
];

function setUp(backend: Backend, c: AgreementCase) {
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

/** What one case measured: relative errors against float64 by quantity, and whether labels matched. */
export interface AgreementResult {
  name: string;
  labelsEqual: boolean;
  /** `input` (the loaded batch), `loss`, `logits`, `probs`, `grad <param>`, `dx <layer>`. */
  errors: Record<string, number>;
}

/** Runs case `c` on `backend` and on the float64 reference from identical weights and batch. */
export function agreement(backend: Backend, c: AgreementCase): AgreementResult {
  const ref = setUp(new F64Backend(), c);
  const got = setUp(backend, c);
  const r = ref.model.backend;
  const s = got.model.backend;
  const last = ref.model.dense.length - 1;
  const errors: Record<string, number> = {
    input: relativeError(s.read(got.batch.x, c.rows), r.read(ref.batch.x, c.rows)),
    loss: Math.abs(got.loss - ref.loss) / ref.loss,
    logits: relativeError(s.read(got.model.dense[last].z, c.rows), r.read(ref.model.dense[last].z, c.rows)),
    probs: relativeError(s.read(got.model.loss.probs, c.rows), r.read(ref.model.loss.probs, c.rows)),
  };
  const refParams = ref.model.params(0);
  got.model.params(0).forEach((g, i) => {
    errors[`grad ${g.name}`] = relativeError(s.read(g.grad), r.read(refParams[i].grad));
  });
  got.model.dense.forEach((d, l) => {
    if (d.dx) errors[`dx ${l + 1}`] = relativeError(s.read(d.dx, c.rows), r.read(ref.model.dense[l].dx!, c.rows));
  });
  const labels = (b: { labels: Uint8Array }) => Array.from(b.labels.subarray(0, c.rows)).join();
  return { name: c.name, labelsEqual: labels(got.batch) === labels(ref.batch), errors };
}
