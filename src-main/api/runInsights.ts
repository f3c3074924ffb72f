import { existsSync } from 'node:fs';
import type { FirstLayerWeights, MisclassifiedPage, ModelWhich, RunInsights } from '../../src-shared/insights';
import type { RunDetail } from '../../src-shared/runs';
import type { DatasetManager } from '../data/datasetManager';
import type { Dataset } from '../engine/dataset';
import { topClasses } from '../runner/analysisCompute';
import type { PredictResult } from '../runner/analysisMessages';
import { AnalysisPool } from '../runner/analysisPool';
import { RunFiles } from '../store/files/runFiles';
import { runModelFile } from './runModels';

interface Cached<T> {
  stamp: string;
  data: Dataset | null;
  value: Promise<T>;
}

/** Analyses kept in memory (a 10,000-image test split: about 0.5 MB each). */
const CACHE_SIZE = 8;

/** A small least-recently-used map. */
class Lru<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly size: number) {}
  get(key: string): T | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: T): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/**
 * Looks inside a run's saved model: its test-set predictions (confusion, per-class scores, top-k,
 * the images of each confusion cell) and its first-layer weights. The work happens in the analysis
 * pool's worker threads; results are kept per run and model file (a rewritten file is analysed
 * again), so paging through a cell costs only the PNGs of the page.
 */
export class RunInsightsService {
  private readonly predictions = new Lru<Cached<PredictResult>>(CACHE_SIZE);
  private readonly firstLayers = new Lru<Cached<Omit<FirstLayerWeights, 'runId'>>>(CACHE_SIZE);
  readonly files: RunFiles;

  constructor(
    private readonly dataset: DatasetManager,
    files?: RunFiles,
    private readonly pool: AnalysisPool = new AnalysisPool(),
  ) {
    this.files = files ?? new RunFiles(dataset.home);
  }

  private cached<T>(lru: Lru<Cached<T>>, key: string, stamp: string, data: Dataset | null, compute: () => Promise<T>): Promise<T> {
    const hit = lru.get(key);
    if (hit && hit.stamp === stamp && hit.data === data) return hit.value;
    const value = compute();
    const entry = { stamp, data, value };
    lru.set(key, entry);
    // a failure is not kept: the next request tries again (the file may have been replaced)
    value.catch(() => lru.get(key) === entry && lru.delete(key));
    return value;
  }

  private async predictionsOf(run: RunDetail, which: ModelWhich): Promise<PredictResult> {
    const file = runModelFile(this.files, run, which);
    const data = await this.dataset.load();
    return this.cached(this.predictions, `${run.id}:${which}`, file.stamp, data, async () => {
      const r = await this.pool.run({ type: 'predict', path: file.path, test: data.test });
      return r as PredictResult;
    });
  }

  async insights(run: RunDetail, which: ModelWhich): Promise<RunInsights> {
    const p = await this.predictionsOf(run, which);
    const { confusion, testAccuracy, topK, perClass, macro, testCount } = p.summary;
    return {
      runId: run.id, which, epoch: p.epoch, testAccuracy, topK, confusion, classNames: p.classNames, perClass, macro, testCount,
      hasBest: existsSync(this.files.modelPath(run.id, 'best')),
    };
  }

  async misclassified(run: RunDetail, which: ModelWhich, trueClass: number, predictedClass: number, offset: number, limit: number): Promise<MisclassifiedPage> {
    const p = await this.predictionsOf(run, which);
    const classes = p.summary.perClass.length;
    const cell = trueClass * classes + predictedClass;
    const start = p.cellStart[cell];
    const total = p.cellStart[cell + 1] - start;
    const indices = Array.from(p.order.subarray(start + Math.min(offset, total), start + Math.min(offset + limit, total)));
    const data = await this.dataset.load();
    const { pngs } = indices.length ? ((await this.pool.run({ type: 'images', test: data.test, indices, scale: 2 })) as { pngs: string[] }) : { pngs: [] };
    const items = indices.map((index, k) => ({
      index,
      pngBase64: pngs[k],
      predictedProbability: p.probs[index * classes + p.preds[index]],
      trueProbability: p.probs[index * classes + p.labels[index]],
      top: topClasses({ probs: p.probs, classes }, index),
    }));
    return { trueClass, predictedClass, total, offset, items };
  }

  async firstLayer(run: RunDetail, which: ModelWhich, limit: number): Promise<FirstLayerWeights> {
    const file = runModelFile(this.files, run, which);
    const all = await this.cached(this.firstLayers, `${run.id}:${which}`, file.stamp, null, async () => {
      const r = await this.pool.run({ type: 'firstLayer', path: file.path });
      if (r.type !== 'firstLayer') throw new Error('unexpected analysis result');
      return { epoch: r.epoch, outputLayer: r.outputLayer, units: r.units, total: r.units.length };
    });
    return { runId: run.id, epoch: all.epoch, outputLayer: all.outputLayer, total: all.total, units: all.units.slice(0, limit) };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
