import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../src-main/engine/wasm/wasmBackend';
import { agreement, agreementCases } from '../helpers/kernelAgreement';
import { relativeError, values } from '../helpers/numeric';

// The WASM SIMD kernels (f32, panel layouts) against the float64 reference: identical weights and
// batch, then outputs and every gradient must agree to a relative error ≤ 1e-4 (the loaded batch to
// 1e-6). The relaxed-SIMD build runs the same check in wasmRelaxed.test.ts.

describe('WASM SIMD kernels agree with the float64 reference', () => {
  for (const c of agreementCases) {
    it(c.name, () => {
      const r = agreement(new WasmBackend('wasm-simd'), c);
      expect(r.labelsEqual).toBe(true);
      expect(r.errors.input).toBeLessThan(1e-6);
      for (const [what, err] of Object.entries(r.errors)) expect(err, what).toBeLessThan(1e-4);
      expect(Object.keys(r.errors).filter((k) => k.startsWith('grad '))).toHaveLength(2 * (c.hidden.length + 1));
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
