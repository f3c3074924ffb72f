import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import { readCifar } from '../../src-main/data/cifarReader';
import { cifarMembers, tarArchive, writeCifarFolder, writeCifarTarGz, type TarMember } from '../helpers/cifarFixture';

const dir = mkdtempSync(join(tmpdir(), 'cifar-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const replace = (members: TarMember[], file: string, change: Partial<TarMember>): TarMember[] =>
  members.map((m) => (m.name.endsWith(`/${file}`) ? { ...m, ...change } : m));

describe('reading CIFAR-10 binary batches', () => {
  it('reads a .tar.gz in one streaming pass into SharedArrayBuffers', async () => {
    const path = writeCifarTarGz(join(dir, 'ok.tar.gz'), cifarMembers(30, 20));
    const data = await readCifar(path);
    expect(data.train.count).toBe(150);
    expect(data.test.count).toBe(20);
    expect(data.train.records.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(data.classNames[0]).toBe('airplane');
    expect(data.files.map((f) => f.records)).toEqual([30, 30, 30, 30, 30, 20]);
    // record order: batch 1 first, then 2 …; the first label of batch 2 sits at record 30
    expect(data.train.records[30 * CIFAR.recordBytes]).toBe(0);
  });

  it('reads the same bytes from an extracted folder (or its parent) as from the archive', async () => {
    const members = cifarMembers(12, 7, 5);
    const fromTar = await readCifar(writeCifarTarGz(join(dir, 'same.tar.gz'), members));
    const folder = writeCifarFolder(join(dir, 'extracted'), members);
    const fromFolder = await readCifar(folder);
    const fromParent = await readCifar(join(dir, 'extracted'));
    expect(Buffer.from(fromFolder.train.records).equals(Buffer.from(fromTar.train.records))).toBe(true);
    expect(Buffer.from(fromParent.test.records).equals(Buffer.from(fromTar.test.records))).toBe(true);
  });

  it('accepts a readme.html member and ignores directories', async () => {
    const members = [...cifarMembers(3, 3), { name: `${CIFAR.folder}/readme.html`, data: new TextEncoder().encode('<html>') }];
    await expect(readCifar(writeCifarTarGz(join(dir, 'readme.tar.gz'), members))).resolves.toMatchObject({ test: { count: 3 } });
  });

  const refusals: [string, () => Uint8Array, RegExp][] = [
    ['a batch whose size is not a multiple of 3,073', () => gzipSync(tarArchive(replace(cifarMembers(3, 3), 'data_batch_2.bin', { data: new Uint8Array(3073 * 2 + 5) }))), /data_batch_2\.bin: size 6,151 bytes is not a multiple of 3,073/],
    ['a label outside 0–9', () => {
      const bad = new Uint8Array(3073 * 3);
      bad[3073 * 2] = 10;
      return gzipSync(tarArchive(replace(cifarMembers(3, 3), 'test_batch.bin', { data: bad })));
    }, /test_batch\.bin: record 2 has label 10; labels must be 0–9/],
    ['a missing test batch', () => gzipSync(tarArchive(cifarMembers(3, 3).filter((m) => !m.name.endsWith('test_batch.bin')))), /missing test_batch\.bin/],
    ['a truncated gzip stream', () => gzipSync(tarArchive(cifarMembers(20, 3))).subarray(0, 40_000), /truncated/],
    ['a tar cut inside an entry (valid gzip)', () => gzipSync(tarArchive(cifarMembers(20, 3)).subarray(0, 100_000)), /archive is truncated: it ends inside an entry/],
    ['a tar without its end-of-archive marker', () => gzipSync(tarArchive(cifarMembers(2, 2), false)), /before the end-of-archive marker/],
    ['a file that is not gzip at all', () => new TextEncoder().encode('this is not an archive'), /not a gzip file/],
    ['an unexpected member', () => gzipSync(tarArchive([...cifarMembers(2, 2), { name: 'cifar-10-batches-bin/evil.sh', data: new Uint8Array(10) }])), /unexpected member 'cifar-10-batches-bin\/evil\.sh'/],
    ['a symlink posing as a batch', () => gzipSync(tarArchive([...cifarMembers(2, 2).filter((m) => !m.name.endsWith('test_batch.bin')), { name: 'cifar-10-batches-bin/test_batch.bin', type: '2', linkName: '/etc/passwd' }])), /is a symlink, not a regular file/],
    ['a duplicate member', () => gzipSync(tarArchive([...cifarMembers(2, 2), { name: 'cifar-10-batches-bin/data_batch_1.bin', data: new Uint8Array(3073) }])), /duplicate member/],
  ];
  for (const [what, make, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const path = join(dir, `bad-${what.replace(/\W+/g, '-')}.tar.gz`);
      writeFileSync(path, make());
      await expect(readCifar(path)).rejects.toThrow(message);
      await expect(readCifar(path)).rejects.toMatchObject({ code: 'DATASET_INVALID' });
    });
  }

  it('refuses a folder with a bad batch, naming the file', async () => {
    const folder = writeCifarFolder(join(dir, 'badfolder'), replace(cifarMembers(2, 2), 'data_batch_5.bin', { data: new Uint8Array(100) }));
    await expect(readCifar(folder)).rejects.toThrow(/data_batch_5\.bin: size 100 bytes/);
  });

  it('says when the path does not exist', async () => {
    await expect(readCifar(join(dir, 'nope'))).rejects.toMatchObject({ code: 'DATASET_MISSING' });
  });
});
