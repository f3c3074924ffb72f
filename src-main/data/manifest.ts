import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src-shared/errors';

const splitSchema = z.object({ records: z.int().min(1), perClass: z.array(z.int().min(0)).length(10) });

/** manifest.json, written last into a finished cache: without a valid one a cache is never used. */
export const manifestSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  source: z.object({
    kind: z.enum(['download', 'import-archive', 'import-folder']),
    location: z.string(),
    official: z.boolean(),
    archiveSha256: z.string().nullable(),
    archiveMd5: z.string().nullable(),
  }),
  classNames: z.array(z.string()).length(10),
  train: splitSchema,
  test: splitSchema,
  files: z.array(z.object({ name: z.string(), bytes: z.int().min(0), records: z.int().nullable(), sha256: z.string().length(64) })),
});

export type Manifest = z.infer<typeof manifestSchema>;
export const MANIFEST = 'manifest.json';

/** Writes the manifest atomically (temporary file, fsync, rename). */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const tmp = join(dir, `${MANIFEST}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(manifest, null, 2));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, MANIFEST));
}

/** Reads and checks the manifest; a missing or malformed one is reported as a corrupt cache. */
export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch {
    throw new AppError('DATASET_INVALID', 'the cache has no manifest.json (an interrupted or tampered copy)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('DATASET_INVALID', 'manifest.json is not valid JSON');
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) throw new AppError('DATASET_INVALID', `manifest.json is malformed (${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message})`);
  return result.data;
}
