// Entry of an analysis worker thread: looks inside saved models (predictions on the test split,
// first-layer weights, test images) so none of that work runs on the main or UI thread.
import { parentPort } from 'node:worker_threads';
import { toWireError } from '../../src-shared/errors';
import { compileKernels, createBackend, nativeStatus } from '../engine/index';
import { readModelFile } from '../store/files/modelFile';
import { cellIndex, firstLayerUnits, predict, summarize, testImagePng } from './analysisCompute';
import type { AnalysisResult, AnalysisTask, FromAnalysisWorker, ToAnalysisWorker } from './analysisMessages';

const port = parentPort!;
const post = (m: FromAnalysisWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

async function run(task: AnalysisTask): Promise<{ result: AnalysisResult; transfer: ArrayBuffer[] }> {
  switch (task.type) {
    case 'predict': {
      const model = readModelFile(task.path);
      // this thread runs one analysis at a time: a native backend may reuse the previous one's memory
      const p = await predict(model, task.test, createBackend('auto', { reuseMemory: true }));
      const { order, cellStart } = cellIndex(p);
      const result: AnalysisResult = { type: 'predict', epoch: model.epoch, classNames: model.classNames, summary: summarize(p), probs: p.probs, preds: p.preds, labels: p.labels, order, cellStart };
      return { result, transfer: [p.probs.buffer, p.preds.buffer, p.labels.buffer, order.buffer, cellStart.buffer] as ArrayBuffer[] };
    }
    case 'firstLayer': {
      const model = readModelFile(task.path);
      return { result: { type: 'firstLayer', epoch: model.epoch, outputLayer: model.layers.length === 1, units: firstLayerUnits(model.layers[0]) }, transfer: [] };
    }
    case 'images':
      return { result: { type: 'images', pngs: task.indices.map((i) => testImagePng(task.test, i, task.scale)) }, transfer: [] };
  }
}

port.on('message', ({ taskId, task }: ToAnalysisWorker) => {
  run(task).then(
    ({ result, transfer }) => post({ taskId, ok: true, result }, transfer),
    (e: unknown) => post({ taskId, ok: false, error: toWireError(e) }),
  );
});

try {
  nativeStatus();
  compileKernels();
} catch {
  // reported by the first analysis that needs them
}
post({ type: 'ready' });
