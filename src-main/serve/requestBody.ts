import type http from 'node:http';
import { AppError } from '../../src-shared/errors';
import { nestingProblem } from '../../src-shared/jsonDepth';
import { HttpError } from './httpReply';

/** The largest API request body accepted; no request needs more than a few kB. */
export const MAX_BODY = 1 << 20;

/**
 * Reads an API request's JSON body. An oversized body is read to its end and dropped (answering
 * before the client has finished sending would reset the connection under the answer), then refused
 * with 413. A body that is not JSON, or nests deeper than any valid request, is a 400; a client that
 * goes away mid-body rejects the promise like any other failure.
 */
export function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('aborted', () => reject(new AppError('VALIDATION', 'The client closed the connection before sending the whole body')));
    req.on('end', () => {
      if (size > MAX_BODY) return reject(new HttpError(413, 'VALIDATION', `Request body too large: ${size} bytes, at most ${MAX_BODY}`));
      if (size === 0) return resolve({});
      let value: unknown;
      try {
        value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reject(new AppError('VALIDATION', 'Request body is not valid JSON'));
      }
      const deep = nestingProblem(value, 'The request body');
      if (deep) return reject(new AppError('VALIDATION', deep));
      resolve(value);
    });
  });
}
