// npm run accuracy [-- --seeds N] — the report's defaults (2×100 sigmoid, batch 64, 20 epochs, SGD
// γ 0.3) over N seeds on ../shared/data/cifar-10-binary.tar.gz, side by side with the PyTorch
// reference (ref_mlp.py torch, same seeds) run concurrently on the second core. Prints a per-seed
// table with mean ± std and one full per-epoch log, and rewrites the marked section of
// docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrainConfig } from '../src-shared/config';
import type { EpochMetrics } from '../src-shared/metrics';
import { readCifar } from '../src-main/data/cifarReader';
import { createBackend, train } from '../src-main/engine/index';
import { extractedFolder, REF_SCRIPT, referenceAvailable, referenceEnv, type ReferenceEpoch } from './benchReference';

const DATA = join(import.meta.dirname, '../../shared/data/cifar-10-binary.tar.gz');
const seedsArg = process.argv.indexOf('--seeds');
const SEEDS = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 10;
const EPOCHS = 20;
if (!existsSync(DATA)) {
  console.error(`accuracy: ${DATA} is missing`);
  process.exit(1);
}

const stats = (v: number[]): string => {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length - 1));
  return `${(m * 100).toFixed(1)} % ± ${(sd * 100).toFixed(1)}`;
};

/** Runs the reference for every seed, one process at a time, in the background. */
async function reference(folder: string): Promise<ReferenceEpoch[][]> {
  const runs: ReferenceEpoch[][] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('/usr/bin/python3', [REF_SCRIPT, 'torch', folder, '--seed', String(seed), '--threads', '1'], { env: referenceEnv(1) });
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`ref_mlp.py exited with ${code}`))));
    });
    runs.push(out.trim().split('\n').map((l) => JSON.parse(l) as ReferenceEpoch));
  }
  return runs;
}

const withRef = referenceAvailable('torch');
const extracted = withRef ? extractedFolder(DATA) : null;
const refPromise = extracted ? reference(extracted.folder).finally(() => extracted.dispose()) : Promise.resolve([] as ReferenceEpoch[][]);
const data = await readCifar(DATA);
const ours: EpochMetrics[][] = [];
const kernels = new Set<string>();
for (let seed = 0; seed < SEEDS; seed++) {
  // onProgress yields to the event loop so the reference processes keep being spawned and reaped
  const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const r = await train(parseTrainConfig({ seed, epochs: EPOCHS }), data, { backend: createBackend(), hooks: { onProgress: yieldToLoop } });
  ours.push(r.epochs);
  kernels.add(r.kernel);
  console.error(`seed ${seed}: final ${(r.epochs.at(-1)!.testAccuracy * 100).toFixed(2)} %, best ${(r.best!.testAccuracy * 100).toFixed(2)} %`);
}
const ref = await refPromise;

const out: string[] = [];
out.push(`Command: \`npm run accuracy\` (${SEEDS} seeds × ${EPOCHS} epochs, report defaults, kernels ${[...kernels].join(', ')}; PyTorch reference: \`ref_mlp.py torch --seed S --threads 1\`, run concurrently).`);
out.push('');
out.push('| seed | this engine: final | best (epoch) | PyTorch: final | best (epoch) |');
out.push('|---|---|---|---|---|');
const best = (accs: number[]): [number, number] => accs.reduce<[number, number]>((b, a, i) => (a > b[0] ? [a, i + 1] : b), [-1, 0]);
for (let s = 0; s < SEEDS; s++) {
  const o = ours[s].map((e) => e.testAccuracy);
  const [ob, oe] = best(o);
  const r = ref[s]?.map((e) => e.test_acc);
  const rb = r ? best(r) : null;
  out.push(`| ${s} | ${(o.at(-1)! * 100).toFixed(2)} % | ${(ob * 100).toFixed(2)} % (${oe}) | ${r ? `${(r.at(-1)! * 100).toFixed(2)} %` : '–'} | ${rb ? `${(rb[0] * 100).toFixed(2)} % (${rb[1]})` : '–'} |`);
}
const oFinal = ours.map((r) => r.at(-1)!.testAccuracy);
const oBest = ours.map((r) => Math.max(...r.map((e) => e.testAccuracy)));
const rFinal = ref.map((r) => r.at(-1)!.test_acc);
const rBest = ref.map((r) => Math.max(...r.map((e) => e.test_acc)));
out.push(`| **mean ± std** | **${stats(oFinal)}** | **${stats(oBest)}** | ${ref.length ? stats(rFinal) : '–'} | ${ref.length ? stats(rBest) : '–'} |`);
out.push('');
out.push('Per-epoch log of this engine, seed 0:');
out.push('');
out.push('| epoch | train loss | objective | test loss | test accuracy | learning rate | seconds |');
out.push('|---|---|---|---|---|---|---|');
for (const e of ours[0]) {
  out.push(`| ${e.epoch} | ${e.trainLoss.toFixed(4)} | ${e.objective.toFixed(4)} | ${e.testLoss.toFixed(4)} | ${(e.testAccuracy * 100).toFixed(2)} % | ${e.learningRate} | ${e.seconds.toFixed(2)} |`);
}
console.log(out.join('\n'));

const doc = join(import.meta.dirname, '../docs/benchmarks.md');
const text = readFileSync(doc, 'utf8');
const [start, end] = ['<!-- accuracy:start -->', '<!-- accuracy:end -->'];
if (text.includes(start) && text.includes(end)) {
  writeFileSync(doc, `${text.slice(0, text.indexOf(start) + start.length)}\n${out.join('\n')}\n${text.slice(text.indexOf(end))}`);
  console.error(`Updated ${doc}`);
}
