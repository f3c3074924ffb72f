/**
 * The hyperparameter scatter as a standalone SVG file, from the geometry the app already laid out
 * (ticks, points, colours), so the file is the chart on screen: light theme for papers and slides,
 * font sizes as attributes (the app's CSS does not travel) and the colour legend drawn beside the plot.
 */
import { CHART_THEMES } from './svgChart';

export interface ScatterFigure {
  width: number;
  height: number;
  margin: { left: number; right: number; top: number; bottom: number };
  xLabel: string;
  yLabel: string;
  /** Tick positions (px in the figure) and texts. */
  xTicks: { at: number; text: string }[];
  yTicks: { at: number; text: string }[];
  points: { cx: number; cy: number; fill: string; title: string }[];
  /** The colour key ("Colour: Batch size" and its values), null when the points share one colour. */
  legend: { title: string; entries: { text: string; color: string }[] } | null;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A generous average glyph width of 12 px text, to size the legend column. */
const CHAR_PX = 7;

export function scatterSvg(f: ScatterFigure): string {
  const theme = CHART_THEMES.light;
  const ink = theme.text ?? '#222';
  const { width: W, height: H, margin: M } = f;
  const entries = f.legend?.entries ?? [];
  const legendWidth = f.legend ? Math.ceil(Math.max(f.legend.title.length, ...entries.map((e) => e.text.length + 3)) * CHAR_PX) + 24 : 0;
  const width = W + legendWidth;
  const height = Math.max(H, M.top + 24 + 18 * entries.length);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13" fill="${ink}">`,
    `<rect width="${width}" height="${height}" fill="${theme.background}"/>`,
  ];
  for (const t of f.yTicks) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${t.at}" y2="${t.at}" stroke="${theme.grid}"/>`);
    out.push(`<text x="${M.left - 6}" y="${t.at + 4}" text-anchor="end" font-size="11">${esc(t.text)}</text>`);
  }
  for (const t of f.xTicks) {
    out.push(`<line x1="${t.at}" x2="${t.at}" y1="${M.top}" y2="${H - M.bottom}" stroke="${theme.grid}"/>`);
    out.push(`<text x="${t.at}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${esc(t.text)}</text>`);
  }
  out.push(`<text x="${(W + M.left) / 2}" y="${H - 8}" text-anchor="middle" font-size="13">${esc(f.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${(H - M.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(f.yLabel)}</text>`);
  for (const p of f.points) out.push(`<circle class="point" cx="${p.cx}" cy="${p.cy}" r="4.5" fill="${p.fill}" fill-opacity="0.85"><title>${esc(p.title)}</title></circle>`);
  if (f.legend) {
    const x = W + 8;
    out.push(`<g class="legend"><text x="${x}" y="${M.top + 12}" font-size="12" font-weight="bold">${esc(f.legend.title)}</text>`);
    entries.forEach((e, i) => {
      const y = M.top + 32 + 18 * i;
      out.push(`<circle cx="${x + 5}" cy="${y - 4}" r="5" fill="${e.color}"/><text x="${x + 16}" y="${y}" font-size="12">${esc(e.text)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
