import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { cifarMembers, tarArchive, writeCifarFolder, writeCifarTarGz, type TarMember } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'dataset-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshHome = (): string => join(root, `home${n++}`);
const good = writeCifarTarGz(join(root, 'good.tar.gz'), cifarMembers(20, 30));

/** Every file under a folder, relative, sorted (to prove nothing was written elsewhere). */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length))
    .sort();
}

describe('importing CIFAR-10 into the cache', () => {
  it('imports a structurally valid archive as an unofficial copy with counts per class', async () => {
    const m = new DatasetManager(freshHome());
    expect((await m.status()).state).toBe('absent');
    const progress: string[] = [];
    const status = await m.import(good, { onProgress: (p) => progress.push(p.phase) });
    expect(status.state).toBe('ready');
    expect(status.source).toMatchObject({ kind: 'import-archive', official: false });
    expect(status.source!.archiveSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(status.train).toEqual({ records: 100, perClass: Array(10).fill(10) });
    expect(status.test).toEqual({ records: 30, perClass: Array(10).fill(3) });
    expect(status.files.map((f) => f.name)).toContain('test_batch.bin');
    expect(progress).toContain('extract');
    expect(existsSync(join(status.cacheDir, 'manifest.json'))).toBe(true);
  });

  it('loads the cache into SharedArrayBuffers and serves images as PNG', async () => {
    const m = new DatasetManager(freshHome());
    await m.import(good);
    const data = await m.load();
    expect(data.train.records.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(data.train.count).toBe(100);
    expect(data.test.count).toBe(30);
    expect(await m.load()).toBe(data);
    const img = await m.image('test', 4, 2);
    expect([...img.png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(img.png.readUInt32BE(16)).toBe(64);
    expect(img.label).toBe(4);
    expect(img.className).toBe('deer');
    await expect(m.image('test', 30)).rejects.toThrow(/index must be an integer 0–29/);
  });

  it('imports an extracted folder with the same checks', async () => {
    const folder = writeCifarFolder(join(root, 'extracted'), cifarMembers(5, 5));
    const m = new DatasetManager(freshHome());
    const status = await m.import(join(root, 'extracted'));
    expect(status).toMatchObject({ state: 'ready', source: { kind: 'import-folder', location: folder } });
    expect(status.train!.records).toBe(25);
  });

  it('verify re-hashes the files; a changed byte or a wrong size makes the cache corrupt, never silently used', async () => {
    const m = new DatasetManager(freshHome());
    const { cacheDir } = await m.import(good);
    expect((await m.verify()).ok).toBe(true);
    const file = join(cacheDir, CIFAR.folder, 'data_batch_3.bin');
    const bytes = readFileSync(file);
    bytes[100] ^= 0xff;
    writeFileSync(file, bytes);
    const report = await m.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/data_batch_3\.bin: sha256 .* does not match the manifest/);
    truncateSync(file, 3073);
    expect(await m.status()).toMatchObject({ state: 'corrupt', detail: expect.stringMatching(/data_batch_3\.bin: 3073 bytes, manifest says/) });
    await expect(m.load()).rejects.toThrow(/cache is corrupt/);
  });

  it('a cache without its manifest is corrupt', async () => {
    const home = freshHome();
    const { cacheDir } = await new DatasetManager(home).import(good);
    unlinkSync(join(cacheDir, 'manifest.json'));
    expect(await new DatasetManager(home).status()).toMatchObject({ state: 'corrupt', detail: expect.stringMatching(/no manifest/) });
  });
});

describe('crafted archives are refused and the existing cache stays untouched', () => {
  const home = freshHome();
  const manager = new DatasetManager(home);
  let before: string[] = [];
  let manifestBefore = '';
  const base = cifarMembers(3, 3);
  const dir = CIFAR.folder;
  const record = (label: number): Uint8Array => {
    const r = new Uint8Array(3073);
    r[0] = label;
    return r;
  };

  beforeAll(async () => {
    await manager.import(good);
    before = listFiles(home);
    manifestBefore = readFileSync(join(manager.folders.final, 'manifest.json'), 'utf8');
  });

  const cases: [string, TarMember[] | Uint8Array, RegExp][] = [
    ['a member named ../x', [...base, { name: '../x', data: new Uint8Array(4) }], /member '\.\.\/x' tries to leave the extraction folder \(path traversal\)/],
    ['a member with an absolute path', [...base, { name: '/abs', data: new Uint8Array(4) }], /member '\/abs' has an absolute path/],
    ['a symlink pointing outside', [...base, { name: `${dir}/escape`, type: '2', linkName: '/etc/passwd' }], /is a symbolic link to '\/etc\/passwd'; links are not allowed/],
    ['a hard link pointing outside', [...base, { name: `${dir}/escape`, type: '1', linkName: '../../outside' }], /is a hard link to '\.\.\/\.\.\/outside'; links are not allowed/],
    ['a batch that is a symlink', [...base.filter((m) => !m.name.endsWith('data_batch_1.bin')), { name: `${dir}/data_batch_1.bin`, type: '2', linkName: 'test_batch.bin' }], /data_batch_1\.bin' is a symbolic link/],
    ['a device', [...base, { name: `${dir}/dev`, type: '3' }], /member 'cifar-10-batches-bin\/dev' is a device/],
    ['a duplicate member', [...base, { name: `${dir}/data_batch_2.bin`, data: record(1) }], /duplicate member 'cifar-10-batches-bin\/data_batch_2\.bin'/],
    ['an unexpected member', [...base, { name: `${dir}/notes.txt`, data: new Uint8Array(3) }], /member 'cifar-10-batches-bin\/notes\.txt': unexpected member/],
    ['a batch of the wrong size', base.map((m) => (m.name.endsWith('data_batch_4.bin') ? { ...m, data: new Uint8Array(3073 + 7) } : m)), /data_batch_4\.bin: wrong size 3,080 bytes/],
    ['an oversized batch', base.map((m) => (m.name.endsWith('data_batch_4.bin') ? { ...m, size: 10_001 * 3073 } : m)), /data_batch_4\.bin: oversized/],
    ['a label of 10', base.map((m) => (m.name.endsWith('test_batch.bin') ? { ...m, data: Buffer.concat([record(3), record(10)]) } : m)), /test_batch\.bin: record 1 has label 10; labels must be 0–9/],
    ['a truncated gzip stream', gzipSync(tarArchive(cifarMembers(20, 3))).subarray(0, 30_000), /archive is truncated \(gzip stream ended early\)/],
    ['a tar cut inside a member', gzipSync(tarArchive(cifarMembers(20, 3)).subarray(0, 90_000)), /archive is truncated: it ends inside an entry/],
    ['a file that is not gzip', new TextEncoder().encode('PK\u0003\u0004 not a tarball'), /not a gzip file or corrupt gzip data/],
    ['an archive missing the test batch', base.filter((m) => !m.name.endsWith('test_batch.bin')), /missing test_batch\.bin/],
  ];
  for (const [what, content, message] of cases) {
    it(`refuses ${what}`, async () => {
      const path = join(root, `crafted-${what.replace(/\W+/g, '-')}.tar.gz`);
      writeFileSync(path, content instanceof Uint8Array ? content : gzipSync(tarArchive(content as TarMember[])));
      await expect(manager.import(path)).rejects.toThrow(message);
      expect(listFiles(home)).toEqual(before);
      expect(readFileSync(join(manager.folders.final, 'manifest.json'), 'utf8')).toBe(manifestBefore);
      expect(existsSync(join(root, 'outside'))).toBe(false);
      expect((await manager.status()).state).toBe('ready');
    });
  }
});
