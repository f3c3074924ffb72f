import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src-shared/engine';
import { kernelReport } from '../../src-main/engine/index';
import { wasmKernelKind } from '../../src-main/engine/wasm/kernels';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('new');
  await mode.wb.api.call('data/import', { path: writeCifarTarGz(join(mode.root, 'c.tar.gz'), cifarMembers(20, 20)) });
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('New experiment form in Chromium', () => {
  it('shows messages for invalid values and submits nothing', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('10 runs');
    await page.getByLabel('Learning rate γ', { exact: true }).fill('-1');
    await page.getByLabel('Epochs', { exact: true }).fill('2.5');
    await page.getByLabel('Repeats (seeds)').fill('0');
    await page.getByLabel('Hidden layers', { exact: true }).fill('100,abc');
    await expect.poll(() => page.locator('#e-learningRate').textContent()).toBe('-1 is too small (allowed: a number > 0 and ≤ 100)');
    expect(await page.locator('#e-hidden').textContent()).toContain("'100,abc' is not a comma-separated list of numbers");
    await page.getByLabel('Hidden layers', { exact: true }).fill('100');
    await expect.poll(() => page.locator('#e-epochs').textContent()).toBe('2.5 is not a whole number (allowed: an integer 1–10000)');
    expect(await page.locator('#e-repeats').textContent()).toBe('0 is too small (allowed: an integer 1–1000)');
    expect(await page.getByLabel('Learning rate γ', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('run-count').textContent()).toContain('Fix the marked fields');
    expect(await page.getByRole('button', { name: 'Queue experiment' }).isDisabled()).toBe(true);
    await page.getByLabel('Learning rate γ', { exact: true }).fill('0.1');
    await page.getByLabel('Epochs', { exact: true }).fill('2');
    await page.getByLabel('Repeats (seeds)').fill('1');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('1 run');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.locator('#e-name').textContent()).toBe('Give the experiment a name');
    await page.screenshot({ path: join(SHOTS, 'new-experiment-invalid.png'), fullPage: true });
    expect(await mode.wb.api.call('experiments/list', {})).toEqual([]);
  });

  it('queues a 2 × 2-repeat sweep from the form, which then runs to completion', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Name').fill('form sweep');
    await page.getByLabel('Hidden layers', { exact: true }).fill('8');
    await page.getByLabel('Epochs', { exact: true }).fill('2');
    await page.getByLabel('Repeats (seeds)').fill('2');
    await page.getByRole('button', { name: 'Add axis' }).click();
    await page.getByLabel('Axis 1 field').selectOption('learningRate');
    await page.getByLabel('Axis 1 range from').fill('0.01');
    await page.getByLabel('Axis 1 range to').fill('0.1');
    await page.getByLabel('Axis 1 range count').fill('2');
    await page.getByRole('button', { name: 'Fill' }).click();
    await expect.poll(() => page.getByLabel('Axis 1 values').inputValue()).toBe('0.01, 0.1');
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('4 runs');
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 4 runs/);
    await page.screenshot({ path: join(SHOTS, 'new-experiment-queued.png'), fullPage: true });
    await mode.wb.runner.whenIdle();
    const runs = await mode.wb.api.call('runs/list', {});
    expect(runs.map((r) => [r.config.learningRate, r.seed, r.status])).toEqual([
      [0.01, 0, 'finished'], [0.01, 1, 'finished'], [0.1, 0, 'finished'], [0.1, 1, 'finished'],
    ]);
    await page.getByRole('link', { name: 'See the queue' }).click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/queue');
    await expect.poll(() => page.getByTestId('queue-summary').textContent()).toContain('0 running · 0 queued');
  });

  it('loads the report presets', async () => {
    const page = await mode.browser.newPage();
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    await page.getByLabel('Preset').selectOption('fig2');
    await page.getByRole('button', { name: 'Load preset' }).click();
    await expect.poll(() => page.getByTestId('run-count').textContent()).toContain('120 runs');
    expect(await page.getByLabel('Axis 2 values').inputValue()).toBe('0.001, 0.01, 0.1, 0.2, 0.3, 0.5');
  });

  it('queues a run on the kernels chosen under Advanced; the run records them, and a clone brings the choice back', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'New experiment' }).click();
    const kernels = page.getByLabel('Kernels');
    expect(await kernels.isVisible()).toBe(false);
    expect(await page.getByLabel('Axis 1 field').count()).toBe(0);
    await page.getByRole('button', { name: 'Add axis' }).click();
    expect(await page.getByLabel('Axis 1 field').locator('option').allTextContents()).not.toContain('kernel');
    await page.getByRole('button', { name: 'Remove axis 1' }).click();

    await page.getByText('Advanced').click();
    expect(await kernels.inputValue()).toBe('auto');
    await expect.poll(() => kernels.locator('option[value="auto"]').textContent()).toContain(`auto (recommended): ${kernelReport().auto}`);
    expect(await kernels.locator('option').allTextContents()).toEqual(expect.arrayContaining(['WebAssembly', 'float64 reference (slow)']));
    expect(await kernels.locator('option[value="native"]').isDisabled()).toBe(!kernelReport().native.available);
    await page.getByTestId('advanced').screenshot({ path: join(SHOTS, 'new-experiment-advanced-auto.png') });
    await kernels.selectOption('wasm');
    expect(await page.getByTestId('advanced').locator('summary').textContent()).toContain('kernels wasm');
    await page.getByLabel('Name').fill('wasm run');
    await page.getByLabel('Hidden layers', { exact: true }).fill('8');
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Repeats (seeds)').fill('1');
    await page.screenshot({ path: join(SHOTS, 'new-experiment-advanced.png'), fullPage: true });
    await page.getByRole('button', { name: 'Queue experiment' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Experiment \d+ queued with 1 run\./);
    await mode.wb.runner.whenIdle();
    const experiments = await mode.wb.api.call('experiments/list', {});
    const [run] = await mode.wb.api.call('runs/list', { experimentId: experiments.find((e) => e.name === 'wasm run')!.id });
    expect(run.config.kernel).toBe('wasm');
    expect(await mode.wb.api.call('runs/get', { id: run.id })).toMatchObject({ status: 'finished', kernel: wasmKernelKind() });

    // Run detail → Clone config: the form opens with Advanced open and the same kernels
    await page.evaluate(`location.hash = '#/run/${run.id}'`);
    await page.getByRole('button', { name: 'Clone into a new experiment' }).click();
    await expect.poll(() => page.getByLabel('Name').inputValue()).toBe(`Based on run ${run.id}`);
    expect(await page.getByTestId('advanced').getAttribute('open')).not.toBeNull();
    expect(await page.getByLabel('Kernels').inputValue()).toBe('wasm');
  });

  it('without the native kernels, native is marked unavailable with the reason, and a config asking for it is stopped at the field', async () => {
    const { id } = await mode.wb.api.call('experiments/create', { spec: { name: 'native run', base: { epochs: 1, hidden: [4], kernel: 'native' }, repeats: 1 } });
    await mode.wb.runner.whenIdle();
    const [run] = await mode.wb.api.call('runs/list', { experimentId: id });
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const fallback: EngineStatus = { kernel: 'wasm-simd', nativeAvailable: false, nativeLevel: null, reason: 'no C compiler found', message: 'Training uses WebAssembly SIMD (wasm-simd).' };
    await page.route('**/api/engine/status', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value: fallback }) }));
    await page.goto(mode.server.url);
    await expect.poll(() => page.getByTestId('dataset-state').textContent()).toContain('ready');
    await page.evaluate(`location.hash = '#/run/${run.id}'`);
    await page.getByRole('button', { name: 'Clone into a new experiment' }).click();
    const kernels = page.getByLabel('Kernels');
    await expect.poll(() => kernels.inputValue()).toBe('native');
    expect(await kernels.locator('option[value="native"]').isDisabled()).toBe(true);
    expect(await kernels.locator('option[value="native"]').textContent()).toBe('native (not available here)');
    expect(await kernels.locator('option[value="auto"]').textContent()).toBe('auto (recommended): wasm-simd');
    await expect.poll(() => page.locator('#e-kernel').textContent()).toBe('The native kernels are not available on this machine: no C compiler found. Choose auto or WebAssembly.');
    expect(await kernels.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Queue experiment' }).isDisabled()).toBe(true);
    await page.getByTestId('advanced').screenshot({ path: join(SHOTS, 'new-experiment-native-unavailable.png') });
    await kernels.selectOption('auto');
    await expect.poll(() => page.locator('#e-kernel').textContent()).toBe('Native kernels not available: no C compiler found. To use them, install a C compiler and run npm run build:native.');
    expect(await page.getByRole('button', { name: 'Queue experiment' }).isDisabled()).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'new-experiment-no-native.png'), fullPage: true });
  });
});
