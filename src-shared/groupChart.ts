import { groupSeries, type Metric, type RunGroup } from './aggregate';
import { PALETTE, type ChartSeries, type ChartSpec } from './svgChart';

export type Band = 'std' | 'se' | 'ci95' | 'minmax';

export const METRIC_LABELS: Record<Metric, string> = {
  testAccuracy: 'test accuracy',
  testLoss: 'test loss',
  trainLoss: 'train loss',
  trainAccuracy: 'train accuracy',
  objective: 'objective (loss + λ/2·‖w‖²)',
};

const BAND_LABEL: Record<Band, string> = { std: '± std', se: '± SE', ci95: '95 % CI', minmax: 'min–max' };

/** Mean curves with a spread band per group of seeds, labelled with n, as one chart spec. */
export function groupChart(title: string, groups: readonly RunGroup[], metric: Metric, band: Band, logY = false): ChartSpec {
  const series: ChartSeries[] = groups.map((g, i) => {
    const points = groupSeries(g, metric);
    const n = g.included.length;
    const dropped = g.excluded.length ? `, ${g.excluded.length} not averaged` : '';
    return {
      label: `${g.label} (n=${n}${dropped})`,
      color: PALETTE[i % PALETTE.length],
      points: points.map((p) => ({ x: p.epoch, y: p.mean })),
      band: points.map((p) => {
        const [lo, hi] =
          band === 'std' ? [p.mean - p.std, p.mean + p.std] : band === 'se' ? [p.mean - p.se, p.mean + p.se] : band === 'ci95' ? [p.ciLow, p.ciHigh] : [p.min, p.max];
        return { x: p.epoch, lo, hi };
      }),
    };
  });
  return { title: `${title}: ${METRIC_LABELS[metric]}, mean ${BAND_LABEL[band]}`, xLabel: 'epoch', yLabel: METRIC_LABELS[metric], series, logY };
}
