import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CPU levels the addon dispatches to (see csrc/dispatch.c), best first. */
export const NATIVE_LEVELS = ['avx512', 'avx2', 'portable'] as const;
export type NativeLevel = (typeof NATIVE_LEVELS)[number];

type F32 = Float32Array | null;

/**
 * The kernel functions of the addon, bound to one dispatch level (csrc/addon.c documents each).
 * Every matrix is row-major with a leading dimension that is a multiple of 16.
 */
export interface NativeKernels {
  readonly level: NativeLevel;
  gemm(m: number, n: number, k: number, a: Float32Array, aRowStride: number, aColStride: number, b: Float32Array, ldb: number, c: Float32Array, ldc: number,
    epilogue: number, act: number, bias: F32, out2: F32, aux: F32, w: F32, vel: F32, lr: number, momentum: number, l2: number): void;
  activation(kind: number, z: Float32Array, a: Float32Array, rows: number, cols: number, ld: number): void;
  activationBackward(kind: number, a: Float32Array, da: Float32Array, dz: Float32Array, rows: number, cols: number, ld: number): void;
  softmaxCrossEntropy(z: Float32Array, labels: Uint8Array, probs: Float32Array, dz: F32, preds: Uint8Array | null, rows: number, cols: number, ld: number, scale: number): number;
  sgd(w: Float32Array, g: Float32Array, vel: F32, lr: number, momentum: number, l2: number): void;
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, b1: number, b2: number, eps: number, bc1: number, bc2: number, l2: number): void;
  sumSquares(w: Float32Array): number;
  colSum(z: Float32Array, out: Float32Array, rows: number, cols: number, ld: number): void;
  transpose(w: Float32Array, rows: number, cols: number, ld: number, t: Float32Array, ldt: number): void;
  packInput(records: Uint8Array, recordBytes: number, order: Int32Array, start: number, count: number, x: Float32Array, ldx: number, labels: Uint8Array,
    features: number, plane: number, scaleShift: Float32Array): void;
  alignOffset(array: Float32Array, elementBytes: number): number;
}

interface Addon {
  open(cap?: string): NativeKernels;
}

/** Whether the addon loaded in this thread, and if not, why (said once to the user by the app). */
export type NativeStatus = { available: true; level: NativeLevel; path: string } | { available: false; reason: string };

const PACKAGE_NAME = 'cifar-workbench';
const here = dirname(fileURLToPath(import.meta.url));
// not named `require`: the bundler of the Electron main process declares one of its own
const requireHere = createRequire(import.meta.url);
let loaded: { addon: Addon; path: string } | { reason: string } | null = null;

/**
 * Where to look for build/Release or prebuilds/: WORKBENCH_NATIVE_DIR when set (tests point it at an
 * empty folder to prove the WASM fallback), else the nearest folder above this module whose
 * package.json is this project's (src-main/engine/native/ from source, out/main/chunks/ when bundled).
 */
function candidateRoots(): string[] {
  const forced = process.env.WORKBENCH_NATIVE_DIR;
  if (forced) return [forced];
  for (let dir = here, up = 0; up < 6; up++, dir = dirname(dir)) {
    try {
      if ((requireHere(join(dir, 'package.json')) as { name?: string }).name === PACKAGE_NAME) return [dir];
    } catch {
      // no package.json here: keep going up
    }
  }
  return [];
}

/** Why npm install could not build the addon, as scripts/buildNative.mjs recorded it. */
function buildFailure(root: string): string | null {
  try {
    const log = requireHere(join(root, 'build', 'native-build.json')) as { ok: boolean; reason?: string };
    return log.ok ? null : (log.reason ?? null);
  } catch {
    return null;
  }
}

function load(): { addon: Addon; path: string } | { reason: string } {
  const roots = candidateRoots();
  if (roots.length === 0) return { reason: `the project folder was not found next to ${here}` };
  const nodeGypBuild = requireHere('node-gyp-build') as { path(dir: string): string };
  let reason = '';
  for (const root of roots) {
    let path: string;
    try {
      path = nodeGypBuild.path(root);
    } catch {
      const why = buildFailure(root);
      reason = why ? `npm install could not compile it (${why})` : `no build of it was found in ${root} (build/Release or prebuilds/)`;
      continue;
    }
    try {
      return { addon: requireHere(path) as Addon, path };
    } catch (e) {
      reason = `${path} did not load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  }
  return { reason };
}

/** Loads the addon once per thread (each worker has its own module instance). */
export function nativeStatus(): NativeStatus {
  loaded ??= load();
  if ('reason' in loaded) return { available: false, reason: loaded.reason };
  return { available: true, level: openNative(loaded.addon).level, path: loaded.path };
}

/** The level cap from WORKBENCH_NATIVE_LEVEL (lets tests and users force a lower level). */
export function levelCap(): NativeLevel | undefined {
  const cap = process.env.WORKBENCH_NATIVE_LEVEL;
  if (!cap) return undefined;
  if (!(NATIVE_LEVELS as readonly string[]).includes(cap)) throw new Error(`WORKBENCH_NATIVE_LEVEL must be one of ${NATIVE_LEVELS.join(', ')}, not '${cap}'`);
  return cap as NativeLevel;
}

function openNative(addon: Addon, cap = levelCap()): NativeKernels {
  return addon.open(cap);
}

/** Kernels bound to the best level this CPU runs (capped by `cap` or the env); throws with the reason when the addon is unavailable. */
export function nativeKernels(cap?: NativeLevel): NativeKernels {
  loaded ??= load();
  if ('reason' in loaded) throw new Error(`The native kernels are not available: ${loaded.reason}`);
  return openNative(loaded.addon, cap ?? levelCap());
}
