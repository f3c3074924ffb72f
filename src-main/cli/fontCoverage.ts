/**
 * The code points a TrueType/OpenType font has glyphs for, read from its `cmap` table (format 12,
 * the full Unicode table, or else format 4, the BMP one): lets the PNG export tell when a chart's
 * text needs a glyph its embedded font lacks (a CJK experiment name, an emoji) before it renders.
 * Returns null when the font has neither table.
 */
export function fontCoverage(font: Uint8Array): ((codePoint: number) => boolean) | null {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = view.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const at = 12 + 16 * i;
    if (String.fromCharCode(...font.subarray(at, at + 4)) === 'cmap') cmap = view.getUint32(at + 8);
  }
  if (cmap < 0) return null;
  const subtables = new Map<string, number>();
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const at = cmap + 4 + 8 * i;
    subtables.set(`${view.getUint16(at)},${view.getUint16(at + 2)}`, cmap + view.getUint32(at + 4));
  }
  const full = subtables.get('3,10') ?? subtables.get('0,4');
  if (full !== undefined && view.getUint16(full) === 12) {
    const ranges: [number, number][] = [];
    for (let g = 0, n = view.getUint32(full + 12); g < n; g++) {
      const at = full + 16 + 12 * g;
      ranges.push([view.getUint32(at), view.getUint32(at + 4)]);
    }
    return (c) => ranges.some(([lo, hi]) => c >= lo && c <= hi);
  }
  const bmp = subtables.get('3,1') ?? subtables.get('0,3');
  if (bmp === undefined || view.getUint16(bmp) !== 4) return null;
  const covered = new Set<number>();
  const segments = view.getUint16(bmp + 6) / 2;
  const ends = bmp + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const offsets = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const [start, end] = [view.getUint16(starts + 2 * s), view.getUint16(ends + 2 * s)];
    const [delta, offset] = [view.getUint16(deltas + 2 * s), view.getUint16(offsets + 2 * s)];
    for (let c = start; c <= end && c !== 0xffff; c++) {
      const glyph = offset === 0 ? c + delta : view.getUint16(offsets + 2 * s + offset + 2 * (c - start));
      if ((offset === 0 ? glyph : glyph && glyph + delta) & 0xffff) covered.add(c);
    }
  }
  return (c) => covered.has(c);
}
