import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../src-shared/config';
import { Rng } from '../../../src-main/engine/rng';
import { DEFAULT_CLASS_NAMES, decodeModel, encodeModel, layersFromState, readModelFile, type Model, type ModelLayer } from '../../../src-main/store/files/modelFile';
import { decodeSafetensors, encodeSafetensors, type Tensor } from '../../../src-main/store/files/safetensors';

const root = mkdtempSync(join(tmpdir(), 'model-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function layer(fanIn: number, fanOut: number, seed: number): ModelLayer {
  const rng = new Rng(seed, 5);
  return {
    fanIn, fanOut,
    w: Float32Array.from({ length: fanIn * fanOut }, () => rng.nextFloat() - 0.5),
    b: Float32Array.from({ length: fanOut }, () => rng.nextFloat() - 0.5),
  };
}

function model(over: Partial<Model> = {}, hidden = [6, 5]): Model {
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, hidden, activation: 'tanh', normalization: 'standardize', epochs: 3 };
  const widths = [3072, ...hidden, 10];
  return {
    layers: widths.slice(1).map((w, i) => layer(widths[i], w, i + 1)),
    config,
    transform: { scale: [0.011, 0.012, 0.013], shift: [-1.9, -2.0, -2.1] },
    classNames: [...DEFAULT_CLASS_NAMES],
    appVersion: '0.1.0',
    datasetSha256: 'ab'.repeat(32),
    runId: 7,
    epoch: 3,
    testAccuracy: 0.4213,
    ...over,
  };
}

const WHAT = 'model file /somewhere/7.safetensors';

