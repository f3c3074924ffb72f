import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { startArchiveServer } from '../helpers/archiveServer';
import { cifarMembers, tarArchive } from '../helpers/cifarFixture';

const root = mkdtempSync(join(tmpdir(), 'dataset-download-'));
const archive = gzipSync(tarArchive(cifarMembers(40, 40)), { level: 1 });
const changed = gzipSync(tarArchive(cifarMembers(40, 40, 77)), { level: 1 });
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const expected = { bytes: archive.length, md5: md5(archive) };
const half = Math.floor(archive.length / 2);
let server: Awaited<ReturnType<typeof startArchiveServer>>;
let n = 0;
const manager = (): DatasetManager => new DatasetManager(join(root, `home${n++}`));

beforeAll(async () => {
  server = await startArchiveServer({
    '/ok.tar.gz': { body: () => archive },
    '/drop-once.tar.gz': { body: () => archive, drop: (a) => (a === 0 ? half : null) },
    '/ignores-range.tar.gz': { body: () => archive, honorRange: false, drop: (a) => (a === 0 ? half : null) },
    '/always-drops.tar.gz': { body: () => archive, drop: () => 1000 },
    // the file changes on the server between the first attempt (dropped half-way) and the retry
    '/changes.tar.gz': { body: () => (requestsFor('/changes.tar.gz').length === 0 ? archive : changed), drop: (a) => (a === 0 ? half : null) },
    '/slow.tar.gz': { body: () => archive, slowMs: 5 },
    '/server-error.tar.gz': { body: () => archive, status: 500 },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});
const requestsFor = (path: string) => server.seen.filter((r) => r.path === path);

describe('downloading CIFAR-10 over HTTP', () => {
  it('downloads, checks size and MD5, extracts, and reports progress with rate and ETA', async () => {
    const m = manager();
    const events: { phase: string; bytes: number; total: number | null }[] = [];
    const status = await m.download({ url: server.url('/ok.tar.gz'), expected, onProgress: (p) => events.push(p) });
    expect(status).toMatchObject({ state: 'ready', source: { kind: 'download', official: true, archiveMd5: expected.md5 } });
    expect(status.train!.records).toBe(200);
    const dl = events.filter((e) => e.phase === 'download');
    expect(dl.at(-1)).toMatchObject({ bytes: archive.length, total: archive.length });
    expect(events.some((e) => e.phase === 'checksum')).toBe(true);
    expect(existsSync(join(m.folders.downloads, 'cifar-10-binary.tar.gz.part'))).toBe(false);
  });

  it('resumes with Range + If-Range after the connection drops half-way', async () => {
    const status = await manager().download({ url: server.url('/drop-once.tar.gz'), expected, retryDelayMs: 10 });
    expect(status.state).toBe('ready');
    const [first, second] = requestsFor('/drop-once.tar.gz');
    expect(first).toMatchObject({ range: null, status: 200 });
    expect(second.range).toMatch(/^bytes=\d+-$/);
    expect(Number(second.range!.slice(6, -1))).toBeGreaterThan(0);
    expect(second).toMatchObject({ ifRange: expect.stringMatching(/^"/), status: 206 });
  });

  it('starts again from zero when the server ignores Range and answers 200', async () => {
    const status = await manager().download({ url: server.url('/ignores-range.tar.gz'), expected, retryDelayMs: 10 });
    expect(status.state).toBe('ready');
    const reqs = requestsFor('/ignores-range.tar.gz');
    expect(reqs[1].range).not.toBeNull();
    expect(reqs[1].status).toBe(200);
  });

  it('a changed file (new validator) is downloaded whole, never spliced onto old bytes', async () => {
    const status = await manager().download({ url: server.url('/changes.tar.gz'), expected: { bytes: changed.length, md5: md5(changed) }, retryDelayMs: 10 });
    expect(status.state).toBe('ready');
    const reqs = requestsFor('/changes.tar.gz');
    expect(reqs[1]).toMatchObject({ status: 200 });
    expect(reqs[1].ifRange).not.toBeNull();
  });

  it('refuses a checksum mismatch and deletes the downloaded file', async () => {
    const m = manager();
    await expect(m.download({ url: server.url('/ok.tar.gz'), expected: { ...expected, md5: '0'.repeat(32) } })).rejects.toMatchObject({
      code: 'CHECKSUM',
      message: expect.stringMatching(/does not match the expected archive .* It was deleted; nothing was extracted/),
    });
    expect(existsSync(join(m.folders.downloads, 'cifar-10-binary.tar.gz'))).toBe(false);
    expect(existsSync(join(m.folders.downloads, 'cifar-10-binary.tar.gz.part'))).toBe(false);
    expect((await m.status()).state).toBe('absent');
  });

  it('gives clear errors for 404, 500 (after retries) and a connection that keeps dropping', async () => {
    await expect(manager().download({ url: server.url('/missing.tar.gz'), expected, retryDelayMs: 5 })).rejects.toThrow(/answered 404 Not Found/);
    expect(requestsFor('/missing.tar.gz')).toHaveLength(1);
    await expect(manager().download({ url: server.url('/server-error.tar.gz'), expected, retryDelayMs: 5 })).rejects.toThrow(/answered 500 Internal Server Error \(gave up after 5 attempts/);
    await expect(manager().download({ url: server.url('/always-drops.tar.gz'), expected, retryDelayMs: 5 })).rejects.toThrow(/connection dropped .*gave up after 5 attempts; the partial download is kept/);
    await expect(manager().download({ url: 'ftp://example.org/x', expected })).rejects.toThrow(/Only http and https/);
  });

  it('can be cancelled; the partial file is kept and a later download resumes from it', async () => {
    const m = manager();
    let cancelled = false;
    const run = m.download({
      url: server.url('/slow.tar.gz'),
      expected,
      onProgress: (p) => {
        if (p.phase === 'download' && p.bytes > 50_000 && !cancelled) cancelled = m.cancel();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    const status = await m.status();
    expect(status.state).toBe('absent');
    expect(status.partialDownloadBytes).toBeGreaterThan(0);
    const part = statSync(join(m.folders.downloads, 'cifar-10-binary.tar.gz.part')).size;
    expect(part).toBeGreaterThan(50_000);
    const before = requestsFor('/slow.tar.gz').length;
    expect((await m.download({ url: server.url('/slow.tar.gz'), expected })).state).toBe('ready');
    expect(requestsFor('/slow.tar.gz')[before]).toMatchObject({ range: `bytes=${part}-`, status: 206 });
  });
});
