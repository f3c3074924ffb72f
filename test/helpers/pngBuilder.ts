import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src-main/data/png';

/** A PNG chunk with its length and CRC (`crc` overrides the CRC, for damaged files). */
export function pngChunk(type: string, data: Uint8Array, crc?: number): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc ?? crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export interface PngSpec {
  width: number;
  height: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colour: number;
  depth: number;
  /** Packed samples of each row, without filter bytes (height × stride). */
  rows: Uint8Array;
  /** Filter type per row (0–4), cycled; default 0. */
  filters?: number[];
  palette?: Uint8Array;
  interlace?: number;
  /** Extra chunks after IHDR (e.g. an ancillary tEXt). */
  extra?: Buffer[];
  /** Split the compressed data into this many IDAT chunks. */
  idatChunks?: number;
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/**
 * A PNG built by hand from packed rows, filtering each row with the given filter type as an encoder
 * would (the decoder must undo it), so tests can cover what the app's own encoder never writes.
 */
export function buildPng(s: PngSpec): Buffer {
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[s.colour] ?? 1;
  const stride = Math.ceil((s.width * channels * s.depth) / 8);
  const bpp = Math.max(1, (channels * s.depth) >> 3);
  const raw = Buffer.alloc(s.height * (stride + 1));
  for (let y = 0; y < s.height; y++) {
    const f = s.filters ? s.filters[y % s.filters.length] : 0;
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const x = s.rows[y * stride + i];
      const a = i >= bpp ? s.rows[y * stride + i - bpp] : 0;
      const b = y > 0 ? s.rows[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= bpp ? s.rows[(y - 1) * stride + i - bpp] : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f];
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(s.width, 0);
  ihdr.writeUInt32BE(s.height, 4);
  ihdr.set([s.depth, s.colour, 0, 0, s.interlace ?? 0], 8);
  const z = deflateSync(raw);
  const n = s.idatChunks ?? 1;
  const step = Math.ceil(z.length / n);
  const idats = [...Array(n).keys()].map((i) => pngChunk('IDAT', z.subarray(i * step, (i + 1) * step)));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    ...(s.extra ?? []),
    ...(s.palette ? [pngChunk('PLTE', s.palette)] : []),
    ...idats,
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}
