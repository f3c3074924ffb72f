/**
 * The geometry of the parallel coordinates (one vertical axis per field and the metric, one line per
 * row) and the figure as a standalone SVG file. Pure: the app draws its interactive plot from the same
 * layout, so the exported file is the chart on screen (brushes and greyed-out lines included), always
 * in the light theme for papers and slides.
 */
import type { Metric } from './aggregate';
import { axisText, axisValue, passesBrushes, toUnit, type AnalysisRow, type Axis } from './analysisAxes';
import type { Brush } from './compareUrl';
import { CHART_THEMES, logTicks, niceTicks, PALETTE } from './svgChart';

export const PC_TOP = 48;
export const PC_HEIGHT = 300;
export const PC_BOTTOM = 24;
const SIDE = 100;
/** The brushes' colour in the file (the app's light accent). */
const ACCENT = '#0a58ca';

/** The figure's width: at least 560 px, 170 px per axis. */
export const parallelWidth = (axes: number): number => Math.max(560, axes * 170);
/** Where the i-th of `count` axes stands. */
export const parallelX = (count: number, i: number): number => (count < 2 ? parallelWidth(count) / 2 : SIDE + (i * (parallelWidth(count) - 2 * SIDE)) / (count - 1));
/** Where a value sits on an axis (top: its high end). */
export const parallelY = (axis: Axis, v: number): number => PC_TOP + (1 - toUnit(axis, v)) * PC_HEIGHT;

/** A row's line, broken where it has no value, and whether it lies inside every brush. */
export interface ParallelLine {
  row: AnalysisRow;
  d: string;
  kept: boolean;
  /** Pruned, failed, cancelled…: its last value is not a final one (drawn dashed). */
  unfinished: boolean;
}

export function parallelLines(rows: readonly AnalysisRow[], axes: readonly Axis[], brushes: readonly Brush[]): ParallelLine[] {
  return rows.map((row) => {
    const points = axes.map((axis, i) => ({ x: parallelX(axes.length, i), v: axisValue(axis, row) }));
    const d = points
      .map((p, i) => (Number.isFinite(p.v) ? `${i && Number.isFinite(points[i - 1].v) ? 'L' : 'M'}${p.x.toFixed(1)},${parallelY(axes[i], p.v).toFixed(1)}` : ''))
      .join('');
    return { row, d, kept: passesBrushes(row, axes, brushes), unfinished: row.status !== 'finished' && row.status !== 'mean' };
  });
}

/** An axis's ticks: their height and text (accuracies in %, categories by name). */
export function parallelTicks(axis: Axis, metric: Metric): { y: number; text: string }[] {
  const [lo, hi] = axis.domain;
  const values = axis.kind === 'category' ? axis.categories.map((_, i) => i) : axis.kind === 'log' ? logTicks(Math.log10(lo), Math.log10(hi)) : niceTicks(lo, hi, 5);
  return values.filter((v) => v >= lo - 1e-12 && v <= hi + 1e-12).map((v) => ({ y: parallelY(axis, v), text: axisText(axis, v, metric) }));
}

/** The band a brush draws along its axis, kept inside the axis. */
export function brushBox(axis: Axis, brush: Brush | undefined): { y: number; h: number } | null {
  if (!brush) return null;
  const [y1, y2] = [parallelY(axis, brush.hi), parallelY(axis, brush.lo)];
  return { y: Math.max(PC_TOP, y1), h: Math.max(2, Math.min(PC_TOP + PC_HEIGHT, y2) - Math.max(PC_TOP, y1)) };
}

