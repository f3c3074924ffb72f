import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type Tensor } from '../../../src-main/store/files/safetensors';

/** A safetensors file from a header object and a data section, for files the encoder never writes. */
function craft(header: unknown, data: Uint8Array = new Uint8Array(0), headerText = JSON.stringify(header)): Buffer {
  const json = Buffer.from(headerText, 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  out.set(data, 8 + json.length);
  return out;
}

const WHAT = 'model file /tmp/x/7.safetensors';

function refusal(bytes: Uint8Array): Error {
  try {
    decodeSafetensors(bytes, WHAT);
  } catch (e) {
    expect(e).toMatchObject({ code: 'MODEL_INVALID' });
    expect((e as Error).message).toContain(`The ${WHAT} is not a valid safetensors file: `);
    return e as Error;
  }
  throw new Error('the file was accepted');
}

describe('safetensors', () => {
  const tensors: Record<string, Tensor> = {
    'a.weight': { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2.5, 3, 4e-20, 5, Math.PI]) },
    steps: { dtype: 'I32', shape: [], data: Int32Array.from([-7]) },
    empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    exact: { dtype: 'F64', shape: [3], data: Float64Array.from([Math.E, -1e300, 0.1]) },
  };

  it('round-trips F32, F64 and I32 tensors of any shape with string metadata, data 8-byte aligned', () => {
    const bytes = encodeSafetensors(tensors, { format: 'test', note: 'ünïcode ✓' });
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes, WHAT);
    expect(back.metadata).toEqual({ format: 'test', note: 'ünïcode ✓' });
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name].dtype).toBe(t.dtype);
      expect(back.tensors[name].shape).toEqual(t.shape);
      expect(back.tensors[name].data).toEqual(t.data);
      expect(back.tensors[name].data.constructor).toBe(t.data.constructor);
    }
    // the decoded arrays are copies: changing the file's bytes afterwards changes nothing
    bytes.fill(0, 8 + headerLength);
    expect(back.tensors.exact.data[0]).toBe(Math.E);
  });

  it('decodes from an unaligned view into a larger buffer', () => {
    const bytes = encodeSafetensors(tensors, {});
    const host = new Uint8Array(bytes.length + 3);
    host.set(bytes, 3);
    expect(decodeSafetensors(host.subarray(3), WHAT).tensors['a.weight'].data).toEqual(tensors['a.weight'].data);
  });

  it('refuses every malformed file with MODEL_INVALID and the file named', () => {
    const good = encodeSafetensors(tensors, { format: 'test' });
    const f32 = (n: number): Uint8Array => new Uint8Array(n * 4);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /it has 0 bytes, fewer than the 8-byte header length \(truncated or empty\)/],
      [good.subarray(0, 5), /it has 5 bytes, fewer than the 8-byte header length/],
      [good.subarray(0, 40), /its header claims \d+ bytes but the file has 40 \(truncated, or not safetensors\)/],
      [(() => { const b = Buffer.from(good); b.writeBigUInt64LE(2n ** 63n, 0); return b; })(), /its header claims 9223372036854775808 bytes/],
      [craft(null, undefined, '{"a": [1, 2'), /its header is not JSON/],
      [craft(null, undefined, '\u00ff\u00fe'), /its header is not JSON/],
      [craft([1, 2]), /its header is not a JSON object/],
      [craft(null), /its header is not a JSON object/],
      [craft({ __metadata__: 'x' }), /__metadata__ is not an object/],
      [craft({ __metadata__: { epoch: 3 } }), /metadata 'epoch' is not a string/],
      [craft({ w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, f32(1)), /tensor 'w' has dtype "BF16"; this app reads F32, F64 and I32/],
      [craft({ w: { shape: [2], data_offsets: [0, 8] } }, f32(2)), /tensor 'w' has dtype undefined/],
      [craft({ w: 5 }), /tensor 'w' has dtype undefined/],
      [craft({ w: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, f32(2)), /tensor 'w' has an invalid shape/],
      [craft({ w: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } }, f32(2)), /tensor 'w' has an invalid shape/],
      [craft({ w: { dtype: 'F32', shape: [2], data_offsets: [0] } }, f32(2)), /tensor 'w' has invalid data_offsets/],
      [craft({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8.5] } }, f32(2)), /tensor 'w' has invalid data_offsets/],
      [craft({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)), /tensor 'w' has 8 bytes for shape \[3\] of F32/],
      [craft({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, f32(2)), /tensor 'w' has -8 bytes/],
      [craft({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32(2)), /tensor 'w' ends at byte 16 of a 8-byte data section \(truncated\)/],
      [good.subarray(0, good.length - 4), /ends at byte \d+ of a \d+-byte data section \(truncated\)/],
      [craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)), /tensor 'b' starts at byte 4, expected 8 \(overlap or gap\)/],
      [craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, f32(4)), /tensor 'b' starts at byte 12, expected 8 \(overlap or gap\)/],
      [craft({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /tensor 'a' starts at byte 4, expected 0/],
      [craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), /4 bytes follow the last tensor/],
      [Buffer.concat([good, Buffer.alloc(1)]), /1 bytes follow the last tensor/],
    ];
    for (const [bytes, message] of cases) expect(refusal(bytes).message, String(message)).toMatch(message);
  });
});
