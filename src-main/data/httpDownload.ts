import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { AppError } from '../../src-shared/errors';
import type { DatasetProgress } from '../../src-shared/dataset';
import { RateMeter } from './rateMeter';

export interface DownloadOptions {
  onProgress?: (p: DatasetProgress) => void;
  signal?: AbortSignal;
  /** Attempts after network errors and 5xx answers, with back-off doubling from retryDelayMs. */
  retries?: number;
  retryDelayMs?: number;
  /** No byte for this long ends the attempt (and counts as a network error). */
  idleTimeoutMs?: number;
}

/** Kept beside `<dest>.part`: what the partial bytes are, so a resume can ask for the same version. */
interface PartInfo {
  url: string;
  validator: string | null;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new AppError('CANCELLED', 'Download cancelled'));
    }, { once: true });
  });

class RetryableError extends AppError {}

/**
 * Downloads `url` into `dest` through `dest.part`, resuming a previous partial download: it sends
 * `Range` with `If-Range` (the ETag or Last-Modified it saw first); 206 appends, 200 starts again from
 * zero, so a changed file is never spliced onto old bytes. Network errors and 5xx answers are retried
 * with back-off; 4xx are final. Cancelling keeps the .part for a later resume.
 */
export async function download(url: string, dest: string, options: DownloadOptions = {}): Promise<{ bytes: number }> {
  const part = `${dest}.part`;
  const infoPath = `${part}.json`;
  const retries = options.retries ?? 4;
  let delay = options.retryDelayMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Download cancelled');
    try {
      const bytes = await attemptDownload(url, part, infoPath, options);
      await rm(dest, { force: true });
      await rename(part, dest);
      await rm(infoPath, { force: true });
      return { bytes };
    } catch (e) {
      if (!(e instanceof RetryableError) || attempt >= retries) {
        if (e instanceof RetryableError) throw new AppError('NETWORK', `${e.message} (gave up after ${attempt + 1} attempts; the partial download is kept and will resume)`);
        throw e;
      }
      await sleep(delay, options.signal);
      delay *= 2;
    }
  }
}

async function readPartInfo(infoPath: string, url: string): Promise<PartInfo | null> {
  try {
    const info = JSON.parse(await readFile(infoPath, 'utf8')) as PartInfo;
    return info.url === url ? info : null;
  } catch {
    return null;
  }
}

function request(url: string, headers: Record<string, string>, signal: AbortSignal | undefined, redirects = 5): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new AppError('VALIDATION', `Not a valid URL: ${url}`));
      return;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new AppError('VALIDATION', `Only http and https URLs can be downloaded, not ${target.protocol}`));
      return;
    }
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.get(target, { headers, signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        resolve(request(new URL(res.headers.location, target).toString(), headers, signal, redirects - 1));
        return;
      }
      resolve(res);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (signal?.aborted) reject(new AppError('CANCELLED', 'Download cancelled'));
      else if (e.code === 'ECONNRESET' || e.code === 'EPIPE') reject(new RetryableError('NETWORK', `The connection dropped before the download started (${e.code} from ${target.host})`));
      else reject(new RetryableError('NETWORK', `Cannot reach ${target.host}: ${e.code ?? e.message}`));
    });
  });
}

async function attemptDownload(url: string, part: string, infoPath: string, options: DownloadOptions): Promise<number> {
  const have = (await stat(part).catch(() => null))?.size ?? 0;
  const info = have > 0 ? await readPartInfo(infoPath, url) : null;
  const headers: Record<string, string> = { 'user-agent': 'cifar-workbench', 'accept-encoding': 'identity' };
  if (have > 0 && info?.validator) {
    headers.range = `bytes=${have}-`;
    headers['if-range'] = info.validator;
  }
  const res = await request(url, headers, options.signal);
  const status = res.statusCode ?? 0;
  if (status >= 500) {
    res.resume();
    throw new RetryableError('NETWORK', `The server answered ${status} ${res.statusMessage ?? ''}`.trim());
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw new AppError('NETWORK', `The server answered ${status} ${res.statusMessage ?? ''} for ${url}`.trim());
  }
  const resume = status === 206;
  if (resume && !String(res.headers['content-range'] ?? '').startsWith(`bytes ${have}-`)) {
    res.resume();
    throw new AppError('NETWORK', `The server sent an unexpected range (${res.headers['content-range'] ?? 'none'}) for ${url}`);
  }
  const start = resume ? have : 0;
  const length = Number(res.headers['content-length'] ?? NaN);
  const total = Number.isFinite(length) ? start + length : null;
  const validator = (res.headers.etag as string | undefined) ?? (res.headers['last-modified'] as string | undefined) ?? null;
  if (!resume) await writeFile(infoPath, JSON.stringify({ url, validator } satisfies PartInfo));
  const meter = new RateMeter('download', total, options.onProgress);
  const out = createWriteStream(part, { flags: resume ? 'a' : 'w' });
  let bytes = start;
  meter.update(bytes, true);
  try {
    await new Promise<void>((resolve, reject) => {
      const idle = options.idleTimeoutMs ?? 30_000;
      let last = performance.now();
      const timer = setInterval(() => {
        if (performance.now() - last > idle) res.destroy(new Error(`no data for ${idle / 1000} s`));
      }, Math.min(idle, 1000));
      const fail = (e: Error): void => {
        clearInterval(timer);
        reject(e);
      };
      res.on('data', (chunk: Buffer) => {
        last = performance.now();
        bytes += chunk.length;
        meter.update(bytes);
        if (!out.write(chunk)) {
          res.pause();
          out.once('drain', () => res.resume());
        }
      });
      res.on('aborted', () => fail(new RetryableError('NETWORK', `The connection dropped after ${bytes.toLocaleString('en')} bytes`)));
      res.on('error', (e) => {
        if (options.signal?.aborted) fail(new AppError('CANCELLED', 'Download cancelled'));
        else fail(new RetryableError('NETWORK', `The connection dropped after ${bytes.toLocaleString('en')} bytes (${e.message})`));
      });
      res.on('end', () => {
        clearInterval(timer);
        if (total !== null && bytes < total) reject(new RetryableError('NETWORK', `The connection dropped after ${bytes.toLocaleString('en')} of ${total.toLocaleString('en')} bytes`));
        else resolve();
      });
    });
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  meter.update(bytes, true);
  return bytes;
}
