import { inflateSync } from 'node:zlib';
import { CIFAR } from '../../src-shared/cifar';
import { AppError } from '../../src-shared/errors';
import { crc32 } from './png';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Colour type → channels per pixel (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const COLOUR_NAMES: Record<number, string> = { 0: 'greyscale', 2: 'RGB', 3: 'palette', 4: 'greyscale+alpha', 6: 'RGBA' };

/**
 * Decodes a 32×32 PNG into a CIFAR record's 3,072 pixel bytes (R, G, B planes, rows top to bottom),
 * for `workbench predict`. Reads greyscale (1–8 bits), palette (1–8 bits), greyscale+alpha, RGB and
 * RGBA at 8 bits, non-interlaced, every filter type; checks every chunk's CRC. Alpha is dropped
 * (the network never saw transparency). Anything else, and any other size, is refused with the file
 * named: an image is never resized or converted silently. `name` is used in the messages.
 */
export function decodePngToCifar(bytes: Uint8Array, name: string): Uint8Array {
  const bad = (reason: string): AppError => new AppError('VALIDATION', `${name}: ${reason}`);
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw bad('not a PNG file (no PNG signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; colour: number } | null = null;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let at = 8; !ended; ) {
    if (at + 12 > bytes.length) throw bad('the file ends inside a chunk (truncated)');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw bad(`the ${type} chunk runs past the end of the file (truncated)`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw bad(`the ${type} chunk fails its CRC check (damaged file)`);
    if (!header && type !== 'IHDR') throw bad('the first chunk is not IHDR');
    if (type === 'IHDR') header = readHeader(data, bad);
    else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    else if ((bytes[at + 4] & 0x20) === 0) throw bad(`it has a critical chunk ${type} this reader does not know`);
    at += 12 + length;
  }
  const { width, height, depth, colour } = header!;
  if (colour === 3 && (!palette || palette.length % 3 !== 0)) throw bad('a palette image without a valid PLTE chunk');
  const channels = CHANNELS[colour];
  const stride = Math.ceil((width * channels * depth) / 8);
  const expected = height * (1 + stride);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (e) {
    throw bad(`its image data cannot be decompressed (${(e as Error).message})`);
  }
  if (raw.length !== expected) throw bad(`its image data holds ${raw.length} bytes; a ${width}×${height} ${COLOUR_NAMES[colour]} image needs ${expected}`);
  const rows = unfilter(raw, height, stride, Math.max(1, (channels * depth) >> 3), bad);
  return toPlanes(rows, stride, channels, depth, colour, palette, bad);
}

function readHeader(data: Uint8Array, bad: (r: string) => AppError): { width: number; height: number; depth: number; colour: number } {
  if (data.length !== 13) throw bad('its IHDR chunk is not 13 bytes');
  const v = new DataView(data.buffer, data.byteOffset, 13);
  const [width, height, depth, colour, compression, filter, interlace] = [v.getUint32(0), v.getUint32(4), data[8], data[9], data[10], data[11], data[12]];
  if (!(colour in CHANNELS)) throw bad(`unknown PNG colour type ${colour}`);
  if (depth === 16) throw bad(`it is a 16-bit ${COLOUR_NAMES[colour]} PNG; save it with 8 bits per channel`);
  const lowDepthOk = (colour === 0 || colour === 3) && [1, 2, 4].includes(depth);
  if (depth !== 8 && !lowDepthOk) throw bad(`bit depth ${depth} is not valid for a ${COLOUR_NAMES[colour]} PNG`);
  if (compression !== 0 || filter !== 0) throw bad('unknown PNG compression or filter method');
  if (interlace !== 0) throw bad('it is an interlaced (Adam7) PNG; save it without interlacing');
  if (width !== CIFAR.side || height !== CIFAR.side) throw bad(`the image is ${width}×${height} pixels; the network takes 32×32 images (resize it first; nothing is resized here)`);
  return { width, height, depth, colour };
}

/** Undoes the per-row filters (None, Sub, Up, Average, Paeth) in place; `bpp` is bytes per pixel (≥ 1). */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, bad: (r: string) => AppError): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = up[i];
      const c = i >= bpp ? up[i - bpp] : 0;
      let pred: number;
      switch (filter) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw bad(`row ${y} has unknown filter type ${filter}`);
      }
      row[i] = (src[i] + pred) & 0xff;
    }
  }
  return out;
}

/** Unfiltered rows → R, G, B planes. */
function toPlanes(rows: Uint8Array, stride: number, channels: number, depth: number, colour: number, palette: Uint8Array | null, bad: (r: string) => AppError): Uint8Array {
  const { side, planeBytes } = CIFAR;
  const out = new Uint8Array(CIFAR.pixelBytes);
  const max = (1 << depth) - 1;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let r: number;
      let g: number;
      let b: number;
      if (depth < 8) {
        const bit = x * depth;
        const sample = (rows[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & max;
        if (colour === 3) [r, g, b] = paletteEntry(palette!, sample, bad);
        else r = g = b = Math.round((sample * 255) / max);
      } else {
        const p = y * stride + x * channels;
        if (colour === 3) [r, g, b] = paletteEntry(palette!, rows[p], bad);
        else if (channels <= 2) r = g = b = rows[p];
        else [r, g, b] = [rows[p], rows[p + 1], rows[p + 2]];
      }
      const i = y * side + x;
      out[i] = r;
      out[planeBytes + i] = g;
      out[2 * planeBytes + i] = b;
    }
  }
  return out;
}

function paletteEntry(palette: Uint8Array, index: number, bad: (r: string) => AppError): [number, number, number] {
  if (3 * index + 2 >= palette.length) throw bad(`a pixel uses palette entry ${index}, but the palette has ${palette.length / 3} entries`);
  return [palette[3 * index], palette[3 * index + 1], palette[3 * index + 2]];
}
