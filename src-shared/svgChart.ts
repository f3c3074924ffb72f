/**
 * A line chart as true vector SVG (paths and text, no bitmap): mean curves, shaded spread bands,
 * title, axis labels with ticks, and a legend. Pure, so the CLI, tests and the app render identically.
 * However many series, the plot keeps MIN_PLOT_HEIGHT: a long legend makes the figure taller.
 */
import { MUTED as LIGHT_MUTED } from './seriesStyle';

export interface ChartSeries {
  label: string;
  color: string;
  points: { x: number; y: number }[];
  /** Optional spread band around the curve (e.g. mean ± std). */
  band?: { x: number; lo: number; hi: number }[];
  /** Optional error bars (vertical, with caps) at the points. */
  errors?: { x: number; lo: number; hi: number }[];
  /** Draw markers at the points (summary plots). */
  markers?: boolean;
  /** Line style (SVG stroke-dasharray, e.g. '7 4'); by default a colour seen before is drawn dashed. */
  dash?: string;
  /** Not highlighted: thin and grey beneath the others, no band, one shared legend entry. */
  muted?: boolean;
  /** Names the series in the SVG (data-key), for the app to find it. */
  key?: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  logY?: boolean;
  logX?: boolean;
  /** The y values are fractions shown as percentages (accuracies): ticks read 35, not 0.35; the label names the unit. */
  yPercent?: boolean;
  /** 'light' (default, what exports write) or 'dark', to sit in the app's dark theme. */
  theme?: 'light' | 'dark';
  /** The smallest figure; it grows (never the plot shrinks) to hold a long legend. */
  width?: number;
  height?: number;
  /** 'below' (default): a legend under the plot; 'none': the app shows its own beside the chart. */
  legend?: 'below' | 'none';
  /** Index of a series pointed at (in the app's legend): drawn on top and thick, the others faint. */
  focus?: number | null;
  /** Show only this x span (a zoom to an epoch range): points outside it are left out, the y axis fits what is left. Linear x only. */
  xRange?: readonly [number, number] | null;
}

export { PALETTE } from './seriesStyle';

/** Background, text, grid and axis colours of each theme (the dark one is the app's dark panel). */
export const CHART_THEMES = {
  light: { background: '#ffffff', text: null, grid: '#e5e5e5', axis: '#333', muted: LIGHT_MUTED },
  dark: { background: '#1e2228', text: '#e6e9ed', grid: '#333a43', axis: '#9aa4b0', muted: '#5c636e' },
} as const;

/** The plot keeps at least this height (px) however many series and legend rows there are. */
export const MIN_PLOT_HEIGHT = 280;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const fmt = (v: number): string => Number(v.toPrecision(4)).toString();
/** A generous average glyph width of the 13 px legend text, to keep long labels from overlapping. */
const LEGEND_CHAR_PX = 7.2;

/** "Nice" tick values (1, 2 or 5 × 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Tick values for a log axis spanning log10 values [lo, hi]: powers of ten when the span holds two or
 * more, else 1, 2 and 5 × 10^k (γ from 0.02 to 0.2 reads 0.02, 0.05, 0.1, 0.2), else linear nice
 * ticks (a loss between 1.4 and 2.3), so a short span never shows only its unrounded ends.
 */
export function logTicks(lo: number, hi: number): number[] {
  const inside = (v: number): boolean => v > 0 && Math.log10(v) >= lo - 1e-9 && Math.log10(v) <= hi + 1e-9;
  const decades: number[] = [];
  for (let e = Math.ceil(lo - 1e-9); e <= hi + 1e-9; e++) decades.push(Number((10 ** e).toPrecision(12)));
  if (decades.length >= 2) return decades.length > 8 ? decades.filter((_, i) => i % Math.ceil(decades.length / 8) === 0) : decades;
  const steps: number[] = [];
  for (let e = Math.floor(lo) - 1; e <= Math.ceil(hi); e++) for (const m of [1, 2, 5]) steps.push(Number((m * 10 ** e).toPrecision(12)));
  const between = steps.filter(inside);
  if (between.length >= 2) return between;
  return niceTicks(10 ** lo, 10 ** hi, 4).filter(inside);
}

/** The spec with its series cut to spec.xRange (when zoomed on a linear x axis). */
function clipX(spec: ChartSpec): ChartSpec {
  if (!spec.xRange || spec.logX) return spec;
  const [a, b] = spec.xRange;
  const inside = <T extends { x: number }>(list: T[] | undefined): T[] | undefined => list?.filter((p) => p.x >= a && p.x <= b);
  return { ...spec, series: spec.series.map((s) => ({ ...s, points: inside(s.points)!, band: inside(s.band), errors: inside(s.errors) })) };
}

