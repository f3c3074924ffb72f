import { fromWireError, type WireError } from './errors';

/**
 * What crosses IPC and HTTP: Electron's invoke and fetch both lose an error's class and code, so
 * results travel as an envelope and errors are rebuilt on the other side.
 */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw fromWireError(envelope.error);
}
