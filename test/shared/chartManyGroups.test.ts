import { describe, expect, it } from 'vitest';
import type { CompareGroup } from '../../src-shared/compareData';
import { parseTrainConfig } from '../../src-shared/config';
import { groupChart } from '../../src-shared/groupChart';
import { MUTED, seriesStyles } from '../../src-shared/seriesStyle';
import { summarize } from '../../src-shared/stats';
import { lineChartSvg, MIN_PLOT_HEIGHT } from '../../src-shared/svgChart';
import { svgGeometry } from '../helpers/svgGeometry';

/** n groups of 3 seeds over 20 epochs; group g ends highest when g is largest; labels as long as two swept fields make them. */
function groups(n: number): CompareGroup[] {
  return Array.from({ length: n }, (_, g) => {
    const lr = (g + 1) / 1000;
    const finals = [0, 1, 2].map((s) => 0.2 + (0.3 * g) / n + 0.001 * s);
    return {
      key: `h${g}`, label: `optimizer="${g % 2 ? 'adam' : 'sgd'}" learningRate=${lr}`, config: parseTrainConfig({ learningRate: lr }), excluded: [], confusion: null,
      included: finals.map((f, s) => ({ id: g * 3 + s + 1, experimentId: 1, status: 'finished' as const, configHash: `h${g}`, final: f, best: f, bestTestAccuracy: f })),
      series: Array.from({ length: 20 }, (__, e) => ({ group: '', epoch: e + 1, ...summarize(finals.map((f) => f * (0.5 + e / 38))) })),
    };
  });
}

describe('charts of many groups', () => {
  for (const n of [12, 60, 200]) {
    it(`keeps the plot at ${n} groups: the legend below it grows the figure, never over the title or the plot`, () => {
      const svg = lineChartSvg(groupChart('A sweep with a long name: lr × optimizer × 3 seeds', groups(n), 'testAccuracy', 'std'));
      const g = svgGeometry(svg);
      expect(g.plot.height).toBeGreaterThanOrEqual(MIN_PLOT_HEIGHT);
      expect(g.titleBottom).toBeLessThan(g.plot.y);
      expect(g.axisBottom).toBeGreaterThan(g.plot.y + g.plot.height);
      expect(g.legendTop).toBeGreaterThan(g.axisBottom);
      expect(g.legendBottom).toBeLessThanOrEqual(g.height);
      expect(g.plot.x + g.plot.width).toBeLessThanOrEqual(g.width);
      // every series is drawn; beyond 30 the legend names the 10 highlighted ones and counts the grey rest
      expect(svg.match(/<g class="series/g)).toHaveLength(n);
      expect(g.legendEntries).toBe(n > 30 ? 11 : n);
    });
  }

  it('grows the figure rather than shrinking the plot when every one of 200 groups is in the legend', () => {
    const svg = lineChartSvg(groupChart('t', groups(200), 'testAccuracy', 'std', { highlight: 0 }));
    const g = svgGeometry(svg);
    expect(g.legendEntries).toBe(200);
    expect(g.plot.height).toBeGreaterThanOrEqual(MIN_PLOT_HEIGHT);
    expect(g.legendTop).toBeGreaterThan(g.axisBottom);
    expect(g.height).toBeGreaterThan(1000);
    expect(g.legendBottom).toBeLessThanOrEqual(g.height);
  });

  it('a legend label wider than the figure widens it', () => {
    const long = groups(2).map((g) => ({ ...g, label: `${g.label} ${'weightDecay=0.0001 '.repeat(8)}` }));
    const g = svgGeometry(lineChartSvg(groupChart('t', long, 'testAccuracy', 'std')));
    expect(g.width).toBeGreaterThan(800);
  });

  it('colours 10 groups, adds line styles up to 30, then highlights the top 10 by final mean and greys the rest', () => {
    const at = (n: number) => seriesStyles(Array.from({ length: n }, (_, i) => i / n), true);
    expect(new Set(at(10).map((s) => s.color)).size).toBe(10);
    expect(at(10).every((s) => s.dash === '' && !s.muted)).toBe(true);
    const thirty = at(30);
    expect(new Set(thirty.map((s) => `${s.color} ${s.dash}`)).size).toBe(30);
    expect(thirty.some((s) => s.muted)).toBe(false);
    const sixty = at(60);
    expect(sixty.map((s, i) => (s.muted ? -1 : i)).filter((i) => i >= 0)).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    expect(new Set(sixty.filter((s) => !s.muted).map((s) => s.color)).size).toBe(10);
    expect(sixty[59].rank).toBe(1);
    // for a loss the lowest final values are the best; a group without a final value is never highlighted
    const loss = seriesStyles([0.9, NaN, 0.1, 0.5], false, 2);
    expect(loss.map((s) => s.muted)).toEqual([true, true, false, false]);
    expect(loss.map((s) => s.rank)).toEqual([3, null, 1, 2]);
    expect(seriesStyles([1, 2, 3], true, 0).some((s) => s.muted)).toBe(false);
  });

  it('draws grey series thin and beneath, and the pointed-at one on top in its colour while the others fade', () => {
    const spec = groupChart('t', groups(40), 'testAccuracy', 'std', { focus: 'h3' });
    const svg = lineChartSvg(spec);
    const tags = [...svg.matchAll(/<g class="series[^"]*"[^>]*>/g)].map((m) => m[0]);
    expect(tags.at(-1)).toContain('data-key="h3"');
    expect(tags.at(-1)).toContain('class="series focus"');
    expect(tags.at(-1)).not.toContain('opacity');
    expect(tags.slice(0, 29).every((t) => t.includes('muted'))).toBe(true);
    expect(tags.slice(0, -1).every((t) => t.includes('opacity="0.25"'))).toBe(true);
    const focused = svg.slice(svg.indexOf('data-key="h3"'));
    expect(/<path class="curve"[^>]*stroke="([^"]+)"/.exec(focused)![1]).not.toBe(MUTED);
    expect(/<path class="curve"[^>]*stroke-width="([^"]+)"/.exec(focused)![1]).toBe('3');
  });

  it('leaves hidden groups out of the plot and the legend, keeping every other group its colour', () => {
    const all = groupChart('t', groups(12), 'testAccuracy', 'std');
    const some = groupChart('t', groups(12), 'testAccuracy', 'std', { hidden: new Set(['h0', 'h5']) });
    expect(some.series.map((s) => s.key)).toEqual(all.series.map((s) => s.key).filter((k) => k !== 'h0' && k !== 'h5'));
    expect(some.series.map((s) => s.color)).toEqual(all.series.filter((s) => s.key !== 'h0' && s.key !== 'h5').map((s) => s.color));
  });
});
