import type { EpochMetrics } from '../../src-shared/metrics';
import type { Series } from './components/CurveChart.vue';

type Epoch = Omit<EpochMetrics, 'confusion'>;

/** The loss and accuracy curves of one run, as chart series (accuracies shown in percent). */
export function runCurves(epochs: Epoch[]): { loss: Series[]; accuracy: Series[] } {
  const pts = (f: (e: Epoch) => number): [number, number][] => epochs.map((e) => [e.epoch, f(e)]);
  return {
    loss: [
      { label: 'train loss', points: pts((e) => e.trainLoss), color: '#1f6feb' },
      { label: 'test loss', points: pts((e) => e.testLoss), color: '#d9480f' },
    ],
    accuracy: [
      { label: 'test accuracy', points: pts((e) => e.testAccuracy), color: '#2f9e44', percent: true },
      { label: 'train accuracy', points: pts((e) => e.trainAccuracy), color: '#7048e8', percent: true },
    ],
  };
}