/** "Learning rate γ (log): 0.05 – 0.1" */
export function brushText(axes: readonly Axis[], b: Brush, metric: Metric): string {
  const axis = axes.find((a) => a.key === b.axis);
  return axis ? `${axis.label}: ${axisText(axis, b.lo, metric)} – ${axisText(axis, b.hi, metric)}` : '';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The parallel coordinates as a self-contained SVG file (xmlns, size, background, font sizes as
 * attributes), with a legend under the plot: the lines inside the brushes (and the brushes), the ones
 * outside them, and dashed for runs that did not finish.
 */
export function parallelSvg(rows: readonly AnalysisRow[], axes: readonly Axis[], brushes: readonly Brush[], metric: Metric): string {
  const theme = CHART_THEMES.light;
  const ink = theme.text ?? '#222';
  const lines = parallelLines(rows, axes, brushes);
  const kept = lines.filter((l) => l.kept);
  const used = brushes.filter((b) => axes.some((a) => a.key === b.axis));
  const legend: { text: string; stroke: string; dash?: string; faint?: boolean }[] = [
    { text: used.length ? `Inside the brushes (${kept.length} of ${lines.length}): ${used.map((b) => brushText(axes, b, metric)).join('; ')}` : `${rows.length} ${rows.some((r) => r.runId === null) ? 'configurations (seed mean)' : 'runs'}`, stroke: PALETTE[0] },
    ...(kept.length < lines.length ? [{ text: `Outside the brushes (${lines.length - kept.length})`, stroke: theme.muted, faint: true }] : []),
    ...(lines.some((l) => l.unfinished) ? [{ text: 'Dashed: did not finish (last value)', stroke: PALETTE[0], dash: '5 3' }] : []),
  ];
  const legendWidth = Math.max(0, ...legend.map((e) => e.text.length)) * 7 + 60;
  const width = Math.max(parallelWidth(axes.length), Math.ceil(legendWidth));
  const plotBottom = PC_TOP + PC_HEIGHT + PC_BOTTOM;
  const height = plotBottom + 12 + legend.length * 20;
  const shift = (width - parallelWidth(axes.length)) / 2;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13" fill="${ink}">`,
    `<rect width="${width}" height="${height}" fill="${theme.background}"/>`,
    `<g transform="translate(${shift} 0)">`,
    ...lines.filter((l) => !l.kept).map((l) => `<path class="pc-line dropped" d="${l.d}" fill="none" stroke="${theme.muted}" stroke-opacity="0.35" stroke-width="1"/>`),
    ...kept.map((l) => `<path class="pc-line kept" d="${l.d}" fill="none" stroke="${PALETTE[0]}" stroke-opacity="0.85" stroke-width="1.5"${l.unfinished ? ' stroke-dasharray="5 3"' : ''}><title>${esc(l.row.runId !== null ? `Run ${l.row.runId} (${l.row.status})` : `${l.row.n} finished runs`)}</title></path>`),
  ];
  axes.forEach((axis, i) => {
    const x = parallelX(axes.length, i);
    out.push(`<text x="${x}" y="${PC_TOP - 28}" text-anchor="middle" font-size="13" font-weight="bold">${esc(axis.label)}</text>`);
    out.push(`<line x1="${x}" x2="${x}" y1="${PC_TOP}" y2="${PC_TOP + PC_HEIGHT}" stroke="${theme.axis}" stroke-width="1.5"/>`);
    for (const t of parallelTicks(axis, metric)) {
      out.push(`<line x1="${x - 4}" x2="${x}" y1="${t.y}" y2="${t.y}" stroke="${theme.axis}"/>`);
      out.push(`<text x="${x - 7}" y="${t.y + 4}" text-anchor="end" font-size="11">${esc(t.text)}</text>`);
    }
    const box = brushBox(axis, used.find((b) => b.axis === axis.key));
    if (box) out.push(`<rect class="brush" x="${x - 9}" y="${box.y}" width="18" height="${box.h}" fill="${ACCENT}" fill-opacity="0.25" stroke="${ACCENT}"/>`);
  });
  out.push('</g>', '<g class="legend">');
  legend.forEach((e, k) => {
    const y = plotBottom + 20 * k + 14;
    out.push(`<path d="M16 ${y - 5}h24" stroke="${e.stroke}" stroke-width="${e.faint ? 1 : 2}"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`);
    out.push(`<text x="48" y="${y}">${esc(e.text)}</text>`);
  });
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}
