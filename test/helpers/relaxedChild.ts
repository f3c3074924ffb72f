// Child process for test/engine/wasmRelaxed.test.ts: Node 20 validates relaxed SIMD only with
// --experimental-wasm-relaxed-simd, which the test runner itself lacks. Prints one JSON object: which
// build the runtime picks, whether each embedded build validates, and the agreement of the picked
// build's backend with the float64 reference.
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../../src-main/engine/wasm/generated/kernelsWasm';
import { relaxedSimdSupported, wasmKernelKind } from '../../src-main/engine/wasm/kernels';
import { WasmBackend } from '../../src-main/engine/wasm/wasmBackend';
import { agreement, agreementCases } from './kernelAgreement';

const validates = (b64: string): boolean => WebAssembly.validate(Buffer.from(b64, 'base64'));
const backendKinds: string[] = [];
const cases = agreementCases.map((c) => {
  const backend = new WasmBackend();
  backendKinds.push(backend.kind);
  return agreement(backend, c);
});
process.stdout.write(`${JSON.stringify({
  relaxedSupported: relaxedSimdSupported(),
  kind: wasmKernelKind(),
  backendKinds,
  plainModuleValidates: validates(KERNELS_WASM_BASE64),
  relaxedModuleValidates: validates(KERNELS_RELAXED_WASM_BASE64),
  cases,
})}\n`);
