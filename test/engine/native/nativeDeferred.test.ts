import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../src-main/engine/backend';
import { F64Backend } from '../../../src-main/engine/f64/f64Backend';
import { NativeBackend } from '../../../src-main/engine/native/nativeBackend';
import { reachableLevels } from '../../helpers/nativeLevels';
import { relativeError, values } from '../../helpers/numeric';

// The native backend defers products to fuse them; called in orders the layers never use, it must
// still give what running every operation at once gives (the float64 reference does exactly that).

const levels = reachableLevels();
const M = 5, K = 37, N = 19;

function setUp(b: Backend) {
  const x = b.matrix(M, K), x2 = b.matrix(M, K), w = b.weights(K, N), bias = b.vector(N);
  const z = b.matrix(M, N), a = b.matrix(M, N), dz = b.matrix(M, N), dw = b.weights(K, N), db = b.vector(N);
  b.write(x, values(M * K, 1));
  b.write(x2, values(M * K, 2));
  b.write(w, values(K * N, 3, 0.2));
  b.write(bias, values(N, 4, 0.1));
  b.write(dz, values(M * N, 5, 0.01));
  return { x, x2, w, bias, z, a, dz, dw, db };
}

/** Runs `steps` on both backends and returns the relative error of what `result` reads. */
function compare(level: (typeof levels)[number], steps: (b: Backend, t: ReturnType<typeof setUp>) => Float64Array): number {
  const run = (b: Backend) => steps(b, setUp(b));
  return relativeError(run(new NativeBackend(level)), run(new F64Backend()));
}

describe.skipIf(levels.length === 0)('native deferred products in unusual orders', () => {
  const level = levels[0];
  it('a product queued twice for the same output keeps the second', () => {
    expect(compare(level, (b, t) => {
      b.linear(t.x, t.w, t.bias, t.z, M);
      b.linear(t.x2, t.w, t.bias, t.z, M);
      b.activation('sigmoid', t.z, t.a, M);
      return b.read(t.a);
    })).toBeLessThan(1e-5);
  });

  it('overwriting an input runs the product that still needs its old values first', () => {
    expect(compare(level, (b, t) => {
      b.linear(t.x, t.w, t.bias, t.z, M);
      b.write(t.x, values(M * K, 9));
      return b.read(t.z);
    })).toBeLessThan(1e-5);
  });

  it('two backward passes without a step, then the gradient read', () => {
    expect(compare(level, (b, t) => {
      b.linearBackward(t.x, t.w, t.dz, t.dw, t.db, null, M);
      b.linearBackward(t.x2, t.w, t.dz, t.dw, t.db, null, M);
      return b.read(t.dw);
    })).toBeLessThan(1e-5);
  });

  it('a weight update while an input-gradient product that reads the old weights is queued', () => {
    expect(compare(level, (b, t) => {
      const dx = b.matrix(M, K);
      b.linearBackward(t.x, t.w, t.dz, t.dw, t.db, dx, M);
      b.sgdStep(t.w, t.dw, null, 0.5, 0, 0.01);
      return Float64Array.from([...b.read(dx), ...b.read(t.w)]);
    })).toBeLessThan(1e-5);
  });
});
