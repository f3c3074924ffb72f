import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromOptions } from '../../src-main/cli/configFlags';
import { kernelReport } from '../../src-main/engine/index';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cli-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = writeCifarTarGz(join(dir, 'cifar.tar.gz'), cifarMembers(40, 50));

async function workbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/workbench.mjs', ...args], { cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('workbench train (CLI)', () => {
  it('--json prints one line per epoch and a summary', async () => {
    const { code, stdout } = await workbench('train', '--data', data, '--epochs', '3', '--hidden', '16', '--lr', '0.1', '--json');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['epoch', 'epoch', 'epoch', 'summary']);
    expect(lines[0]).toMatchObject({ epoch: 1, learningRate: 0.1 });
    expect(lines[0].confusion).toHaveLength(100);
    expect(lines[3]).toMatchObject({ status: 'finished', epochs: 3, kernel: kernelReport().auto });
    expect(lines[3].finalTestAccuracy).toBe(lines[2].testAccuracy);
  });

  it('human output has an epoch line per epoch and a summary', async () => {
    const { code, stdout } = await workbench('train', '--data', data, '--epochs', '2', '--hidden', '8');
    expect(code).toBe(0);
    expect(stdout).toMatch(/epoch 1\/2 +train loss \d\.\d{4} +test loss \d\.\d{4} +test acc \d+\.\d\d%/);
    expect(stdout).toMatch(/finished · final test acc/);
  });

  it('--config supplies fields and options override them', async () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ epochs: 1, hidden: [4], learningRate: 0.05, seed: 3 }));
    const { stdout } = await workbench('train', '--data', data, '--config', file, '--lr', '0.2', '--json');
    const epoch = JSON.parse(stdout.split('\n')[0]);
    expect(epoch.learningRate).toBe(0.2);
  });

  it('invalid options get exit code 2 and a message naming the option and the allowed range', async () => {
    const { code, stderr } = await workbench('train', '--data', data, '--lr', '-1', '--batch-size', '1.5', '--activation', 'swish');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--lr: .*\(allowed: a number > 0 and ≤ 100\)/);
    expect(stderr).toMatch(/--batch-size: .*expected int.*\(allowed: an integer 1–4096\)/);
    expect(stderr).toMatch(/--activation: .*\(allowed: sigmoid, tanh or relu\)/);
    for (const bad of [['--epochs', 'ten'], ['--bogus', '1'], ['--hidden', '10,x']]) {
      const r = await workbench('train', '--data', data, ...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain(bad[0]);
    }
  });

  it('refuses a network too large for a worker\'s memory before loading anything: exit 2, at --hidden, with the figure and the limit', async () => {
    const wide = '4096,4096,4096,4096,4096,4096,4096,4096';
    const { code, stdout, stderr } = await workbench('train', '--data', data, '--hidden', wide, '--batch-size', '4096', '--optimizer', 'adam', '--epochs', '1', '--json');
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/--hidden: with batch size 4096 and adam this network needs about 4\.\d\d GB of memory to train \(parameters 520\.5 MB, gradients 520\.5 MB, Adam state 1\.04 GB, activations for 4096 rows 2\.\d\d GB\), more than the 2\.00 GB one run may use: use fewer or narrower hidden layers, a smaller batch size or plain SGD/);
    expect(stdout).toBe('');
  });

  it('refuses a --config file nested 150,000 levels deep with exit 2 and a message naming the file', async () => {
    const file = join(dir, 'deep.json');
    writeFileSync(file, `{"hidden":${'['.repeat(150_000)}${']'.repeat(150_000)}}`);
    const { code, stderr } = await workbench('train', '--data', data, '--config', file);
    expect(code, stderr).toBe(2);
    expect(stderr).toBe(`workbench: --config ${file} nests more than 64 levels deep; no valid input nests more than a few\n`);
  });

  it('a missing or invalid dataset is a clear error with exit code 1', async () => {
    const missing = await workbench('train', '--data', join(dir, 'nothing.tar.gz'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nothing\.tar\.gz: no such file or folder/);
    const notGzip = join(dir, 'plain.tar.gz');
    writeFileSync(notGzip, 'hello');
    const bad = await workbench('train', '--data', notGzip);
    expect(bad.stderr).toMatch(/not a gzip file/);
  });
});

describe('config from command-line options', () => {
  it('maps kebab-case options and aliases onto config fields', () => {
    const c = configFromOptions(new Map([['hidden', '50,20,10'], ['lr', '0.01'], ['optimizer', 'adam'], ['schedule', 'exponential'], ['decay', '0.1']]), null);
    expect(c).toMatchObject({ hidden: [50, 20, 10], learningRate: 0.01, optimizer: 'adam', schedule: 'exponential', decay: 0.1, batchSize: 64 });
    expect(configFromOptions(new Map([['hidden', '']]), null).hidden).toEqual([]);
  });

  it('names config-file fields in errors and refuses unknown keys and __proto__', () => {
    expect(() => configFromOptions(new Map(), JSON.parse('{"__proto__": {"x": 1}, "epochz": 3}'))).toThrow(/config __proto__: unknown field.*config epochz: unknown field/);
    expect(() => configFromOptions(new Map(), { learningRate: '0.3' })).toThrow(/config learningRate: .*expected number, received string/);
  });
});
