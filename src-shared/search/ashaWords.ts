import type { AshaMetric } from './searchSpec';

/** A metric value as the app shows it: accuracies in percent, losses with 4 decimals, NaN as such. */
export function formatMetricValue(metric: AshaMetric, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return metric === 'testAccuracy' || metric === 'trainAccuracy' ? `${(value * 100).toFixed(2)} %` : value.toFixed(4);
}
