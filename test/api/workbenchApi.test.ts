import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src-shared/api';
import { ValidationError } from '../../src-shared/errors';
import { toEngineStatus } from '../../src-main/api/engineStatus';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { WorkbenchApi } from '../../src-main/api/workbenchApi';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { kernelReport } from '../../src-main/engine/index';
import { wasmKernelKind } from '../../src-main/engine/wasm/kernels';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const api = new WorkbenchApi({ dataset: new DatasetManager(join(root, 'home')) });

describe('WorkbenchApi (data channels)', () => {
  it('validates every payload against the shared schema, naming the field', async () => {
    await expect(api.call('data/image', { split: 'valid', index: 0 })).rejects.toThrow(/split: /);
    await expect(api.call('data/image', { split: 'test', index: -1 })).rejects.toThrow(/index: Too small/);
    await expect(api.call('data/image', { split: 'test', index: 1.5 })).rejects.toThrow(/index: .*expected int/);
    await expect(api.call('data/status', { extra: 1 })).rejects.toThrow(/extra: unknown field/);
    await expect(api.call('data/download', { url: 'file:///etc/passwd' })).rejects.toBeInstanceOf(ValidationError);
    await expect(api.call('data/import', { path: 42 })).rejects.toThrow(/path: /);
    await expect(api.call('nope/nothing' as 'data/status', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs the handlers and pushes progress events to subscribers', async () => {
    expect((await api.call('data/status', {})).state).toBe('absent');
    const events: string[] = [];
    const off = api.subscribe((event, p) => void (event === 'data/progress' && events.push(`${event}:${p.phase}`)));
    const archive = writeCifarTarGz(join(root, 'a.tar.gz'), cifarMembers(6, 6));
    const status = await api.call('data/import', { path: archive });
    off();
    expect(status.state).toBe('ready');
    expect(events).toContain('data/progress:extract');
    const img = await api.call('data/image', { split: 'train', index: 3 });
    expect(Buffer.from(img.pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(img.label).toBe(3);
    expect((await api.call('data/verify', {})).ok).toBe(true);
    const gallery = await api.call('data/samples', { split: 'train', perClass: 2 });
    expect(gallery.samples).toHaveLength(12);
    expect(gallery.samples.slice(0, 2)).toEqual([{ label: 0, index: 0 }, { label: 0, index: 6 }]);
    expect(new Set(gallery.samples.map((s) => s.label)).size).toBe(6);
    expect(await api.call('data/cancel', {})).toEqual({ cancelled: false });
  });

  it('lists every channel of the contract', () => {
    expect(CHANNELS.filter((c) => c.startsWith('data/'))).toEqual(['data/status', 'data/download', 'data/import', 'data/cancel', 'data/verify', 'data/image', 'data/samples']);
    expect(CHANNELS).toContain('runs/list');
  });
});

describe('WorkbenchApi (engine/status)', () => {
  it('says which kernels auto trains with here, from the engine\'s kernel report', async () => {
    const report = kernelReport();
    const status = await api.call('engine/status', {});
    expect(status.kernel).toBe(report.auto);
    expect(status.message).toBe(report.message);
    expect(status).toEqual(toEngineStatus(report));
    expect(status.nativeAvailable).toBe(report.native.available);
    expect(status.kernel.startsWith(status.nativeAvailable ? 'native-' : 'wasm-')).toBe(true);
    // computed once: a second call answers the same object
    expect(await api.call('engine/status', {})).toBe(status);
    await expect(api.call('engine/status', { kernel: 'wasm' })).rejects.toThrow(/kernel: unknown field/);
  });

  it('turns both kinds of report into the flat API shape', () => {
    const path = '/x/build/Release/workbench_native.node';
    expect(toEngineStatus({ auto: 'native-avx2', native: { available: true, level: 'avx2', path }, message: 'native' })).toEqual({
      kernel: 'native-avx2', nativeAvailable: true, nativeLevel: 'avx2', reason: null, message: 'native',
    });
    expect(toEngineStatus({ auto: 'wasm-simd', native: { available: false, reason: 'no compiler' }, message: 'wasm' })).toEqual({
      kernel: 'wasm-simd', nativeAvailable: false, nativeLevel: null, reason: 'no compiler', message: 'wasm',
    });
  });
});

describe('WorkbenchApi (a run\'s kernel choice)', () => {
  it('records the kernel each run really trained with: wasm, f64 and auto as asked', async () => {
    const wb = openWorkbench(join(root, 'kernel-home'), { workers: 1 });
    try {
      await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'k.tar.gz'), cifarMembers(10, 10)) });
      const spec = { name: 'kernels', base: { epochs: 1, hidden: [4] }, axes: [{ field: 'kernel', values: ['wasm', 'f64', 'auto'] }], repeats: 1 };
      const { id } = await wb.api.call('experiments/create', { spec });
      await wb.runner.whenIdle();
      const runs = await wb.api.call('runs/list', { experimentId: id });
      expect(runs.map((r) => [r.config.kernel, r.status])).toEqual([['wasm', 'finished'], ['f64', 'finished'], ['auto', 'finished']]);
      const kernels = await Promise.all(runs.map(async (r) => (await wb.api.call('runs/get', { id: r.id })).kernel));
      expect(kernels).toEqual([wasmKernelKind(), 'f64-reference', kernelReport().auto]);
    } finally {
      await wb.close();
    }
  });
});
