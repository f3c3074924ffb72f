import { open, type FileHandle } from 'node:fs/promises';
import type http from 'node:http';
import type { WorkbenchApi } from '../api/workbenchApi';
import { AppError } from '../../src-shared/errors';
import { fsReason } from '../../src-shared/fsReasons';
import { bodyRead, fail } from './httpReply';

/** GET /api/runs/<id>/model[?which=best]: the download route of browser mode. */
export const MODEL_ROUTE = /^\/api\/runs\/([^/]+)\/model$/;

/**
 * Streams a run's model file as a download (Content-Disposition: attachment). The file is found
 * by the run's id only, never by a path from the request; the caller has checked the token. A
 * missing model answers 404 with the reason (not finished, interrupted, …) as the API does.
 */
export async function serveModelDownload(req: http.IncomingMessage, res: http.ServerResponse, api: WorkbenchApi, idText: string, url: URL): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'VALIDATION', 'The model download is a GET request', { allow: 'GET, HEAD' });
  if (!/^[1-9]\d{0,9}$/.test(idText)) return fail(res, 400, 'VALIDATION', `'${idText.slice(0, 40)}' is not a run id (a positive integer)`);
  const whichText = url.searchParams.get('which') ?? 'final';
  if (whichText !== 'final' && whichText !== 'best') return fail(res, 400, 'VALIDATION', `which must be final or best, not '${whichText.slice(0, 40)}'`);
  const file = api.modelFile(Number(idText), whichText);
  // a body nobody reads arrives first (see bodyRead), before the file is held open for it
  await bodyRead(req);
  if (res.destroyed) return;
  let fh: FileHandle;
  try {
    fh = await open(file.path, 'r');
  } catch (e) {
    throw new AppError('IO', `The model file of run ${idText} cannot be read: ${fsReason(e) ?? (e as Error).message}`);
  }
  try {
    // the size of the file opened, which an atomic rewrite since the lookup cannot change
    const { size } = await fh.stat();
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${file.filename}"`,
      'cache-control': 'no-store',
    });
  } catch (e) {
    await fh.close();
    throw e;
  }
  if (req.method === 'HEAD') {
    await fh.close();
    res.end();
    return;
  }
  const stream = fh.createReadStream();
  stream.once('error', () => res.destroy());
  res.once('close', () => stream.destroy());
  stream.pipe(res);
}
