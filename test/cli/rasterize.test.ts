// The PNG export's rasteriser (resvg with the embedded Arimo font), checked on the pixels it writes,
// decoded by an independent reader: size × scale, shapes where the SVG puts them, text drawn in a face
// with Arial's metrics, a many-group chart that is not blank, and clear refusals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fontCoverage } from '../../src-main/cli/fontCoverage';
import { svgToPng } from '../../src-main/cli/rasterize';
import { seriesStyles } from '../../src-shared/seriesStyle';
import { lineChartSvg } from '../../src-shared/svgChart';
import { darkPixels, decodePng, inkColumns } from '../helpers/pngPixels';

const svgOf = (width: number, height: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13"><rect width="${width}" height="${height}" fill="#ffffff"/>${body}</svg>`;

/** A chart of `count` groups of 3 seeds over 20 epochs, styled as the Compare view styles them. */
function manyGroupSvg(count: number): string {
  const curve = (i: number) => Array.from({ length: 20 }, (_, e) => ({ x: e + 1, y: 0.1 + 0.3 * (1 - Math.exp(-(e + 1) / 5)) + i / 400 }));
  const styles = seriesStyles(Array.from({ length: count }, (_, i) => curve(i)[19].y), true);
  const series = styles.map((style, i) => ({
    key: `g${i}`,
    label: `γ ${(0.001 * (i + 1)).toPrecision(2)} (n=3)`,
    ...style,
    points: curve(i),
    band: curve(i).map((p) => ({ x: p.x, lo: p.y - 0.01, hi: p.y + 0.01 })),
  }));
  return lineChartSvg({ title: 'Sixty learning rates: test accuracy, mean ± std', xLabel: 'epoch', yLabel: 'test accuracy', series });
}

describe('svgToPng', () => {
  it('writes the SVG at scale× its size, shapes and colours where the SVG has them', async () => {
    const svg = svgOf(200, 100, '<rect x="20" y="10" width="40" height="30" fill="#ff0000"/><path d="M100 80H190" stroke="#1f77b4" stroke-width="4"/>');
    const png = await svgToPng(svg, 2);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([400, 200]);
    expect(img.at(80, 50)).toEqual([255, 0, 0, 255]); // inside the red rect (40..120 × 20..80 at 2×)
    expect(img.at(10, 10)).toEqual([255, 255, 255, 255]);
    expect(img.at(130, 50)).toEqual([255, 255, 255, 255]);
    expect(img.at(300, 160)).toEqual([0x1f, 0x77, 0xb4, 255]); // on the 8-px-wide line at y 160
    expect(decodePng(await svgToPng(svg, 1))).toMatchObject({ width: 200, height: 100 });
    expect(decodePng(await svgToPng(svg, 3))).toMatchObject({ width: 600, height: 300 });
  });

  it('draws text in the embedded Arimo: Arial metrics on any OS, the same pixels every time', async () => {
    const svg = svgOf(400, 60, '<text x="10" y="45" font-size="40">Hello, workbench</text>');
    const png = await svgToPng(svg, 1);
    const img = decodePng(png);
    expect(darkPixels(img)).toBeGreaterThan(1500);
    // Arial's advance widths put "Hello, workbench" at 306.8 px at 40 px, less the side bearings of H and h;
    // DejaVu Sans (Linux's usual fallback) would be 346 px, and no font at all draws nothing
    const [first, last] = inkColumns(img, 0, 60)!;
    expect(last - first).toBeGreaterThan(292);
    expect(last - first).toBeLessThan(310);
    expect((await svgToPng(svg, 1)).equals(png)).toBe(true);
    // bold is its own face: wider strokes, more ink
    const bold = decodePng(await svgToPng(svg.replace('font-size="40"', 'font-size="40" font-weight="bold"'), 1));
    expect(darkPixels(bold)).toBeGreaterThan(darkPixels(img) * 1.3);
  });

  it('rasterises a 60-group chart at 2× its SVG size, with its title, curves and legend', async () => {
    const svg = manyGroupSvg(60);
    const [width, height] = [/width="(\d+)"/, /height="(\d+)"/].map((r) => Number(r.exec(svg)![1]));
    const img = decodePng(await svgToPng(svg, 2));
    expect([img.width, img.height]).toEqual([2 * width, 2 * height]);
    expect(darkPixels(img, 0, 0, img.width, 2 * 40)).toBeGreaterThan(500); // the title
    const colours = new Set<string>();
    for (let y = 0; y < img.height; y += 3) for (let x = 0; x < img.width; x += 3) colours.add(img.at(x, y).join());
    expect(colours.size).toBeGreaterThan(50); // the palette, the greys, anti-aliased text and bands
    const legend = darkPixels(img, 0, img.height - 200, img.width, img.height);
    expect(legend).toBeGreaterThan(1000);
  });

  it('refuses what it cannot draw with the reason', async () => {
    await expect(svgToPng('not an svg at all')).rejects.toThrow(/not an SVG \(it does not start with an <svg> element/);
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect')).rejects.toThrow(/the chart could not be rasterised: /);
    await expect(svgToPng(svgOf(20000, 20000, ''), 2)).rejects.toThrow(/would be a 40000×40000 PNG, over the 32,768-pixel side .* export svg instead/);
    await expect(svgToPng(svgOf(10, 10, ''), 0)).rejects.toThrow(/scale must be a number above 0/);
    await expect(svgToPng(svgOf(10, 10, ''), Number.NaN)).rejects.toThrow(/scale must be a number above 0/);
  });
});

describe('fontCoverage of the embedded font', () => {
  const covers = fontCoverage(readFileSync(join(import.meta.dirname, '../../resources/fonts/Arimo-Regular.ttf')))!;

  it('has every character the charts write (Latin, γ λ β, ±, ·, –, ‖, ², ≤) and not CJK or ✓', () => {
    for (const ch of 'Aa0%γλβ±·–‖²≤≥…×→') expect(covers(ch.codePointAt(0)!), ch).toBe(true);
    for (const ch of '中✓😀') expect(covers(ch.codePointAt(0)!), ch).toBe(false);
  });

  it('is null for a file without a cmap table', () => {
    const font = Buffer.alloc(28);
    font.writeUInt16BE(1, 4);
    font.write('glyf', 12, 'latin1');
    expect(fontCoverage(font)).toBeNull();
  });
});