/** Re-encodes a model's tensors and metadata after `edit`, as a hand-made or foreign file would be. */
function edited(edit: (tensors: Record<string, Tensor>, metadata: Record<string, string>) => void): Buffer {
  const { tensors, metadata } = decodeSafetensors(encodeModel(model()), 'x');
  edit(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

function refusal(bytes: Uint8Array): string {
  try {
    decodeModel(bytes, WHAT);
  } catch (e) {
    expect(e).toMatchObject({ code: 'MODEL_INVALID' });
    expect((e as Error).message).toContain(WHAT);
    return (e as Error).message;
  }
  throw new Error('the model was accepted');
}

describe('model files', () => {
  it('round-trip every field, with weights stored in PyTorch\'s [fan_out, fan_in] orientation', () => {
    const m = model();
    const bytes = encodeModel(m);
    const back = decodeModel(bytes, WHAT);
    expect(back).toEqual(m);
    const { tensors, metadata } = decodeSafetensors(bytes, 'x');
    expect(Object.keys(tensors).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight']);
    expect(tensors['2.weight'].shape).toEqual([5, 6]);
    // engine w[r][c] (input r → output c) is PyTorch weight[c][r]
    expect(tensors['2.weight'].data[3 * 6 + 4]).toBe(m.layers[1].w[4 * 5 + 3]);
    expect(metadata).toMatchObject({
      format: 'cifar-workbench-mlp', format_version: '1', activation: 'tanh', run_id: '7', epoch: '3', test_accuracy: '0.4213',
      architecture: 'Linear(3072, 6) Tanh Linear(6, 5) Tanh Linear(5, 10)',
    });
    expect(JSON.parse(metadata.normalization)).toEqual({ scale: [0.011, 0.012, 0.013], shift: [-1.9, -2.0, -2.1], kind: 'standardize' });
  });

  it('keep null run, dataset and accuracy, and a network without hidden layers', () => {
    const m = model({ runId: null, datasetSha256: null, testAccuracy: null, layers: [layer(3072, 10, 9)], config: { ...DEFAULT_TRAIN_CONFIG, hidden: [] } });
    expect(decodeModel(encodeModel(m), WHAT)).toEqual(m);
  });

  it('take the engine\'s training state tensors (W1, b1, …) as layers', () => {
    const m = model();
    const state = Object.fromEntries(m.layers.flatMap((l, i) => [[`W${i + 1}`, { shape: [l.fanIn, l.fanOut], data: l.w }], [`b${i + 1}`, { shape: [1, l.fanOut], data: Float64Array.from(l.b) }], [`m${i + 1}`, { shape: [1], data: new Float32Array(1) }]]));
    expect(layersFromState(state)).toEqual(m.layers);
  });

  it('refuse files that are not, or not consistent, workbench models with MODEL_INVALID naming the file', () => {
    const cases: [Buffer, RegExp][] = [
      [encodeSafetensors({}, { format: 'pt' }), /is a safetensors file but not a workbench model \(format 'pt'\)/],
      [encodeSafetensors({}, {}), /not a workbench model \(format 'none'\)/],
      [edited((_, m) => (m.format_version = '2')), /has model format version 2; this app reads version 1/],
      [edited((_, m) => delete m.config), /has no readable 'config' in its metadata/],
      [edited((_, m) => (m.config = '{"hidden": [6,')), /has no readable 'config'/],
      [edited((_, m) => (m.normalization = 'scale')), /has no readable 'normalization'/],
      [edited((_, m) => (m.normalization = JSON.stringify({ scale: [1, 1], shift: [0, 0] }))), /has no valid normalization in its metadata \(it needs 3 finite scale and 3 shift constants/],
      [edited((_, m) => (m.classes = 'airplane,automobile')), /has no readable 'classes'/],
      [edited((_, m) => (m.classes = JSON.stringify(['a', 'b']))), /has 10 outputs but 2 class names/],
      [edited((t) => (t['0.weight'] = { dtype: 'F64', shape: t['0.weight'].shape, data: Float64Array.from(t['0.weight'].data) })), /0.weight is F64 \[6,3072\], expected F32 \[n, 3072\]/],
      [edited((t) => (t['0.weight'] = { ...t['0.weight'], shape: [3072, 6] })), /0.weight is F32 \[3072,6\], expected F32 \[n, 3072\]/],
      [edited((t) => (t['2.weight'] = { ...t['2.weight'], shape: [6, 5] })), /2.weight is F32 \[6,5\], expected F32 \[n, 6\]/],
      [edited((t) => delete t['2.bias']), /2.bias is missing or not F32 \[5\]/],
      [edited((t) => (t['4.bias'] = { dtype: 'F32', shape: [9], data: new Float32Array(9) })), /4.bias is missing or not F32 \[10\]/],
      [edited((t) => { for (const k of Object.keys(t)) delete t[k]; }), /has no layer tensors \(0.weight, 0.bias, …\)/],
      [edited((_, m) => (m.config = JSON.stringify({ ...model().config, hidden: [6] }))), /its layers \(6×5\) disagree with its config \(6\)/],
      [edited((t) => { delete t['4.weight']; delete t['4.bias']; }), /has 5 outputs but 10 class names/],
      [Buffer.from('PK\u0003\u0004 a zip, not a model'), /is not a valid safetensors file/],
      [edited((_, m) => (m.config = 'null')), /its activation metadata 'tanh' disagrees with its config \(sigmoid\)/],
      [edited((_, m) => (m.config = JSON.stringify({ ...model().config, activation: 'gelu' }))), /has an invalid config in its metadata \(activation: /],
      [edited((_, m) => (m.config = JSON.stringify({ ...model().config, hidden: 'big' }))), /has an invalid config in its metadata \(hidden: /],
      [edited((_, m) => (m.activation = 'relu')), /its activation metadata 'relu' disagrees with its config \(tanh\)/],
      [edited((_, m) => (m.normalization = 'null')), /has no valid normalization in its metadata/],
      [edited((_, m) => (m.normalization = JSON.stringify({ scale: ['a', 1, 1], shift: [0, 0, 0] }))), /has no valid normalization/],
      [edited((_, m) => (m.classes = 'null')), /has no valid 'classes' in its metadata/],
      [edited((_, m) => (m.classes = '[1,2,3,4,5,6,7,8,9,10]')), /has no valid 'classes'/],
      [edited((_, m) => (m.epoch = 'last')), /invalid metadata: run_id '7', epoch 'last'/],
      [edited((_, m) => (m.run_id = '-1')), /invalid metadata: run_id '-1'/],
      [edited((_, m) => (m.test_accuracy = '42')), /test_accuracy '42' \(a run id, an epoch count and a fraction 0–1 are expected\)/],
      [edited((t) => (t['8.weight'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) })), /has tensors that are not layers of its network \(8.weight\)/],
      [edited((t) => (t['1.bias'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) })), /not layers of its network \(1.bias\)/],
      [edited((t) => (t.optimizer_state = { dtype: 'F32', shape: [1], data: new Float32Array(1) })), /not layers of its network \(optimizer_state\)/],
    ];
    for (const [bytes, message] of cases) expect(refusal(bytes), String(message)).toMatch(message);
  });

  it('read from disk with the path in every error', () => {
    const path = join(root, '7.safetensors');
    writeFileSync(path, encodeModel(model()));
    expect(readModelFile(path).runId).toBe(7);
    const bytes = encodeModel(model());
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    expect(() => readModelFile(path)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining(`model file ${path} is not a valid safetensors file`) }));
    expect(() => readModelFile(join(root, 'none.safetensors'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: `No model file at ${join(root, 'none.safetensors')}` }));
    expect(() => readModelFile(root)).toThrow(expect.objectContaining({ code: 'IO', message: expect.stringContaining(`Cannot read the model file ${root}`) }));
  });
});
