import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src-shared/engine';
import { kernelReport } from '../../src-main/engine/index';
import { E2E_SKIP, startBrowserMode, SHOTS, type BrowserMode } from '../helpers/browserMode';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

let mode: BrowserMode;
beforeAll(async () => {
  mode = await startBrowserMode('dataset');
});
afterAll(() => mode?.close());

describe.skipIf(E2E_SKIP !== null)('Dataset view in Chromium (browser mode)', () => {
  it('imports an archive from the form and shows source, counts and a gallery', async () => {
    const archive = writeCifarTarGz(join(mode.root, 'cifar.tar.gz'), cifarMembers(30, 20));
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(mode.server.url);
    expect(page.url()).not.toContain('token=');
    await page.getByRole('navigation').getByRole('link', { name: 'Dataset' }).click();
    await expect.poll(() => page.getByTestId('dataset-state').textContent()).toBe('absent');
    // which kernels train here, said once, in one line
    const report = kernelReport();
    await expect.poll(() => page.getByTestId('kernel-line').textContent()).toContain(`Kernels: ${report.auto} (`);
    expect(await page.getByTestId('kernel-line').count()).toBe(1);
    if (report.native.available) expect(await page.getByTestId('kernel-line').textContent()).not.toContain('not available');

    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.locator('#import-help').textContent()).toContain('Enter the path');
    expect(await page.locator('#import-path').getAttribute('aria-invalid')).toBe('true');
    expect((await mode.wb.api.call('data/status', {})).state).toBe('absent');

    await page.getByLabel('Import a local file or folder').fill(join(mode.root, 'missing.tar.gz'));
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('dataset-error').textContent()).toContain('missing.tar.gz: no such file or folder');

    await page.getByLabel('Import a local file or folder').fill(archive);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('dataset-state').textContent(), { timeout: 20_000 }).toBe('ready');
    expect(await page.getByTestId('dataset-source').textContent()).toContain('Unofficial copy');
    const counts = await page.getByTestId('class-counts').innerText();
    expect(counts).toMatch(/airplane\s+15\s+2/);
    expect(counts).toMatch(/total\s+150\s+20/);
    await expect.poll(() => page.getByTestId('gallery').locator('img').count()).toBe(80);
    await expect.poll(() => page.getByRole('img', { name: 'airplane, train image 0' }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(64);

    await page.getByRole('button', { name: 'Verify checksums' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Every file matches');
    await page.screenshot({ path: join(SHOTS, 'dataset-view.png'), fullPage: true });
  });

  it('on the WebAssembly fallback says why native is missing and what to do, in one line', async () => {
    const page = await mode.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const fallback: EngineStatus = {
      kernel: 'wasm-simd', nativeAvailable: false, nativeLevel: null, reason: 'npm install could not compile it (no C compiler found)',
      message: 'Training uses WebAssembly SIMD (wasm-simd), slower than native: the native kernels are not available: npm install could not compile it (no C compiler found).',
    };
    // a machine without a C toolchain, as the main process would describe it
    await page.route('**/api/engine/status', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value: fallback }) }));
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Dataset' }).click();
    const line = page.getByTestId('kernel-line');
    await expect.poll(() => line.textContent()).toContain('Kernels: wasm-simd (WebAssembly SIMD), slower than native: the native kernels are not available: npm install could not compile it (no C compiler found).');
    expect(await line.textContent()).toContain('To use them, install a C compiler and run npm run build:native.');
    expect(await line.locator('code').textContent()).toBe('npm run build:native');
    await line.screenshot({ path: join(SHOTS, 'dataset-kernel-fallback.png') });
  });

  it('rejects a mirror that is not an http(s) URL before sending anything', async () => {
    const page = await mode.browser.newPage();
    await page.goto(mode.server.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Dataset' }).click();
    await page.getByLabel(/^Download/).fill('ftp://example.org/cifar.tar.gz');
    await expect.poll(() => page.getByText('A mirror must be an http or https URL').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Download' }).isDisabled()).toBe(true);
  });
});
