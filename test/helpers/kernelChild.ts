// Run as a child process (node --import tsx): prints, as one JSON line, what `auto` resolves to in a
// fresh process (the loader caches per thread, so the environment must be set before it starts)
// and what asking for the native kernels explicitly does.
import { createBackend, kernelReport } from '../../src-main/engine/index';

const out: Record<string, unknown> = {};
try {
  const report = kernelReport();
  out.auto = createBackend('auto').kind;
  out.reportAuto = report.auto;
  out.message = report.message;
  out.nativeAvailable = report.native.available;
} catch (e) {
  out.autoError = (e as Error).message;
}
try {
  out.native = createBackend('native').kind;
} catch (e) {
  out.nativeError = { code: (e as { code?: string }).code, message: (e as Error).message };
}
console.log(JSON.stringify(out));
