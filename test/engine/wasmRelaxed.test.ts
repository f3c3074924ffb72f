import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { AgreementResult } from '../helpers/kernelAgreement';

// The relaxed-SIMD build of the kernels (f32x4.relaxed_madd in the GEMM loops) against the float64
// reference, and the run-time choice between it and the plain SIMD build. Node 20 validates relaxed
// SIMD only with --experimental-wasm-relaxed-simd, so each check runs test/helpers/relaxedChild.ts in
// a child process with or without that flag and asserts on the JSON it prints.

const run = promisify(execFile);
const FLAG = '--experimental-wasm-relaxed-simd';

interface ChildReport {
  relaxedSupported: boolean;
  kind: string;
  backendKinds: string[];
  plainModuleValidates: boolean;
  relaxedModuleValidates: boolean;
  cases: AgreementResult[];
}

async function child(flags: string[], relaxedEnv?: string): Promise<ChildReport> {
  const env = { ...process.env };
  delete env.WORKBENCH_WASM_RELAXED;
  delete env.NODE_OPTIONS;
  if (relaxedEnv !== undefined) env.WORKBENCH_WASM_RELAXED = relaxedEnv;
  const script = join(import.meta.dirname, '../helpers/relaxedChild.ts');
  const { stdout } = await run(process.execPath, [...flags, '--import', 'tsx', script], { env, cwd: process.cwd() });
  return JSON.parse(stdout) as ChildReport;
}

/** Every quantity of every case within 1e-4 of float64 (the loaded input within 1e-6), labels equal. */
function expectAgreement(report: ChildReport): void {
  expect(report.cases.map((c) => c.name)).toHaveLength(4);
  for (const c of report.cases) {
    expect(c.labelsEqual, c.name).toBe(true);
    expect(c.errors.input, `${c.name}: input`).toBeLessThan(1e-6);
    expect(Object.keys(c.errors), c.name).toEqual(expect.arrayContaining(['loss', 'logits', 'probs', 'grad W1', 'grad b1']));
    for (const [what, err] of Object.entries(c.errors)) {
      expect(Number.isFinite(err), `${c.name}: ${what}`).toBe(true);
      expect(err, `${c.name}: ${what}`).toBeLessThan(1e-4);
    }
  }
}

describe('relaxed-SIMD WASM kernels', () => {
  it('are chosen under --experimental-wasm-relaxed-simd and agree with the float64 reference', async () => {
    const report = await child([FLAG]);
    expect(report.relaxedSupported).toBe(true);
    expect(report.relaxedModuleValidates).toBe(true);
    expect(report.kind).toBe('wasm-relaxed-simd');
    expect(report.backendKinds).toEqual(['wasm-relaxed-simd', 'wasm-relaxed-simd', 'wasm-relaxed-simd', 'wasm-relaxed-simd']);
    expectAgreement(report);
  });

  it('fall back to the plain SIMD build where relaxed SIMD does not validate (Node 20 without the flag)', async () => {
    const report = await child([]);
    expect(report.relaxedSupported).toBe(false);
    // the relaxed build really holds relaxed instructions, the plain one none
    expect(report.relaxedModuleValidates).toBe(false);
    expect(report.plainModuleValidates).toBe(true);
    expect(report.kind).toBe('wasm-simd');
    expect(report.backendKinds).toEqual(['wasm-simd', 'wasm-simd', 'wasm-simd', 'wasm-simd']);
    expectAgreement(report);
  });

  it('WORKBENCH_WASM_RELAXED=0 forces the plain build even where relaxed SIMD validates', async () => {
    const report = await child([FLAG], '0');
    expect(report.relaxedSupported).toBe(true);
    expect(report.kind).toBe('wasm-simd');
    expect(report.backendKinds).toEqual(['wasm-simd', 'wasm-simd', 'wasm-simd', 'wasm-simd']);
    expectAgreement(report);
  });
});
