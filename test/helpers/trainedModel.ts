import type { TrainConfig } from '../../src-shared/config';
import { parseTrainConfig } from '../../src-shared/config';
import type { EpochMetrics } from '../../src-shared/metrics';
import { createBackend, train, type Dataset } from '../../src-main/engine/index';
import { inputTransform } from '../../src-main/engine/dataset';
import { layersFromState, type Model } from '../../src-main/store/files/modelFile';

/**
 * Trains a network with the engine as a run would (same config, seed, data and kernels give the
 * same weights) and returns it as a model with the metrics of its last epoch, as the runner's
 * checkpoint hook sees them.
 */
export async function trainedModel(config: Partial<TrainConfig>, data: Dataset, runId: number | null = null): Promise<{ model: Model; last: EpochMetrics }> {
  const full = parseTrainConfig(config);
  let model: Model | null = null;
  let last: EpochMetrics | null = null;
  const trainCount = full.trainLimit > 0 ? Math.min(full.trainLimit, data.train.count) : data.train.count;
  await train(full, data, {
    backend: createBackend(full.kernel),
    hooks: {
      onCheckpoint: (state, metrics) => {
        last = metrics;
        model = {
          layers: layersFromState(state.tensors), config: full, transform: inputTransform(full.normalization, data.train, trainCount),
          classNames: [...data.classNames], appVersion: 'test', datasetSha256: null, runId, epoch: state.epoch, testAccuracy: metrics.testAccuracy,
        };
      },
    },
  });
  if (!model || !last) throw new Error('training produced no epoch');
  return { model, last };
}
