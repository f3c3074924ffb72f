import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { FromAnalysisWorker, PredictResult } from '../../src-main/runner/analysisMessages';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { syntheticDataset } from '../helpers/synthetic';
import { trainedModel } from '../helpers/trainedModel';

// The analysis worker as the desktop app runs it: the bundle electron-vite builds (out/main, made by
// `npm test`'s pretest, or `npx electron-vite build`).

const BUNDLE = join(import.meta.dirname, '../../out/main/analysisWorker.js');
const built = existsSync(BUNDLE);
if (!built) console.warn(`bundled analysis worker test skipped: ${BUNDLE} is missing (run npx electron-vite build)`);
const root = mkdtempSync(join(tmpdir(), 'bundled-analysis-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!built)('the bundled analysis worker', () => {
  it('analyses a saved model and reproduces its run\'s confusion matrix', async () => {
    const data = syntheticDataset(200, 100, 3);
    const { model, last } = await trainedModel({ epochs: 2, hidden: [8] }, data, 1);
    const files = new RunFiles(root);
    files.writeModel(1, model);
    const worker = new Worker(BUNDLE);
    try {
      const answer = await new Promise<FromAnalysisWorker>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (m: FromAnalysisWorker) => {
          if ('type' in m) worker.postMessage({ taskId: 1, task: { type: 'predict', path: files.modelPath(1), test: data.test } });
          else resolve(m);
        });
      });
      if (!('ok' in answer) || !answer.ok) throw new Error(JSON.stringify(answer));
      expect((answer.result as PredictResult).summary.confusion).toEqual(last.confusion);
    } finally {
      await worker.terminate();
    }
  });
});
