import { z } from 'zod';
import type { DatasetProgress, DatasetStatus, VerifyReport } from './dataset';

/**
 * The API contract: every channel with its request schema and response type. The main-process
 * implementation, the IPC and HTTP adapters, the preload and the renderer client are all derived from
 * this one map, so a call site can never name a channel or payload that does not exist.
 */
export const requestSchemas = {
  'data/status': z.object({}).strict(),
  'data/download': z.object({ url: z.url({ protocol: /^https?$/ }).optional() }).strict(),
  'data/import': z.object({ path: z.string().min(1) }).strict(),
  'data/cancel': z.object({}).strict(),
  'data/verify': z.object({}).strict(),
  'data/image': z
    .object({ split: z.enum(['train', 'test']), index: z.int().min(0), scale: z.int().min(1).max(8).default(1) })
    .strict(),
} as const;

export type Channel = keyof typeof requestSchemas;
export type Request<K extends Channel> = z.input<(typeof requestSchemas)[K]>;
export type ParsedRequest<K extends Channel> = z.output<(typeof requestSchemas)[K]>;

export interface Responses {
  'data/status': DatasetStatus;
  'data/download': DatasetStatus;
  'data/import': DatasetStatus;
  'data/cancel': { cancelled: boolean };
  'data/verify': VerifyReport;
  'data/image': { pngBase64: string; label: number; className: string };
}
export type Response<K extends Channel> = Responses[K];

/** Events pushed from main to every subscriber (renderer over IPC or SSE, the CLI's progress bar). */
export interface Events {
  'data/progress': DatasetProgress;
}
export type EventName = keyof Events;

export const CHANNELS = Object.keys(requestSchemas) as Channel[];
