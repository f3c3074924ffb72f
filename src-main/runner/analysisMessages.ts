import type { WireError } from '../../src-shared/errors';
import type { FirstLayerUnit } from '../../src-shared/insights';
import type { DatasetSplit } from '../engine/dataset';
import type { summarize } from './analysisCompute';

/** What the analysis pool asks a worker; the split's bytes are shared (a SharedArrayBuffer), not copied. */
export type AnalysisTask =
  | { type: 'predict'; path: string; test: DatasetSplit }
  | { type: 'firstLayer'; path: string }
  | { type: 'images'; test: DatasetSplit; indices: number[]; scale: number };

/** A model's verdict on the test split, with everything the API pages through. */
export interface PredictResult {
  type: 'predict';
  epoch: number;
  classNames: string[];
  summary: ReturnType<typeof summarize>;
  /** count × classes softmax probabilities. */
  probs: Float32Array;
  preds: Uint8Array;
  labels: Uint8Array;
  /** Test indices cell by cell, most confident first (see cellIndex). */
  order: Int32Array;
  cellStart: Int32Array;
}

export type AnalysisResult =
  | PredictResult
  | { type: 'firstLayer'; epoch: number; outputLayer: boolean; units: FirstLayerUnit[] }
  | { type: 'images'; pngs: string[] };

export type ToAnalysisWorker = { taskId: number; task: AnalysisTask };

export type FromAnalysisWorker =
  | { type: 'ready' }
  | { taskId: number; ok: true; result: AnalysisResult }
  | { taskId: number; ok: false; error: WireError };
