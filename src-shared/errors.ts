/**
 * Every error that crosses a boundary (IPC, HTTP, worker, CLI) is an AppError with a code, so a
 * caller can branch on the kind of failure without parsing messages.
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'DATASET_INVALID'
  | 'DATASET_MISSING'
  | 'NOT_FOUND'
  | 'CANCELLED'
  | 'NETWORK'
  | 'CHECKSUM'
  | 'IO'
  | 'KERNEL_UNAVAILABLE'
  /** A model or checkpoint file that is damaged, truncated or not one of ours. */
  | 'MODEL_INVALID'
  | 'INTERNAL';

/** The plain-object form errors travel in across process and thread boundaries. */
export interface WireError {
  name: string;
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

/** One problem with one input field, named by its path (e.g. `hidden.1`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Base of all errors the workbench raises on purpose. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }

  toWire(): WireError {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Invalid input: carries one issue per offending field so forms can show them inline. */
export class ValidationError extends AppError {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], prefix = 'Invalid input') {
    super('VALIDATION', `${prefix}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'ValidationError';
    this.issues = issues;
  }

  override toWire(): WireError {
    return { ...super.toWire(), issues: this.issues };
  }
}

/** Converts anything thrown into its wire form; unknown errors become INTERNAL. */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return error.toWire();
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'AppError', code: 'INTERNAL', message };
}

/** Rebuilds an error received over a boundary, keeping its class where it matters. */
export function fromWireError(wire: WireError): AppError {
  if (wire.code === 'VALIDATION' && wire.issues) return new ValidationError(wire.issues, 'Invalid input');
  const e = new AppError(wire.code, wire.message);
  e.name = wire.name;
  return e;
}
