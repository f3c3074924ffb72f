import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineChartSvg, logTicks, niceTicks, PALETTE } from '../../src-shared/svgChart';

const dir = mkdtempSync(join(tmpdir(), 'svg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SVG charts', () => {
  const svg = lineChartSvg({
    title: 'Test accuracy <mean ± std>',
    xLabel: 'epoch',
    yLabel: 'accuracy',
    series: [
      { label: 'optimizer="sgd"', color: '#1f77b4', points: [{ x: 1, y: 0.3 }, { x: 2, y: 0.4 }, { x: 3, y: NaN }], band: [{ x: 1, lo: 0.25, hi: 0.35 }, { x: 2, lo: 0.35, hi: 0.45 }] },
      { label: 'optimizer="adam"', color: '#d62728', points: [{ x: 1, y: 0.1 }, { x: 2, y: 0.1 }] },
    ],
  });

  it('is vector output: a path per curve and per band, no embedded bitmap', () => {
    expect(svg.match(/<path class="curve"/g)).toHaveLength(2);
    expect(svg.match(/<path class="band"/g)).toHaveLength(1);
    expect(svg).not.toMatch(/<image|data:image|base64/);
    expect(svg).toMatch(/<path class="band" d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+L[\d.]+ [\d.]+L[\d.]+ [\d.]+Z"/);
  });

  it('has a title, axis labels and a legend, with text escaped', () => {
    expect(svg).toContain('>Test accuracy &lt;mean ± std&gt;</text>');
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('>accuracy</text>');
    expect(svg).toContain('>optimizer=&quot;sgd&quot;</text>');
    expect(svg).toContain('>optimizer=&quot;adam&quot;</text>');
  });

  it('is well-formed XML (checked by an independent parser)', () => {
    const file = join(dir, 'chart.svg');
    writeFileSync(file, svg);
    const tag = execFileSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().tag)', file], { encoding: 'utf8' }).trim();
    expect(tag).toBe('{http://www.w3.org/2000/svg}svg');
  });

  it('picks nice ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.25, 0.47)).toEqual([0.25, 0.3, 0.35, 0.4, 0.45]);
  });

  it('puts long legend labels in fewer columns so they do not overlap', () => {
    const legendColumns = (labels: string[]): number => {
      const svg = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: labels.map((label, i) => ({ label, color: PALETTE[i], points: [{ x: 1, y: 1 }] })) });
      return new Set([...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="18"/g)].map((m) => m[1])).size;
    };
    expect(legendColumns(['l2=0.01 (n=10)', 'l2=0.001 (n=10)', 'l2=0.0001 (n=10)', 'l2=0 (n=10)'])).toBe(3);
    const long = [0.001, 0.01, 0.1, 0.2].flatMap((g) => [`optimizer="sgd" learningRate=${g} (n=10)`, `optimizer="adam" learningRate=${g} (n=10)`]);
    expect(legendColumns(long)).toBe(2);
    expect(legendColumns(['a label far too long to share a row with any other label at all, whatever the chart width is (n=10)', 'b'])).toBe(1);
  });

  it('draws a series whose colour repeats an earlier one dashed, curve and legend alike', () => {
    const series = Array.from({ length: 12 }, (_, i) => ({ label: `g${i}`, color: PALETTE[i % PALETTE.length], points: [{ x: 1, y: i }, { x: 2, y: i + 1 }] }));
    const svg = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series });
    const curves = [...svg.matchAll(/<path class="curve"[^>]*>/g)].map((m) => m[0]);
    expect(curves).toHaveLength(12);
    expect(curves.map((c) => c.includes('stroke-dasharray'))).toEqual([...Array(10).fill(false), true, true]);
    expect(svg.match(/<path class="swatch"[^>]*stroke-dasharray/g)).toHaveLength(2);
  });

  it('labels a log axis with round values however short its span', () => {
    const log = Math.log10;
    // several decades: powers of ten
    expect(logTicks(log(0.0008), log(0.6))).toEqual([0.001, 0.01, 0.1]);
    // one decade (γ 0.02 to 0.2 with the axis padding): 1, 2 and 5 × 10^k
    expect(logTicks(log(0.02) - 0.1, log(0.2) + 0.1)).toEqual([0.02, 0.05, 0.1, 0.2]);
    // under a factor of two (a loss from 1.4 to 2.3): linear round values, all inside
    const short = logTicks(log(1.4), log(2.3));
    expect(short.length).toBeGreaterThanOrEqual(2);
    for (const v of short) expect(v >= 1.4 && v <= 2.3 && Number(v.toFixed(1)) === v).toBe(true);
    const chart = lineChartSvg({ title: 't', xLabel: 'γ', yLabel: 'acc', logX: true, series: [{ label: 's', color: '#000', points: [{ x: 0.02, y: 0.1 }, { x: 0.2, y: 0.17 }] }] });
    const labels = [...chart.matchAll(/text-anchor="middle">([\d.]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['0.02', '0.05', '0.1', '0.2']);
  });
});

describe('summary charts', () => {
  it('draws error bars as vector paths on a log x axis, one series per value of another field', async () => {
    const { summaryChart } = await import('../../src-shared/groupChart');
    const { parseTrainConfig } = await import('../../src-shared/config');
    const mk = (optimizer: 'sgd' | 'adam', lr: number, accs: number[]) => ({
      key: `${optimizer}${lr}`, label: '', config: parseTrainConfig({ optimizer, learningRate: lr }), excluded: [], series: [], confusion: null,
      included: accs.map((a, i) => ({ id: i, experimentId: 1, status: 'finished' as const, configHash: `${optimizer}${lr}`, final: a, best: a, bestTestAccuracy: a })),
    });
    const groups = [mk('sgd', 0.01, [0.3, 0.34]), mk('sgd', 0.1, [0.45, 0.47]), mk('adam', 0.01, [0.2, 0.22]), mk('adam', 0.1, [0.1, 0.1])];
    const spec = summaryChart('Fig. 2', groups, 'testAccuracy', 'final', 'learningRate', 'optimizer', 'std', true);
    expect(spec.series.map((s) => s.label)).toEqual(['SGD', 'Adam']);
    expect(spec.series[0].points).toEqual([{ x: 0.01, y: 0.32 }, { x: 0.1, y: 0.46 }].map((p) => ({ x: p.x, y: expect.closeTo(p.y, 12) })));
    expect(spec.series[0].errors![0].hi - spec.series[0].errors![0].lo).toBeCloseTo(2 * Math.sqrt(0.0008), 12);
    const svg = lineChartSvg(spec);
    expect(svg.match(/<path class="error-bar"/g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('>0.01</text>');
    expect(svg).toContain('>Learning rate γ</text>');
    expect(svg).toContain('>final test accuracy (%)</text>');
  });
});
