import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import { cifarRecordToPng } from '../../src-main/data/png';
import { decodePngToCifar } from '../../src-main/data/pngDecode';
import { Rng } from '../../src-main/engine/rng';
import { buildPng, pngChunk } from '../helpers/pngBuilder';
import { syntheticRecords } from '../helpers/synthetic';

const S = CIFAR.side;
const P = CIFAR.planeBytes;

function randomBytes(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed, 3);
  return Uint8Array.from({ length: n }, () => rng.nextInt(256));
}

/** Interleaved rows of `channels` samples per pixel → the planes the decoder must return. */
function planesOf(interleaved: Uint8Array, channels: number): Uint8Array {
  const out = new Uint8Array(CIFAR.pixelBytes);
  for (let i = 0; i < P; i++) {
    const grey = channels <= 2;
    for (let c = 0; c < 3; c++) out[c * P + i] = interleaved[i * channels + (grey ? 0 : c)];
  }
  return out;
}

const expectRefused = (png: Uint8Array, message: RegExp): void => {
  let error: unknown;
  try {
    decodePngToCifar(png, 'cat.png');
  } catch (e) {
    error = e;
  }
  expect(error, String(message)).toMatchObject({ code: 'VALIDATION' });
  expect((error as Error).message).toMatch(/^cat\.png: /);
  expect((error as Error).message).toMatch(message);
};

describe('decodePngToCifar', () => {
  it('gives back the exact pixels of PNGs written by the app\'s encoder', () => {
    const records = syntheticRecords(5, 4, 255);
    for (let i = 0; i < 5; i++) {
      const pixels = records.subarray(i * CIFAR.recordBytes + 1, (i + 1) * CIFAR.recordBytes);
      expect(decodePngToCifar(cifarRecordToPng(pixels), 'x.png')).toEqual(pixels);
    }
  });

  it('undoes every filter type (None, Sub, Up, Average, Paeth) in RGB and RGBA, dropping alpha', () => {
    for (const [colour, channels] of [[2, 3], [6, 4]]) {
      const rows = randomBytes(S * S * channels, colour);
      for (const filters of [[0], [1], [2], [3], [4], [4, 3, 2, 1, 0]]) {
        const png = buildPng({ width: S, height: S, colour, depth: 8, rows, filters, idatChunks: 3 });
        expect(decodePngToCifar(png, 'x.png'), `colour ${colour} filters ${filters}`).toEqual(planesOf(rows, channels));
      }
    }
  });

  it('reads 8-bit greyscale and greyscale+alpha into three equal planes', () => {
    for (const [colour, channels] of [[0, 1], [4, 2]]) {
      const rows = randomBytes(S * S * channels, 10 + colour);
      const got = decodePngToCifar(buildPng({ width: S, height: S, colour, depth: 8, rows, filters: [1, 4, 3] }), 'g.png');
      expect(got).toEqual(planesOf(rows, channels));
      expect(got.subarray(0, P)).toEqual(got.subarray(2 * P));
    }
  });

  it('reads 1-, 2- and 4-bit greyscale, scaling the samples to 0–255', () => {
    for (const depth of [1, 2, 4]) {
      const max = (1 << depth) - 1;
      const samples = Uint8Array.from({ length: P }, (_, i) => (i * 7 + (i >> 5)) % (max + 1));
      const stride = (S * depth) / 8;
      const rows = new Uint8Array(S * stride);
      samples.forEach((v, i) => {
        const bit = (i % S) * depth;
        rows[Math.floor(i / S) * stride + (bit >> 3)] |= v << (8 - depth - (bit & 7));
      });
      const got = decodePngToCifar(buildPng({ width: S, height: S, colour: 0, depth, rows, filters: [2, 4] }), 'g.png');
      expect(got.subarray(P, 2 * P)).toEqual(Uint8Array.from(samples, (v) => Math.round((v * 255) / max)));
    }
  });

  it('reads palette images at 8 and 4 bits, and ignores ancillary chunks', () => {
    const palette = randomBytes(16 * 3, 20);
    const index = Uint8Array.from({ length: P }, (_, i) => (i * 5 + (i >> 5)) % 16);
    const expected = new Uint8Array(CIFAR.pixelBytes);
    index.forEach((k, i) => [0, 1, 2].forEach((c) => (expected[c * P + i] = palette[3 * k + c])));
    const text = pngChunk('tEXt', new TextEncoder().encode('Comment\0hand made'));
    expect(decodePngToCifar(buildPng({ width: S, height: S, colour: 3, depth: 8, rows: index, palette, filters: [3], extra: [text] }), 'p.png')).toEqual(expected);
    const packed = new Uint8Array(P / 2);
    index.forEach((k, i) => (packed[i >> 1] |= i % 2 ? k : k << 4));
    expect(decodePngToCifar(buildPng({ width: S, height: S, colour: 3, depth: 4, rows: packed, palette, filters: [4, 1] }), 'p.png')).toEqual(expected);
  });

  it('refuses other sizes, 16 bits, interlacing and damaged files, naming the file and the problem', () => {
    const rgb = (over: Partial<Parameters<typeof buildPng>[0]> = {}): Buffer => buildPng({ width: S, height: S, colour: 2, depth: 8, rows: randomBytes(S * S * 3, 1), ...over });
    expectRefused(buildPng({ width: 64, height: 48, colour: 2, depth: 8, rows: randomBytes(64 * 48 * 3, 1) }), /the image is 64×48 pixels; the network takes 32×32 images/);
    expectRefused(buildPng({ width: S, height: S, colour: 2, depth: 16, rows: randomBytes(S * S * 6, 1) }), /16-bit RGB PNG; save it with 8 bits per channel/);
    expectRefused(rgb({ interlace: 1 }), /interlaced \(Adam7\) PNG; save it without interlacing/);
    expectRefused(rgb({ filters: [0, 5] }), /row 1 has unknown filter type 5/);
    expectRefused(Buffer.from('GIF89a not a png at all'), /not a PNG file/);
    const good = rgb();
    expectRefused(good.subarray(0, good.length - 20), /truncated/);
    const flipped = Buffer.from(good);
    flipped[50] ^= 0xff; // inside the IDAT data (its type ends at byte 41)
    expectRefused(flipped, /the IDAT chunk fails its CRC check \(damaged file\)/);
    const badZlib = Buffer.concat([good.subarray(0, 33), pngChunk('IDAT', Buffer.from('not deflate data')), pngChunk('IEND', new Uint8Array(0))]);
    expectRefused(badZlib, /its image data cannot be decompressed/);
    const short = Buffer.concat([good.subarray(0, 33), pngChunk('IDAT', deflateSync(Buffer.alloc(100))), pngChunk('IEND', new Uint8Array(0))]);
    expectRefused(short, /its image data holds 100 bytes; a 32×32 RGB image needs 3104/);
    expectRefused(rgb({ extra: [pngChunk('ABCD', new Uint8Array(4))] }), /critical chunk ABCD/);
    expectRefused(buildPng({ width: S, height: S, colour: 3, depth: 8, rows: new Uint8Array(P).fill(9), palette: randomBytes(12, 1) }), /palette entry 9, but the palette has 4 entries/);
    expectRefused(buildPng({ width: S, height: S, colour: 3, depth: 8, rows: new Uint8Array(P) }), /palette image without a valid PLTE chunk/);
    expectRefused(buildPng({ width: S, height: S, colour: 5, depth: 8, rows: new Uint8Array(P) }), /unknown PNG colour type 5/);
  });
});
