import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import type { RunDetail } from '../../src-shared/runs';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarRecordToPng } from '../../src-main/data/png';
import type { Dataset } from '../../src-main/engine/dataset';
import { createBackend, inferSplit } from '../../src-main/engine/index';
import { readModelFile, type Model } from '../../src-main/store/files/modelFile';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { cifarMembers, writeCifarFolder, writeCifarTarGz } from '../helpers/cifarFixture';
import { buildPng } from '../helpers/pngBuilder';
import { workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-models-'));
const home = join(root, 'home');
const archive = join(root, 'cifar.tar.gz');
const at = (name: string): string => join(root, name);
const files = new RunFiles(home);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { hidden: [16], epochs: 3, batchSize: 32, seed: 3 };
let data: Dataset;
/** Run 1's final model as the runner saved it, and the run as the history recorded it. */
let model: Model;
let run: RunDetail;
/** Its last epoch's figures, as the history has them. */
let last: { testAccuracy: number; testLoss: number; confusion: number[] };

/**
 * A home with the fixture dataset and three real runs: 1 finished by `workbench sweep` (the runner
 * saved its final and best-epoch models), 2 interrupted once it reported an epoch, 3 queued.
 */
beforeAll(async () => {
  const members = cifarMembers(60, 300);
  writeCifarTarGz(archive, members);
  writeCifarFolder(at('folder'), members);
  const wb = openWorkbench(home, { workers: 1 });
  try {
    await wb.api.call('data/import', { path: archive });
    await wb.api.call('settings/set', { keepBestModel: true });
  } finally {
    await wb.close();
  }
  writeFileSync(at('spec.json'), JSON.stringify({ name: 'models', base }));
  const sweep = await workbench('sweep', at('spec.json'), '--home', home, '--workers', '1');
  expect(sweep.code, sweep.stderr).toBe(0);

  const wb2 = openWorkbench(home, { workers: 1 });
  try {
    const firstEpoch = new Promise<void>((resolve) => {
      const off = wb2.api.subscribe((event, p) => event === 'run/epoch' && p.runId === 2 && (off(), resolve()));
    });
    await wb2.api.call('experiments/create', { spec: { name: 'long', base: { ...base, epochs: 1000 } } });
    await firstEpoch;
    await wb2.runner.forceStop(2);
    await wb2.runner.whenIdle();
    await wb2.api.call('queue/pause', {});
    await wb2.api.call('experiments/create', { spec: { name: 'later', base } });
    run = await wb2.api.call('runs/get', { id: 1 });
    expect((await wb2.api.call('runs/list', {})).map((r) => r.status)).toEqual(['finished', 'interrupted', 'queued']);
    data = await wb2.dataset.load();
  } finally {
    await wb2.close();
  }
  model = readModelFile(files.modelPath(1));
  const final = run.epochs.at(-1)!;
  last = { testAccuracy: final.testAccuracy, testLoss: final.testLoss, confusion: run.confusion!.matrix };
  expect(model).toMatchObject({ runId: 1, epoch: 3, testAccuracy: final.testAccuracy, datasetSha256: run.datasetSha256 });
}, 300_000);

describe('workbench runs export-model', () => {
  it('copies a finished run\'s model byte for byte, and refuses to replace a file without --force', async () => {
    const out = at('run1.safetensors');
    const r = await workbench('runs', 'export-model', '1', '--out', out, '--home', home);
    expect(r.stderr).toContain(`Wrote ${out}: run 1's final model (epoch 3, test accuracy ${(last.testAccuracy * 100).toFixed(2)} %)`);
    expect(r.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(files.modelPath(1)));
    writeFileSync(out, 'mine');
    const again = await workbench('runs', 'export-model', '1', '--out', out, '--home', home);
    expect(again.stderr).toContain(`${out} already exists; nothing was written. Add --force to overwrite it`);
    expect(again.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = await workbench('runs', 'export-model', '1', '--out', out, '--force', '--home', home);
    expect(forced.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(files.modelPath(1)));
  }, 120_000);

  it('--best copies the model of the run\'s best test epoch', async () => {
    const out = at('best1.safetensors');
    const r = await workbench('runs', 'export-model', '1', '--best', '--out', out, '--home', home);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(files.modelPath(1, 'best')));
    expect(readModelFile(out)).toMatchObject({ runId: 1, epoch: run.bestEpoch, testAccuracy: run.bestTestAccuracy });
  }, 120_000);

  it('says why a run has no model and what to do, and writes nothing', async () => {
    const out = at('none.safetensors');
    const cases: [string[], RegExp, number][] = [
      [['2'], /Run 2 has no model: it was interrupted after \d+ of its epochs. To finish training, resume it \(Resume on its page, or workbench runs resume 2\); its model is saved when it finishes. Nothing was written./, 1],
      [['3'], /Run 3 has no model yet: it is queued/, 1],
      [['99'], /No run 99/, 1],
      [['x'], /The run id must be a positive integer, not 'x'/, 2],
      [[], /runs export-model needs a run id/, 2],
    ];
    for (const [args, message, code] of cases) {
      const r = await workbench('runs', 'export-model', ...args, '--out', out, '--home', home);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code, args.join(' ')).toBe(code);
    }
    const noOut = await workbench('runs', 'export-model', '1', '--home', home);
    expect(noOut.stderr).toMatch(/runs export-model needs --out file.safetensors/);
    const badFolder = await workbench('runs', 'export-model', '1', '--out', join(root, 'missing', 'm.safetensors'), '--home', home);
    expect(badFolder.stderr).toMatch(/Cannot write the export \(--out .*missing\/m.safetensors\): the folder .*missing does not exist/);
    expect(badFolder.code).toBe(1);
    expect(() => readFileSync(out)).toThrow();
  }, 120_000);

  it('reports a damaged stored model with its path instead of exporting it, and a best model that was not kept', async () => {
    const best = files.modelPath(1, 'best');
    const bytes = readFileSync(best);
    try {
      writeFileSync(best, bytes.subarray(0, 1000));
      const r = await workbench('runs', 'export-model', '1', '--best', '--out', at('damaged.safetensors'), '--home', home);
      expect(r.stderr).toMatch(new RegExp(`The model file ${best} is not a valid safetensors file: .*truncated`));
      expect(r.code).toBe(1);
      expect(() => readFileSync(at('damaged.safetensors'))).toThrow();
      rmSync(best);
      const none = await workbench('runs', 'export-model', '1', '--best', '--out', at('damaged.safetensors'), '--home', home);
      expect(none.stderr).toMatch(/Run 1 kept no best-epoch model: keeping the best epoch's model was off when it ran. Its final model can be exported \(without --best\). Nothing was written./);
      expect(none.code).toBe(1);
    } finally {
      writeFileSync(best, bytes);
    }
  }, 120_000);
});

describe('workbench predict', () => {
  const recordsFile = at('some.bin');
  const pixels = (i: number): Uint8Array => data.test.records.subarray(i * CIFAR.recordBytes + 1, (i + 1) * CIFAR.recordBytes);

  beforeAll(() => {
    writeFileSync(at('m.safetensors'), readFileSync(files.modelPath(1)));
    writeFileSync(recordsFile, data.test.records.subarray(0, 50 * CIFAR.recordBytes));
    writeFileSync(at('first.png'), cifarRecordToPng(pixels(0)));
    writeFileSync(at('second.raw'), pixels(1));
  });

  it('gives the engine\'s probabilities for PNGs, CIFAR records and raw images, with the true class of records', async () => {
    const r = await workbench('predict', at('m.safetensors'), recordsFile, at('first.png'), at('second.raw'), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { images: { file: string; record: number | null; label: number | null; trueClass: string | null; top: { label: number; className: string; probability: number }[]; probabilities: number[] }[]; accuracy: { labelled: number; correct: number; accuracy: number } };
    expect(out.images).toHaveLength(52);
    const expected = await inferSplit(createBackend('auto'), model.layers, model.config.activation, { records: data.test.records, count: 50 }, model.transform);
    for (let i = 0; i < 50; i++) {
      const img = out.images[i];
      expect(img).toMatchObject({ file: recordsFile, record: i, label: data.test.records[i * CIFAR.recordBytes], trueClass: model.classNames[data.test.records[i * CIFAR.recordBytes]] });
      expect(img.probabilities).toEqual(Array.from(expected.probs.subarray(i * 10, i * 10 + 10)));
      expect(img.top.map((t) => t.label)[0]).toBe(expected.preds[i]);
      expect(img.top).toHaveLength(3);
      expect(img.top[0].probability).toBeGreaterThanOrEqual(img.top[1].probability);
      expect(img.top[1].probability).toBeGreaterThanOrEqual(img.top[2].probability);
    }
    // the same pixels as a PNG or a label-less raw file get the same answer
    expect(out.images[50]).toMatchObject({ file: at('first.png'), record: null, label: null, trueClass: null, probabilities: out.images[0].probabilities });
    expect(out.images[51]).toMatchObject({ file: at('second.raw'), record: null, label: null, probabilities: out.images[1].probabilities });
    const correct = [...expected.preds].filter((p, i) => p === data.test.records[i * CIFAR.recordBytes]).length;
    expect(out.accuracy).toEqual({ labelled: 50, correct, accuracy: correct / 50 });
  }, 120_000);

  it('prints the top 3 classes in % per image and the accuracy on labelled images', async () => {
    const r = await workbench('predict', at('m.safetensors'), at('first.png'), recordsFile);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(52);
    expect(lines[0]).toMatch(new RegExp(`^${at('first.png')} +(\\w+ +\\d+\\.\\d %   ){2}\\w+ +\\d+\\.\\d %$`));
    expect(lines[1]).toMatch(new RegExp(`^${recordsFile} #0 +.* %   true: ${model.classNames[data.test.records[0]]} [✓✗]$`));
    expect(lines[51]).toMatch(/^Accuracy on the 50 labelled images: \d+\.\d\d % \(\d+ right\)$/);
    expect(r.stderr).toContain('run 1, epoch 3');
  }, 120_000);

  it('refuses images it cannot read with the file named and what it needs', async () => {
    writeFileSync(at('big.png'), buildPng({ width: 64, height: 64, colour: 2, depth: 8, rows: new Uint8Array(64 * 64 * 3) }));
    writeFileSync(at('odd.bin'), new Uint8Array(5000));
    const badLabel = new Uint8Array(CIFAR.recordBytes);
    badLabel[0] = 12;
    writeFileSync(at('label.bin'), badLabel);
    const cases: [string[], RegExp, number][] = [
      [[at('m.safetensors'), at('big.png')], /big.png: the image is 64×64 pixels; the network takes 32×32 images/, 2],
      [[at('m.safetensors'), at('odd.bin')], /odd.bin is not an image this command reads \(5,000 bytes\): give a 32×32 PNG, a CIFAR-10 binary file/, 2],
      [[at('m.safetensors'), at('label.bin')], /label.bin: record 0 has label 12; CIFAR-10 records start with a label 0–9/, 2],
      [[at('m.safetensors'), at('nothing.png')], /Cannot read the image .*nothing.png: no such file or folder/, 1],
      [[at('m.safetensors'), root], /Cannot read the image .*: it is a folder, not a file/, 1],
      [[at('first.png'), at('first.png')], /model file .*first.png is not a valid safetensors file/, 1],
      [[at('m.safetensors')], /predict needs at least one image after the model file/, 2],
    ];
    for (const [args, message, code] of cases) {
      const r = await workbench('predict', ...args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code, args.join(' ')).toBe(code);
    }
  }, 120_000);
});

describe('workbench evaluate', () => {
  interface Evaluated { testAccuracy: number; testLoss: number; confusion: number[][]; classNames: string[]; warnings: string[]; data: { images: number } }
  const evaluate = async (...args: string[]): Promise<{ code: number; out: Evaluated; stderr: string }> => {
    const r = await workbench('evaluate', at('m.safetensors'), '--json', ...args);
    return { code: r.code, out: JSON.parse(r.stdout || '{}') as Evaluated, stderr: r.stderr };
  };
  const rows = (flat: number[]): number[][] => [...Array(10).keys()].map((r) => flat.slice(r * 10, r * 10 + 10));

  it('gives the run\'s last-epoch accuracy, loss and confusion on the home\'s test split', async () => {
    const r = await evaluate('--home', home);
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({ testAccuracy: last.testAccuracy, testLoss: last.testLoss, confusion: rows(last.confusion), warnings: [], data: { images: 300 } });
    expect(r.stderr).toBe('');
    const archived = await evaluate('--data', archive, '--home', join(root, 'elsewhere'));
    expect(archived.out).toMatchObject({ testAccuracy: last.testAccuracy, testLoss: last.testLoss, warnings: [] });
    const asHome = await evaluate('--data', home);
    expect(asHome.out).toMatchObject({ testAccuracy: last.testAccuracy, warnings: [] });
  }, 120_000);

  it('warns, but still evaluates, when the data is not the dataset the model was trained on', async () => {
    // an extracted folder is another source than the archive the run's cache came from
    const folder = await evaluate('--data', at('folder'));
    expect(folder.code).toBe(0);
    expect(folder.out.testAccuracy).toBe(last.testAccuracy);
    expect(folder.stderr).toMatch(/warning: the model was trained on another dataset \(sha256 [0-9a-f]{12}… in the model, [0-9a-f]{12}… for the folder .*cifar-10-batches-bin\); these figures are not comparable with its run's/);
    const other = writeCifarTarGz(at('other.tar.gz'), cifarMembers(10, 120, 77));
    const r = await evaluate('--data', other);
    expect(r.code).toBe(0);
    expect(r.out.data.images).toBe(120);
    expect(r.out.confusion.flat().reduce((s, v) => s + v, 0)).toBe(120);
    expect(r.out.warnings).toHaveLength(1);
    expect(r.stderr).toContain('workbench: warning: the model was trained on another dataset');
  }, 120_000);

  it('prints accuracy, loss and the confusion matrix with class names', async () => {
    const r = await workbench('evaluate', at('m.safetensors'), '--home', home);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Test accuracy ${(last.testAccuracy * 100).toFixed(2)} % · test loss ${last.testLoss.toFixed(4)}`);
    const lines = r.stdout.trim().split('\n');
    const matrix = lines.slice(-11);
    expect(matrix[0].trim().split(/ +/)).toEqual(model.classNames);
    matrix.slice(1).forEach((line, i) => expect(line.trim().split(/ +/)).toEqual([model.classNames[i], ...rows(last.confusion)[i].map(String)]));
  }, 120_000);

  it('says what is missing when there is no data or no model', async () => {
    const empty = await workbench('evaluate', at('m.safetensors'), '--home', join(root, 'empty-home'));
    expect(empty.stderr).toMatch(/No usable dataset: the cache is absent. Download or import CIFAR-10 first./);
    expect(empty.code).toBe(1);
    const missing = await workbench('evaluate', at('nope.safetensors'), '--home', home);
    expect(missing.stderr).toMatch(/No model file at .*nope.safetensors/);
    const noData = await workbench('evaluate', at('m.safetensors'), '--data', at('nowhere'));
    expect(noData.stderr).toMatch(/--data .*nowhere: no such file or folder/);
    const notCifar = await workbench('evaluate', at('m.safetensors'), '--data', at('m.safetensors'));
    expect(notCifar.code).toBe(1);
    expect(notCifar.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
