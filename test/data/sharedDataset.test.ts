import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetManager } from '../../src-main/data/datasetManager';

// The real CIFAR-10 copy beside the checkout (CI has it too). A fresh clone without ../shared still
// passes: everything else is covered by generated fixtures.
const SHARED = join(import.meta.dirname, '../../../shared/data/cifar-10-binary.tar.gz');
const root = mkdtempSync(join(tmpdir(), 'shared-dataset-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.runIf(existsSync(SHARED))('importing ../shared/data/cifar-10-binary.tar.gz', () => {
  it('is accepted as an unofficial copy with 50,000 / 10,000 images, 5,000 / 1,000 per class', async () => {
    const m = new DatasetManager(join(root, 'home'));
    const s = await m.import(SHARED);
    expect(s.state).toBe('ready');
    expect(s.source).toMatchObject({ kind: 'import-archive', official: false, archiveSha256: 'db32fe26690d85170eaf58292dcb6c1a62c4450105e3f5aa1a29ba6a7216a080' });
    expect(s.train).toEqual({ records: 50_000, perClass: Array(10).fill(5_000) });
    expect(s.test).toEqual({ records: 10_000, perClass: Array(10).fill(1_000) });
    expect(s.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    const data = await m.load();
    expect(data.train.records.byteLength).toBe(50_000 * 3073);
    expect(data.train.records.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
