import type { Metric } from './aggregate';
import { bests, finals, higherIsBetter, type CompareGroup } from './compareData';
import { seriesStyles, type Highlight, type SeriesStyle } from './seriesStyle';
import type { TrainConfig } from './config';
import { FIELD_LABELS, fieldValueText } from './fieldLabels';
import { summarize } from './stats';
import { PALETTE, type ChartSeries, type ChartSpec } from './svgChart';

export type Band = 'std' | 'se' | 'ci95' | 'minmax';

export const METRIC_LABELS: Record<Metric, string> = {
  testAccuracy: 'test accuracy',
  testLoss: 'test loss',
  trainLoss: 'train loss',
  trainAccuracy: 'train accuracy',
  objective: 'objective (loss + λ/2·‖w‖²)',
};

/** Accuracies are fractions in the data and percentages wherever they are shown, chart axes included. */
export const isAccuracy = (metric: Metric): boolean => metric === 'testAccuracy' || metric === 'trainAccuracy';
/** The y axis of a metric's chart: its name with the unit of what the ticks show. */
const axisLabel = (label: string, metric: Metric): string => (isAccuracy(metric) ? `${label} (%)` : label);

const BAND_LABEL: Record<Band, string> = { std: '± std', se: '± SE', ci95: '95 % CI', minmax: 'min–max' };

export interface GroupChartOptions {
  logY?: boolean;
  /** Which groups keep their colour when there are many (see seriesStyles). */
  highlight?: Highlight;
  /** Keys of groups left out (hidden from the legend in the app). */
  hidden?: ReadonlySet<string>;
  /** Key of the group pointed at: drawn on top, the others faint. */
  focus?: string | null;
  /** Zoomed to these epochs (first, last): only they are drawn, and the title says so (exports too). */
  epochs?: readonly [number, number] | null;
}

/** Each group's style: by order, and by its final mean (the table's "Final mean") for the top N. */
export function groupStyles(groups: readonly CompareGroup[], metric: Metric, highlight: Highlight = 'auto'): SeriesStyle[] {
  return seriesStyles(groups.map((g) => summarize(finals(g)).mean), higherIsBetter(metric), highlight);
}

/** Mean curves with a spread band per group of seeds, labelled with n, as one chart spec. */
export function groupChart(title: string, groups: readonly CompareGroup[], metric: Metric, band: Band, options: GroupChartOptions = {}): ChartSpec {
  const styles = groupStyles(groups, metric, options.highlight);
  const shown = groups.map((g, i) => ({ g, style: styles[i] })).filter(({ g }) => !options.hidden?.has(g.key));
  const series: ChartSeries[] = shown.map(({ g, style }) => {
    const points = g.series;
    const n = g.included.length;
    // runs pruned by ASHA are said apart from the others left out: they stopped early by design
    const pruned = g.excluded.filter((r) => r.status === 'pruned').length;
    const others = g.excluded.length - pruned;
    const dropped = `${pruned ? `, ${pruned} pruned` : ''}${others ? `, ${others} not averaged` : ''}`;
    return {
      key: g.key,
      label: `${g.label} (n=${n}${dropped})`,
      color: style.color,
      dash: style.dash,
      muted: style.muted,
      points: points.map((p) => ({ x: p.epoch, y: p.mean })),
      band: points.map((p) => {
        const [lo, hi] =
          band === 'std' ? [p.mean - p.std, p.mean + p.std] : band === 'se' ? [p.mean - p.se, p.mean + p.se] : band === 'ci95' ? [p.ciLow, p.ciHigh] : [p.min, p.max];
        return { x: p.epoch, lo, hi };
      }),
    };
  });
  const focus = shown.findIndex(({ g }) => g.key === options.focus);
  const zoom = options.epochs ?? null;
  return {
    title: `${title}: ${METRIC_LABELS[metric]}, mean ${BAND_LABEL[band]}${zoom ? `, epochs ${zoom[0]}–${zoom[1]}` : ''}`, xLabel: 'epoch', yLabel: axisLabel(METRIC_LABELS[metric], metric),
    yPercent: isAccuracy(metric), series, logY: options.logY, focus: focus < 0 ? null : focus, xRange: zoom,
  };
}

export type SummaryStat = 'final' | 'best';

/**
 * The report's summary figure: the final (or best) value of a metric against one swept field, with
 * error bars, one series per value of another field (e.g. SGD and Adam against the learning rate).
 */
export function summaryChart(title: string, groups: readonly CompareGroup[], metric: Metric, stat: SummaryStat, xField: keyof TrainConfig, seriesField: keyof TrainConfig | null, band: Band, logX: boolean): ChartSpec {
  const valuesOf = (g: CompareGroup): number[] => (stat === 'final' ? finals(g) : bests(g));
  const bySeries = new Map<string, CompareGroup[]>();
  for (const g of groups) {
    const key = seriesField ? fieldValueText(seriesField, g.config[seriesField]) : 'all runs';
    bySeries.set(key, [...(bySeries.get(key) ?? []), g]);
  }
  const series: ChartSeries[] = [...bySeries.entries()].map(([label, gs], i) => {
    const pts = gs
      .map((g) => ({ x: Number(g.config[xField]), s: summarize(valuesOf(g)) }))
      .filter((p) => Number.isFinite(p.x))
      .sort((a, b) => a.x - b.x);
    return {
      label,
      color: PALETTE[i % PALETTE.length],
      markers: true,
      points: pts.map((p) => ({ x: p.x, y: p.s.mean })),
      errors: pts.map((p) => {
        const [lo, hi] =
          band === 'std' ? [p.s.mean - p.s.std, p.s.mean + p.s.std] : band === 'se' ? [p.s.mean - p.s.se, p.s.mean + p.s.se] : band === 'ci95' ? [p.s.ciLow, p.s.ciHigh] : [p.s.min, p.s.max];
        return { x: p.x, lo, hi };
      }),
    };
  });
  const x = FIELD_LABELS[xField] ?? String(xField);
  return {
    title: `${title}: ${stat} ${METRIC_LABELS[metric]} vs ${x}, mean ${BAND_LABEL[band]}`, xLabel: x, yLabel: axisLabel(`${stat} ${METRIC_LABELS[metric]}`, metric),
    yPercent: isAccuracy(metric), series, logX,
  };
}
