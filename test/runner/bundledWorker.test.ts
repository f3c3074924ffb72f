import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src-shared/config';
import { kernelReport } from '../../src-main/engine/index';
import type { FromWorker } from '../../src-main/runner/messages';
import { syntheticDataset } from '../helpers/synthetic';

// The training worker as the desktop app runs it: the bundle electron-vite builds (out/main, made by
// `npm test`'s pretest). It must load the native addon from the bundle's location and train with it.

const BUNDLE = join(import.meta.dirname, '../../out/main/trainWorker.js');
const built = existsSync(BUNDLE);
if (!built) console.warn(`bundled worker test skipped: ${BUNDLE} is missing (run npm run build)`);

describe.skipIf(!built)('the bundled training worker', () => {
  it('trains a run with the kernels auto resolves to and reports them', async () => {
    const data = syntheticDataset(200, 50, 2);
    const worker = new Worker(BUNDLE, { workerData: { dataset: data, cancel: new Int32Array(new SharedArrayBuffer(8)) } });
    const seen: FromWorker[] = [];
    try {
      const done = await new Promise<FromWorker>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (m: FromWorker) => {
          seen.push(m);
          if (m.type === 'ready') worker.postMessage({ type: 'run', runId: 1, config: parseTrainConfig({ epochs: 2, hidden: [8] }) });
          if (m.type === 'done' || m.type === 'error') resolve(m);
        });
      });
      expect(done).toMatchObject({ type: 'done', status: 'finished', kernel: kernelReport().auto });
      expect(seen.find((m) => m.type === 'started')).toMatchObject({ kernel: kernelReport().auto });
      expect(seen.filter((m) => m.type === 'epoch')).toHaveLength(2);
    } finally {
      await worker.terminate();
    }
  });
});
