import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR_CLASS_NAMES } from '../../src-shared/cifar';
import type { RunDetail } from '../../src-shared/runs';
import { openWorkbench, type Workbench } from '../../src-main/api/openWorkbench';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { ensureRunModel } from '../helpers/runModel';

// The channels that look inside a run's saved model, through the real API of a workbench (SQLite
// file, dataset cache, runner and analysis worker threads) on a small CIFAR-shaped archive.

const root = mkdtempSync(join(tmpdir(), 'run-insights-'));
let wb: Workbench;
let run: RunDetail;
let modelPath: string;

beforeAll(async () => {
  wb = openWorkbench(join(root, 'home'), { workers: 1 });
  await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(60, 200)) });
  const e = await wb.api.call('experiments/create', { spec: { name: 'inside', base: { epochs: 3, hidden: [16], learningRate: 0.1, batchSize: 25 }, repeats: 1 } });
  const [r] = await wb.api.call('runs/list', { experimentId: e.id });
  await wb.runner.whenIdle();
  if ((await wb.api.call('runs/get', { id: r.id })).status !== 'finished') throw new Error(`run ${r.id} did not finish`);
  modelPath = await ensureRunModel(wb, r.id);
  run = await wb.api.call('runs/get', { id: r.id });
});
afterAll(async () => {
  await wb?.api.close();
  await wb?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('runs/insights, runs/misclassified and runs/firstLayer', () => {
  it('measure the run\'s model on the test split: the confusion and accuracy its run reported, per-class scores and top-k', async () => {
    const ins = await wb.api.call('runs/insights', { id: run.id });
    expect(ins.confusion).toEqual(run.confusion!.matrix);
    expect(ins.testAccuracy).toBe(run.finalTestAccuracy);
    expect(ins.epoch).toBe(3);
    expect(ins.testCount).toBe(200);
    expect(ins.classNames).toEqual([...CIFAR_CLASS_NAMES]);
    expect(ins.topK.map((t) => t.k)).toEqual([1, 3, 5]);
    expect(ins.topK[0].accuracy).toBe(ins.testAccuracy);
    expect(ins.perClass.map((s) => s.support)).toEqual([...Array(10).keys()].map((c) => ins.confusion.slice(c * 10, c * 10 + 10).reduce((a, b) => a + b, 0)));
    expect(ins.which).toBe('final');
    expect(ins.hasBest).toBe(false);
  });

  it('page through a confusion cell\'s images: as many as the cell counts, each once, most confident first', async () => {
    const ins = await wb.api.call('runs/insights', { id: run.id });
    let cell = 1;
    for (let c = 0; c < 100; c++) if (Math.floor(c / 10) !== c % 10 && ins.confusion[c] > ins.confusion[cell]) cell = c;
    const [trueClass, predictedClass] = [Math.floor(cell / 10), cell % 10];
    expect(ins.confusion[cell]).toBeGreaterThan(2);
    const seen: number[] = [];
    const confidence: number[] = [];
    for (let offset = 0; offset < ins.confusion[cell]; offset += 2) {
      const page = await wb.api.call('runs/misclassified', { id: run.id, trueClass, predictedClass, offset, limit: 2 });
      expect(page.total).toBe(ins.confusion[cell]);
      for (const item of page.items) {
        seen.push(item.index);
        confidence.push(item.predictedProbability);
        expect(item.top[0]).toEqual({ label: predictedClass, probability: item.predictedProbability });
        expect(item.top).toHaveLength(3);
        expect(item.trueProbability).toBeLessThanOrEqual(item.predictedProbability);
        const png = Buffer.from(item.pngBase64, 'base64');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 64]);
        expect((await wb.api.call('data/image', { split: 'test', index: item.index })).label).toBe(trueClass);
      }
    }
    expect(seen).toHaveLength(ins.confusion[cell]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(confidence).toEqual([...confidence].sort((a, b) => b - a));
    const past = await wb.api.call('runs/misclassified', { id: run.id, trueClass, predictedClass, offset: 500 });
    expect(past).toMatchObject({ total: ins.confusion[cell], items: [] });
  });

  it('draw the first layer\'s hidden units, by norm, as many as asked for', async () => {
    const all = await wb.api.call('runs/firstLayer', { id: run.id });
    expect(all).toMatchObject({ runId: run.id, epoch: 3, outputLayer: false, total: 16 });
    expect(all.units).toHaveLength(16);
    const some = await wb.api.call('runs/firstLayer', { id: run.id, limit: 5 });
    expect(some.units).toEqual(all.units.slice(0, 5));
    expect(some.total).toBe(16);
  });

  it('refuse invalid requests, naming the field', async () => {
    const api = wb.api;
    await expect(api.call('runs/misclassified', { id: run.id, trueClass: 10, predictedClass: 0 })).rejects.toThrow(/trueClass: Too big/);
    await expect(api.call('runs/misclassified', { id: run.id, trueClass: 0, predictedClass: 1, limit: 101 })).rejects.toThrow(/limit: Too big/);
    await expect(api.call('runs/misclassified', { id: run.id, trueClass: 0, predictedClass: 1, limit: 0 })).rejects.toThrow(/limit: Too small/);
    await expect(api.call('runs/misclassified', { id: run.id, trueClass: 0, predictedClass: 1, offset: -1 })).rejects.toThrow(/offset: Too small/);
    await expect(api.call('runs/misclassified', { id: run.id, trueClass: 0 } as never)).rejects.toThrow(/predictedClass/);
    await expect(api.call('runs/insights', { id: run.id, which: 'worst' } as never)).rejects.toThrow(/which: /);
    await expect(api.call('runs/insights', { id: 0 })).rejects.toThrow(/id: Too small/);
    await expect(api.call('runs/firstLayer', { id: run.id, path: '/etc/passwd' } as never)).rejects.toThrow(/path: unknown field/);
    await expect(api.call('runs/exportModel', { id: run.id, path: '/tmp/x' } as never)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/path: unknown field/) });
  });

  it('say why a run has no model and what to do', async () => {
    await expect(wb.api.call('runs/insights', { id: 9999 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No run 9999' });
    await expect(wb.api.call('runs/insights', { id: run.id, which: 'best' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/kept no best-epoch model.*final model can be exported/) });
    await wb.api.call('queue/pause', {});
    const e = await wb.api.call('experiments/create', { spec: { name: 'waiting', base: { epochs: 1, hidden: [4] }, repeats: 1 } });
    const [queued] = await wb.api.call('runs/list', { experimentId: e.id });
    await expect(wb.api.call('runs/firstLayer', { id: queued.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no model yet: it is queued/) });
    await expect(wb.api.call('runs/misclassified', { id: queued.id, trueClass: 0, predictedClass: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await wb.api.call('experiments/cancel', { id: e.id });
    await expect(wb.api.call('runs/insights', { id: queued.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `Run ${queued.id} has no model: it was cancelled after 0 epochs. To finish training, resume it (Resume on its page, or workbench runs resume ${queued.id}); its model is saved when it finishes.`,
    });
  });

  it('refuse a damaged model file with MODEL_INVALID, and analyse the file again once it is replaced', async () => {
    const good = readFileSync(modelPath);
    try {
      writeFileSync(modelPath, good.subarray(0, 100));
      await expect(wb.api.call('runs/insights', { id: run.id })).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining(modelPath) });
      await expect(wb.api.call('runs/firstLayer', { id: run.id })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    } finally {
      writeFileSync(modelPath, good);
    }
    expect((await wb.api.call('runs/insights', { id: run.id })).confusion).toEqual(run.confusion!.matrix);
  });

  it('need the dataset for predictions (not for the weights), and say so', async () => {
    const other = openWorkbench(join(root, 'empty-home'), { workers: 1 });
    try {
      const e = await other.api.call('experiments/create', { spec: { name: 'no data', base: { epochs: 3, hidden: [16] }, repeats: 1 } });
      const [r] = await other.api.call('runs/list', { experimentId: e.id });
      const files = new RunFiles(other.dataset.home);
      files.writeModel(r.id, (await import('../../src-main/store/files/modelFile')).readModelFile(modelPath));
      await expect(other.api.call('runs/insights', { id: r.id })).rejects.toMatchObject({ code: 'DATASET_MISSING', message: expect.stringMatching(/Download or import CIFAR-10/) });
      expect((await other.api.call('runs/firstLayer', { id: r.id })).units).toHaveLength(16);
    } finally {
      await other.api.close();
      await other.close();
    }
  });
});

describe('runs/exportModel', () => {
  it('is refused without the desktop app\'s save dialog (browser mode downloads instead)', async () => {
    await expect(wb.api.call('runs/exportModel', { id: run.id })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/only available in the desktop app/) });
  });

  it('copies the model to the path the save dialog chose, does nothing when it is cancelled, and names a path it cannot write', async () => {
    const asked: string[] = [];
    let answer: string | null = join(root, 'exported.safetensors');
    // stands in for Electron's dialog.showSaveDialog, which only main can show
    wb.api.useSaveDialog(async (name) => {
      asked.push(name);
      return answer;
    });
    const saved = await wb.api.call('runs/exportModel', { id: run.id });
    expect(saved).toEqual({ saved: true, path: answer, bytes: readFileSync(modelPath).length });
    expect(readFileSync(answer!)).toEqual(readFileSync(modelPath));
    expect(asked).toEqual([`run-${run.id}.safetensors`]);

    answer = null;
    expect(await wb.api.call('runs/exportModel', { id: run.id })).toEqual({ saved: false, path: null, bytes: 0 });

    answer = join(root, 'no-such-folder', 'm.safetensors');
    await expect(wb.api.call('runs/exportModel', { id: run.id })).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining(`${answer}: no such file or folder`) });
    expect(existsSync(join(root, 'no-such-folder'))).toBe(false);
    await expect(wb.api.call('runs/exportModel', { id: run.id, which: 'best' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
