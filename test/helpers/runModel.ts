import { existsSync } from 'node:fs';
import type { Workbench } from '../../src-main/api/openWorkbench';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { trainedModel } from './trainedModel';

/**
 * Makes sure a finished run of the workbench has its model file: the runner writes it when it keeps
 * models; otherwise the same config is trained again here (same seed, data and kernels give the
 * same weights) and written where the runner would put it. Returns the model file's path.
 */
export async function ensureRunModel(wb: Workbench, runId: number): Promise<string> {
  const files = new RunFiles(wb.dataset.home);
  const path = files.modelPath(runId);
  if (existsSync(path)) return path;
  const run = await wb.api.call('runs/get', { id: runId });
  const { model } = await trainedModel(run.config, await wb.dataset.load(), runId);
  files.writeModel(runId, model);
  return path;
}
