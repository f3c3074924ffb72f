import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CIFAR, CIFAR_CLASS_NAMES } from '../../src-shared/cifar';
import { syntheticRecords } from './synthetic';

/** One member of a tar archive to build; `type` is the ustar type flag ('0' file, '2' symlink …). */
export interface TarMember {
  name: string;
  data?: Uint8Array;
  type?: string;
  linkName?: string;
  /** Declared size when it should differ from data.length (crafted archives). */
  size?: number;
}

/** One ustar header block for the member (its declared size may differ from its data: crafted archives). */
export function tarHeader(m: TarMember): Uint8Array {
  const h = new Uint8Array(512);
  const put = (s: string, off: number, len: number): void => {
    h.set(new TextEncoder().encode(s).subarray(0, len), off);
  };
  const size = m.size ?? m.data?.length ?? 0;
  put(m.name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${size.toString(8).padStart(11, '0')}\0`, 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put(m.type ?? '0', 156, 1);
  put(m.linkName ?? '', 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  const sum = h.reduce((s, v) => s + v, 0);
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** A tar archive (uncompressed) of the members, with the end-of-archive marker unless told not to. */
export function tarArchive(members: TarMember[], endMarker = true): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const m of members) {
    parts.push(tarHeader(m));
    if (m.data && m.data.length) {
      parts.push(m.data);
      const pad = (512 - (m.data.length % 512)) % 512;
      if (pad) parts.push(new Uint8Array(pad));
    }
  }
  if (endMarker) parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}

/** The members of a CIFAR-10 binary archive with `perBatch` records per train batch and `test` test records. */
export function cifarMembers(perBatch: number, test: number, seed = 1): TarMember[] {
  const dir = CIFAR.folder;
  return [
    { name: `${dir}/`, type: '5' },
    { name: `${dir}/${CIFAR.metaFile}`, data: new TextEncoder().encode(`${CIFAR_CLASS_NAMES.join('\n')}\n\n`) },
    ...CIFAR.trainFiles.map((f, i) => ({ name: `${dir}/${f}`, data: syntheticRecords(perBatch, seed + i) })),
    { name: `${dir}/${CIFAR.testFile}`, data: syntheticRecords(test, seed + 99) },
  ];
}

export function writeCifarTarGz(path: string, members: TarMember[]): string {
  writeFileSync(path, gzipSync(tarArchive(members)));
  return path;
}

/** Writes the members as an extracted cifar-10-batches-bin folder under `root`. */
export function writeCifarFolder(root: string, members: TarMember[]): string {
  for (const m of members) {
    if (m.type === '5') mkdirSync(join(root, m.name), { recursive: true });
    else writeFileSync(join(root, m.name), m.data ?? new Uint8Array(0));
  }
  return join(root, CIFAR.folder);
}