/**
 * The x axis's span, in axis units (log10 of x on a log axis): the zoom range if any, else the data's.
 * Exported so the app can turn a pointer's position over the plot into an x value (an epoch).
 */
export function xDomain(spec: ChartSpec): [number, number] {
  if (spec.xRange && !spec.logX) {
    const [a, b] = spec.xRange;
    return b > a ? [a, b] : [a - 1, b + 1];
  }
  const okX = (v: number): boolean => Number.isFinite(v) && (!spec.logX || v > 0);
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x)).filter(okX).map((v) => (spec.logX ? Math.log10(v) : v));
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (!spec.logX) {
    const padX = spec.series.some((s) => s.errors) ? (x1 - x0) * 0.05 : 0;
    return [x0 - padX, x1 + padX];
  }
  return [x0 - 0.1, x1 + 0.1];
}

export function lineChartSvg(input: ChartSpec): string {
  const spec = clipX(input);
  const theme = CHART_THEMES[spec.theme ?? 'light'];
  const greyInk = theme.muted;
  const yText = (v: number): string => fmt(spec.yPercent ? v * 100 : v);
  // a long title is split at its first ': ' onto two lines so it fits the width
  const cut = spec.title.indexOf(': ');
  const titleLines = spec.title.length > 60 && cut > 0 ? [spec.title.slice(0, cut + 1), spec.title.slice(cut + 2)] : [spec.title];
  const left = 72;
  const right = 24;
  // legend: every highlighted series, then one entry for the muted ones; in up to three columns,
  // fewer when the labels are too long to sit side by side; a label wider than the figure widens it
  const muted = spec.series.filter((x) => x.muted);
  const entries = spec.legend === 'none' ? [] : [...spec.series.map((x, i) => ({ x, i })).filter((e) => !e.x.muted).map((e) => ({ label: e.x.label, i: e.i })), ...(muted.length ? [{ label: `${muted.length} other group${muted.length === 1 ? '' : 's'} (grey)`, i: -1 }] : [])];
  const widest = Math.max(0, ...entries.map((e) => e.label.length)) * LEGEND_CHAR_PX + 36;
  const width = Math.max(spec.width ?? 800, Math.ceil(left + right + widest));
  const columns = Math.max(1, Math.min(3, Math.floor((width - left - right) / widest)));
  const rows = Math.ceil(entries.length / columns);
  const legendHeight = rows ? 20 * rows + 8 : 0;
  const top = 28 + 20 * titleLines.length;
  const axisBelow = 56;
  const ph = Math.max(MIN_PLOT_HEIGHT, (spec.height ?? 500) - top - axisBelow - legendHeight);
  const height = top + ph + axisBelow + legendHeight;
  const m = { left, right, top };
  const pw = width - m.left - m.right;
  const finite = (v: number): boolean => Number.isFinite(v) && (!spec.logY || v > 0);
  const okX = (v: number): boolean => Number.isFinite(v) && (!spec.logX || v > 0);
  const tx = (v: number): number => (spec.logX ? Math.log10(v) : v);
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x)).filter(okX).map(tx);
  const ys = spec.series.flatMap((s) => [...s.points.map((p) => p.y), ...[...(s.band ?? []), ...(s.errors ?? [])].flatMap((b) => [b.lo, b.hi])]).filter(finite);
  const [x0, x1] = xDomain(spec);
  const integerX = !spec.logX && xs.every(Number.isInteger);
  const ty = (v: number): number => (spec.logY ? Math.log10(v) : v);
  let [y0, y1] = ys.length ? [Math.min(...ys.map(ty)), Math.max(...ys.map(ty))] : [0, 1];
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const sx = (x: number): number => m.left + ((tx(x) - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number): number => m.top + ph - ((ty(y) - y0) / (y1 - y0)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13"${theme.text ? ` fill="${theme.text}"` : ''}>`,
    `<rect width="${width}" height="${height}" fill="${theme.background}"/>`,
    ...titleLines.map((line, i) => `<text class="title" x="${width / 2}" y="${28 + 20 * i}" text-anchor="middle" font-size="${i ? 15 : 17}" font-weight="bold">${esc(line)}</text>`),
    `<rect class="plot" x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none"/>`,
  ];
  const yTicks = spec.logY ? logTicks(y0, y1) : niceTicks(y0, y1);
  for (const v of yTicks) {
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${sy(v).toFixed(2)}" y2="${sy(v).toFixed(2)}" stroke="${theme.grid}"/>`);
    out.push(`<text x="${m.left - 8}" y="${(sy(v) + 4).toFixed(2)}" text-anchor="end">${yText(v)}</text>`);
  }
  // epochs are whole numbers: no ticks between them
  let xTicks = spec.logX ? logTicks(x0, x1) : niceTicks(x0, x1).filter((v) => v >= x0 && v <= x1 && (!integerX || Number.isInteger(v)));
  if (xTicks.length < 2) xTicks = spec.logX ? [10 ** x0, 10 ** x1] : [x0, x1];
  for (const v of xTicks) {
    out.push(`<line x1="${sx(v).toFixed(2)}" x2="${sx(v).toFixed(2)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="${theme.axis}"/>`);
    out.push(`<text x="${sx(v).toFixed(2)}" y="${m.top + ph + 20}" text-anchor="middle">${fmt(v)}</text>`);
  }
  out.push(`<path d="M${m.left} ${m.top}V${m.top + ph}H${m.left + pw}" fill="none" stroke="${theme.axis}"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph + 44}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  // past the palette colours repeat: without a style of its own a repeated colour is drawn dashed
  const dashOf = spec.series.map((s, i) => s.dash ?? (spec.series.findIndex((t) => t.color === s.color) < i ? '7 4' : ''));
  const dash = (i: number): string => (dashOf[i] ? ` stroke-dasharray="${dashOf[i]}"` : '');
  const focus = spec.focus ?? null;
  // muted series beneath, the pointed-at one on top
  const order = spec.series.map((_, i) => i).sort((a, b) => Number(a === focus) - Number(b === focus) || Number(!!spec.series[b].muted) - Number(!!spec.series[a].muted) || a - b);
  for (const si of order) {
    const s = spec.series[si];
    const grey = s.muted && si !== focus;
    const color = grey ? greyInk : s.color;
    const width = si === focus ? 3 : grey ? 1 : 2;
    const faint = focus !== null && si !== focus ? ' opacity="0.25"' : '';
    out.push(`<g class="series${grey ? ' muted' : ''}${si === focus ? ' focus' : ''}" data-index="${si}"${s.key === undefined ? '' : ` data-key="${esc(s.key)}"`}${faint}><title>${esc(s.label)}</title>`);
    const band = grey ? [] : (s.band ?? []).filter((b) => finite(b.lo) && finite(b.hi));
    if (band.length > 1) {
      const upper = band.map((b, i) => `${i ? 'L' : 'M'}${sx(b.x).toFixed(2)} ${sy(b.hi).toFixed(2)}`).join('');
      const lower = [...band].reverse().map((b) => `L${sx(b.x).toFixed(2)} ${sy(b.lo).toFixed(2)}`).join('');
      out.push(`<path class="band" d="${upper}${lower}Z" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    for (const e of (s.errors ?? []).filter((b) => finite(b.lo) && finite(b.hi) && okX(b.x))) {
      const x = sx(e.x).toFixed(2);
      const [lo, hi] = [sy(e.lo).toFixed(2), sy(e.hi).toFixed(2)];
      out.push(`<path class="error-bar" d="M${x} ${lo}V${hi}M${Number(x) - 5} ${lo}h10M${Number(x) - 5} ${hi}h10" stroke="${color}" stroke-width="1.5" fill="none"/>`);
    }
    const pts = s.points.filter((p) => finite(p.y) && okX(p.x));
    if (pts.length) {
      out.push(`<path class="curve" d="${pts.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(2)} ${sy(p.y).toFixed(2)}`).join('')}" fill="none" stroke="${color}" stroke-width="${width}"${dash(si)}/>`);
    }
    if (s.markers) for (const p of pts) out.push(`<circle cx="${sx(p.x).toFixed(2)}" cy="${sy(p.y).toFixed(2)}" r="3.5" fill="${color}"/>`);
    out.push('</g>');
  }
  const legendTop = m.top + ph + axisBelow;
  if (entries.length) out.push(`<g class="legend">`);
  entries.forEach((e, k) => {
    const lx = m.left + (k % columns) * (pw / columns);
    const ly = legendTop + 14 + 20 * Math.floor(k / columns);
    const color = e.i < 0 ? greyInk : spec.series[e.i].color;
    if (e.i < 0) out.push(`<path class="swatch" d="M${lx} ${ly - 5}h18" stroke="${greyInk}" stroke-width="1.5"/>`);
    else if (dashOf[e.i]) out.push(`<path class="swatch" d="M${lx} ${ly - 5}h18" stroke="${color}" stroke-width="3"${dash(e.i)}/>`);
    else out.push(`<rect x="${lx}" y="${ly - 10}" width="18" height="10" fill="${color}"/>`);
    out.push(`<text x="${lx + 24}" y="${ly}">${esc(e.label)}</text>`);
  });
  if (entries.length) out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
