/**
 * Where the parts of a chart from lineChartSvg sit, read back from its markup: the figure's size,
 * the plot rectangle, the lowest title line, the axis labels and the legend's extent (text boxes
 * from their baselines: 13 px text rises about 13 px above it and falls 4 below).
 */
export interface SvgGeometry {
  width: number;
  height: number;
  plot: { x: number; y: number; width: number; height: number };
  titleBottom: number;
  /** Baseline of the lowest text outside the legend (the x-axis title). */
  axisBottom: number;
  legendTop: number;
  legendBottom: number;
  legendEntries: number;
}

const attr = (tag: string, name: string): number => Number(new RegExp(`\\s${name}="([-\\d.]+)"`).exec(tag)?.[1] ?? NaN);

export function svgGeometry(svg: string): SvgGeometry {
  const root = /<svg[^>]*>/.exec(svg)![0];
  const plotTag = /<rect class="plot"[^>]*>/.exec(svg)?.[0];
  if (!plotTag) throw new Error('the chart has no plot rectangle (rect.plot)');
  const plot = { x: attr(plotTag, 'x'), y: attr(plotTag, 'y'), width: attr(plotTag, 'width'), height: attr(plotTag, 'height') };
  const titles = [...svg.matchAll(/<text class="title"[^>]*>/g)].map((m) => attr(m[0], 'y'));
  const legendAt = svg.indexOf('<g class="legend">');
  const legend = legendAt < 0 ? '' : svg.slice(legendAt, svg.indexOf('</g>', legendAt));
  const rest = legendAt < 0 ? svg : svg.slice(0, legendAt);
  const legendTexts = [...legend.matchAll(/<text [^>]*>/g)].map((m) => attr(m[0], 'y'));
  const legendRects = [...legend.matchAll(/<rect [^>]*>/g)].map((m) => attr(m[0], 'y'));
  const texts = [...rest.matchAll(/<text [^>]*>/g)].map((m) => attr(m[0], 'y')).filter(Number.isFinite);
  return {
    width: attr(root, 'width'),
    height: attr(root, 'height'),
    plot,
    titleBottom: Math.max(...titles) + 4,
    axisBottom: Math.max(...texts) + 4,
    legendTop: legendTexts.length ? Math.min(...legendTexts.map((y) => y - 13), ...legendRects) : NaN,
    legendBottom: legendTexts.length ? Math.max(...legendTexts) + 4 : NaN,
    legendEntries: legendTexts.length,
  };
}
