import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CIFAR } from '../../src-shared/cifar';
import { cifarMembers, tarArchive, tarHeader, type TarMember } from '../helpers/cifarFixture';
import { writeGzipParts, type BombPart } from '../helpers/gzipBomb';

const root = mkdtempSync(join(tmpdir(), 'archive-bombs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MIB = 1024 * 1024;
const dir = CIFAR.folder;
/** Budgets from the issue: a bomb is refused quickly and without holding its payload in memory. */
const BUDGET_MS = 2000;
const BUDGET_RSS_MB = 300;

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  state?: string;
  ms: number;
  maxRssMB: number;
}

const children = new Set<ChildProcess>();
afterEach(() => {
  // an import that blows its budget (the code before the fix took minutes) must not outlive its test
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
});

/** Runs the import (or `train --data`'s read) in a child process and returns what it printed. */
function measure(mode: 'import' | 'read', archive: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const home = join(root, `home-${Math.random().toString(36).slice(2)}`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/measuredImport.ts', mode, archive, home], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Outcome) : reject(new Error(`child exited with ${code}: ${out}`))));
  });
}

/** A valid small archive's members, without the end-of-archive marker (the bomb goes before it). */
const valid = (): Uint8Array => tarArchive(cifarMembers(4, 4), false);
const END = new Uint8Array(1024);
const header = (m: TarMember): Uint8Array => tarHeader(m);

/** Pax record `<len> key=value\n` with its length prefix (which counts itself). */
function paxRecordPrefix(key: string, valueBytes: number): { prefix: Uint8Array; total: number } {
  let total = key.length + valueBytes + 3;
  while (`${total} ${key}=`.length + valueBytes + 1 !== total) total = `${total} ${key}=`.length + valueBytes + 1;
  return { prefix: new TextEncoder().encode(`${total} ${key}=`), total };
}

const bombs: { what: string; parts: () => BombPart[]; message: RegExp }[] = [
  {
    what: '64 MiB of zeros after the end-of-archive marker',
    parts: () => [valid(), END, { length: 64 * MIB }],
    message: /more than 1,048,576 bytes of data follow the end-of-archive marker/,
  },
  {
    what: 'a GNU long-name header declaring 512 MiB',
    parts: () => {
      const name = new TextEncoder().encode(`${dir}/readme.html`);
      return [valid(), header({ name: '././@LongLink', type: 'L', size: 512 * MIB }), name, { length: 512 * MIB - name.length }, header({ name: 'x', data: new Uint8Array(4) }), new Uint8Array(512), END];
    },
    message: /GNU long-name header declares 536,870,912 bytes; at most 65,536/,
  },
  {
    what: 'a pax header declaring 512 MiB',
    parts: () => [valid(), header({ name: 'PaxHeader', type: 'x', size: 512 * MIB }), { length: 512 * MIB }, END],
    message: /pax extended header declares 536,870,912 bytes; at most 65,536/,
  },
  {
    what: 'a readme.html declaring 1 GiB',
    parts: () => [valid(), header({ name: `${dir}/readme.html`, size: 1024 * MIB }), { length: 1024 * MIB }, END],
    message: /readme\.html' declares 1,073,741,824 bytes; at most 67,108,864/,
  },
  {
    what: 'a readme.html declaring 48 MiB (under the reader\'s cap, over a text file\'s)',
    parts: () => [valid(), header({ name: `${dir}/readme.html`, size: 48 * MIB }), { length: 48 * MIB }, END],
    message: /readme\.html: oversized \(50,331,648 bytes for a text file; at most 65,536\)/,
  },
];

describe('archive bombs are refused within a time and memory budget', () => {
  for (const bomb of bombs) {
    for (const mode of ['import', 'read'] as const) {
      it(`${mode === 'import' ? 'data import' : 'train --data'} refuses ${bomb.what}`, async () => {
        const archive = writeGzipParts(join(root, `${bomb.what.replace(/\W+/g, '-')}.tar.gz`), bomb.parts());
        const r = await measure(mode, archive);
        expect(r).toMatchObject({ ok: false, code: 'DATASET_INVALID', message: expect.stringMatching(bomb.message) });
        expect(r.ms).toBeLessThan(BUDGET_MS);
        expect(r.maxRssMB).toBeLessThan(BUDGET_RSS_MB);
      });
    }
  }

  it('accepts the zero padding tar writes after the marker up to a large record size (512 KiB)', async () => {
    const archive = writeGzipParts(join(root, 'padded.tar.gz'), [valid(), END, { length: 512 * 1024 }]);
    const r = await measure('import', archive);
    expect(r).toMatchObject({ ok: true, state: 'ready' });
  });
});

describe('archive-supplied names in error messages are cut to a short prefix', () => {
  it('a 4 MiB pax path is refused with a short message', async () => {
    const { prefix, total } = paxRecordPrefix('path', 4 * MIB);
    const pad = (512 - (total % 512)) % 512;
    const archive = writeGzipParts(join(root, 'pax-4mib.tar.gz'), [
      valid(), header({ name: 'PaxHeader', type: 'x', size: total }), prefix, { length: 4 * MIB, fill: 0x61 }, new Uint8Array([0x0a]), new Uint8Array(pad),
      header({ name: 'ignored', data: new Uint8Array(4) }), new Uint8Array(512), END,
    ]);
    const r = await measure('import', archive);
    expect(r).toMatchObject({ ok: false, code: 'DATASET_INVALID' });
    expect(r.message!.length).toBeLessThan(300);
  });

  for (const mode of ['import', 'read'] as const) {
    it(`${mode}: a 60 KB pax path within the header cap is quoted by its first characters only`, async () => {
      const value = `${dir}/${'a'.repeat(60_000)}`;
      const { prefix, total } = paxRecordPrefix('path', value.length);
      const record = Buffer.concat([prefix, Buffer.from(`${value}\n`)]);
      expect(record.length).toBe(total);
      const archive = writeGzipParts(join(root, `pax-60k-${mode}.tar.gz`), [
        valid(), tarArchive([{ name: 'PaxHeader', type: 'x', data: record }, { name: 'ignored', data: new Uint8Array(4) }]),
      ]);
      const r = await measure(mode, archive);
      expect(r).toMatchObject({ ok: false, code: 'DATASET_INVALID', message: expect.stringMatching(/member 'cifar-10-batches-bin\/a+…' \(60,021 characters\)/) });
      expect(r.message!.length).toBeLessThan(300);
    });
  }
});
