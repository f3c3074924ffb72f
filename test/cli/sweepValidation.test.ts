import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cli-sweep-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `workbench sweep <spec>` over a fresh home, with the spec text written to a file. */
async function sweep(name: string, specText: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, specText);
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/workbench.mjs', 'sweep', file, '--home', join(dir, `home-${name}`), '--workers', '1']);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('workbench sweep refuses invalid specs with exit code 2', () => {
  it('an axis named __proto__ or toString, at axes.0.field', async () => {
    for (const field of ['__proto__', 'toString']) {
      const { code, stderr } = await sweep(field, JSON.stringify({ name: 'x', axes: [{ field, values: [1] }] }));
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/^workbench: Invalid sweep:\n {2}axes\.0\.field: Invalid option: expected one of "hidden"\|/);
    }
  });

  it('a spec file nested 150,000 levels deep, naming the file', async () => {
    const { code, stderr } = await sweep('deep', `{"name":"x","base":${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}}`);
    expect(code, stderr).toBe(2);
    expect(stderr).toBe(`workbench: ${join(dir, 'deep.json')} nests more than 64 levels deep; no valid input nests more than a few\n`);
  });

  it('runs too large for a worker\'s memory, at the field, with the figure and the limit', async () => {
    const { code, stderr } = await sweep('memory', JSON.stringify({ name: 'x', base: { hidden: [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096], batchSize: 4096, optimizer: 'adam' } }));
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/^workbench: Invalid sweep:\n {2}base\.hidden: with batch size 4096 and adam this network needs about 4\.\d\d GB .*more than the 2\.00 GB one run may use/);
  });
});
