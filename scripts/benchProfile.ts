// Child of npm run bench: where one epoch of the report defaults goes on the native kernels. Every
// kernel call of the backend is timed and sorted into phases; the last of three epochs is reported
// (the first pays one-off page faults), with the rest of the epoch's wall time as the trainer's own
// JavaScript (shuffle, accuracy counting, the calls themselves). Prints one JSON line.
import { parseTrainConfig } from '../src-shared/config';
import { DatasetManager } from '../src-main/data/datasetManager';
import { NativeBackend } from '../src-main/engine/native/nativeBackend';
import type { NativeKernels } from '../src-main/engine/native/nativeAddon';
import { train } from '../src-main/engine/trainer';

const [home] = process.argv.slice(2);
const data = await new DatasetManager(home).load();
const backend = new NativeBackend();
// the backend's kernel table, wrapped with timers (a bench-only reach into a private field)
const inner = backend as unknown as { k: NativeKernels };
const kernels = inner.k;
let spent = new Map<string, number>();

function phase(name: string, args: unknown[]): string {
  if (name === 'gemm') {
    const [m, , k, , , , , , , , epilogue] = args as number[];
    if (epilogue === 3 && m === 3072) return 'Xᵀ·dZ with the SGD step fused (first layer)';
    if (k === 3072) return m > 64 ? 'X·W1 + bias + sigmoid on the test set (blocks of 256)' : 'X·W1 + bias + sigmoid (first layer, training)';
    return 'products of the hidden and output layers (forward, backward, fused steps)';
  }
  if (name === 'packInput') return 'packing input bytes into f32 (train and test)';
  return 'softmax cross-entropy, bias sums and steps, transpose';
}

const timed: Record<string, unknown> = { level: kernels.level };
for (const [name, fn] of Object.entries(kernels)) {
  if (typeof fn !== 'function') continue;
  timed[name] = (...args: unknown[]) => {
    const t = performance.now();
    const r = (fn as (...a: unknown[]) => unknown)(...args);
    const key = phase(name, args);
    spent.set(key, (spent.get(key) ?? 0) + performance.now() - t);
    return r;
  };
}
inner.k = timed as unknown as NativeKernels;

let last: { seconds: number; phases: Map<string, number> } | null = null;
await train(parseTrainConfig({ epochs: 3 }), data, {
  backend,
  hooks: {
    onEpoch: (m) => {
      last = { seconds: m.seconds, phases: spent };
      spent = new Map();
    },
  },
});
const { seconds, phases } = last!;
const rows = [...phases].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms }));
const kernelMs = rows.reduce((s, r) => s + r.ms, 0);
rows.push({ name: 'the trainer in JavaScript (shuffle, accuracy counts, calls into the addon)', ms: seconds * 1000 - kernelMs });
console.log(JSON.stringify({ level: kernels.level, seconds, rows }));
